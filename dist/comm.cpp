#include "dist/comm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace nmtwin::dist {

namespace {

// Why `peers` cannot be one rank's peer list in a job of `size` ranks ("" when it can).
std::string peer_list_error(unsigned rank, unsigned size, std::span<const unsigned> peers) {
  std::vector<unsigned> sorted(peers.begin(), peers.end());
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const unsigned p = sorted[i];
    if (p >= size)
      return fmt::format("rank {} lists peer {}, which is not a rank (the job has ranks 0..{})", rank, p, size - 1);
    if (p == rank) return fmt::format("rank {} lists itself as a peer", rank);
    if (i > 0 && sorted[i - 1] == p) return fmt::format("rank {} lists peer {} twice", rank, p);
  }
  return {};
}

}  // namespace

void detail::print_abort_message(unsigned rank, unsigned size, const std::string& message) {
  static std::atomic<bool> printed = false;
  if (printed.exchange(true)) return;
  std::fflush(stdout);
  std::fprintf(stderr, "nmtwin: rank %u of %u: %s\n", rank, size, message.c_str());
  std::fflush(stderr);
}

void check_exchange_arguments(const Comm& comm, std::span<const unsigned> peers, std::span<const Bytes> out) {
  if (peers.size() != out.size()) {
    throw std::invalid_argument(
        fmt::format("exchange on rank {}: {} peers but {} messages to send; give one message "
                    "(empty if need be) to each peer",
                    comm.rank(), peers.size(), out.size()));
  }
  if (const auto error = peer_list_error(comm.rank(), comm.size(), peers); !error.empty()) {
    throw std::invalid_argument("exchange: " + error);
  }
}

void SelfComm::exchange(std::span<const unsigned> peers, std::span<const Bytes> out, std::vector<Bytes>& in) {
  check_exchange_arguments(*this, peers, out);  // any peer is an error: there is no other rank
  in.clear();
}

std::vector<Bytes> SelfComm::allgather(std::span<const std::uint8_t> mine) { return {Bytes(mine.begin(), mine.end())}; }

void SelfComm::broadcast(Bytes&, unsigned root) {
  if (root != 0) throw std::invalid_argument(fmt::format("broadcast from rank {}: the run has rank 0 only", root));
}

void SelfComm::abort(const std::string& message, int exit_code) {
  detail::print_abort_message(0, 1, message);
  std::exit(exit_code);
}

const char* mpirun_variable() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(name)) return name;
  }
  return nullptr;
}

bool started_by_mpirun() { return mpirun_variable() != nullptr; }

void check_agreement(Comm& comm, std::string_view what, std::string_view value) {
  const auto all = comm.allgather(std::span(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
  const auto text = [&](unsigned r) {
    return std::string_view(reinterpret_cast<const char*>(all[r].data()), all[r].size());
  };
  for (unsigned r = 1; r < all.size(); ++r) {
    if (text(r) != text(0)) {
      throw std::runtime_error(fmt::format(
          "rank {} has {} {}, rank 0 has {}; run the same build and inputs on every rank", r, what, text(r), text(0)));
    }
  }
}

void check_symmetric_peers(Comm& comm, std::span<const unsigned> peers) {
  ByteWriter w;
  w.u32(static_cast<std::uint32_t>(peers.size()));
  for (const unsigned p : peers) w.u32(p);
  const auto all = comm.allgather(w.data());
  std::vector<std::vector<unsigned>> lists(all.size());
  for (unsigned r = 0; r < all.size(); ++r) {
    ByteReader in(all[r], fmt::format("the peer list of rank {}", r));
    const std::uint32_t n = in.u32("the number of peers");
    for (std::uint32_t i = 0; i < n; ++i) lists[r].push_back(in.u32("a peer"));
    in.finish();
    if (const auto error = peer_list_error(r, comm.size(), lists[r]); !error.empty()) {
      throw std::invalid_argument("the peer lists of the ranks: " + error);
    }
  }
  for (unsigned a = 0; a < lists.size(); ++a) {
    for (const unsigned b : lists[a]) {
      if (std::find(lists[b].begin(), lists[b].end(), a) == lists[b].end()) {
        throw std::invalid_argument(
            fmt::format("the peer lists of the ranks are not symmetric: rank {} lists rank {} as a "
                        "peer, but rank {} does not list rank {}; each would wait for the other",
                        a, b, b, a));
      }
    }
  }
}

}  // namespace nmtwin::dist
