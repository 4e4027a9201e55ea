// MpiComm under mpirun (registered at 1, 2, 3 and 4 ranks, dist/CMakeLists.txt): exchange
// on a ring and between all pairs, the integer reductions, all-gather of different sizes,
// broadcast from every root, and the agreement and peer-list checks naming the rank that
// differs. A failed check on any rank ends the whole job through Comm::abort, naming the
// rank and the check, so that a failure never leaves the other ranks waiting.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "dist/comm.hpp"

namespace dist = nmtwin::dist;
using dist::Bytes;

namespace {

void expect(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("check failed: " + what);
}

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// What `from` sends `to` in round `round`: lengths from 0 to 22 bytes, and 1 MiB once
// (past OpenMPI's eager limit: the rendezvous protocol).
Bytes payload(unsigned from, unsigned to, unsigned round) {
  std::size_t n = (from * 7 + to * 3 + round) % 23;
  if (round == 3 && from == 0) n = (std::size_t{1} << 20) + to;
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(from * 31 + to * 17 + round * 5 + i);
  return b;
}

void check_exchange(dist::Comm& comm, const std::vector<unsigned>& peers, unsigned rounds, const char* pattern) {
  dist::check_symmetric_peers(comm, peers);
  std::vector<Bytes> in{Bytes{1}};  // replaced
  for (unsigned round = 0; round < rounds; ++round) {
    std::vector<Bytes> out;
    for (const unsigned p : peers) out.push_back(payload(comm.rank(), p, round));
    comm.exchange(peers, out, in);
    expect(in.size() == peers.size(),
           fmt::format("{} round {}: {} messages for {} peers", pattern, round, in.size(), peers.size()));
    for (std::size_t k = 0; k < peers.size(); ++k) {
      expect(in[k] == payload(peers[k], comm.rank(), round),
             fmt::format("{} round {}: the message from rank {} ({} bytes) is not what it sent", pattern, round,
                         peers[k], in[k].size()));
    }
  }
}

void check_exchanges(dist::Comm& comm) {
  const unsigned r = comm.rank();
  const unsigned n = comm.size();
  std::vector<unsigned> ring;
  for (const unsigned p : {(r + 1) % n, (r + n - 1) % n}) {
    if (p != r && std::find(ring.begin(), ring.end(), p) == ring.end()) ring.push_back(p);
  }
  check_exchange(comm, ring, 20, "ring");
  // All pairs, listed in a different order on odd and even ranks: in[k] follows peers[k].
  std::vector<unsigned> all;
  for (unsigned p = 0; p < n; ++p) {
    if (p != r) all.push_back(p);
  }
  if (r % 2 == 1) std::reverse(all.begin(), all.end());
  check_exchange(comm, all, 6, "all pairs");

  // Messages in the byte format, read back naming their sender.
  std::vector<Bytes> out;
  for (const unsigned p : all) {
    dist::ByteWriter w;
    w.u32(r);
    w.u64(std::uint64_t{p} << 40);
    out.push_back(w.take());
  }
  std::vector<Bytes> in;
  comm.exchange(all, out, in);
  for (std::size_t k = 0; k < all.size(); ++k) {
    dist::ByteReader reader(in[k], fmt::format("the message from rank {}", all[k]));
    expect(reader.u32("the sender") == all[k], "the sender written in a message");
    expect(reader.u64("the time") == std::uint64_t{r} << 40, "the time written in a message");
    reader.finish();
  }

  // A peer that is no rank is refused on every rank alike (no rank waits).
  const std::vector<unsigned> bad{n};
  const std::vector<Bytes> one(1);
  expect(error_of([&] { comm.exchange(bad, one, in); }) ==
             fmt::format("exchange: rank {} lists peer {}, which is not a rank (the job has ranks 0..{})", r, n, n - 1),
         "exchange with a peer that is no rank");
}

void check_reductions(dist::Comm& comm) {
  const std::uint64_t r = comm.rank();
  const std::uint64_t n = comm.size();
  const std::uint64_t all_ones = ~std::uint64_t{0};
  expect(comm.allreduce_min(1000 + (n - 1 - r) * 7) == 1000, "allreduce_min");
  expect(comm.allreduce_min(all_ones - r) == all_ones - (n - 1), "allreduce_min near 2^64");
  expect(comm.allreduce_max(r << 40) == (n - 1) << 40, "allreduce_max beyond 32 bits");
  expect(comm.allreduce_max(all_ones - r) == all_ones, "allreduce_max of 2^64 - 1");
  expect(comm.allreduce_sum((std::uint64_t{1} << 40) + r) == (n << 40) + n * (n - 1) / 2, "allreduce_sum");
  expect(comm.allreduce_sum(all_ones) == std::uint64_t{0} - n, "allreduce_sum modulo 2^64");
}

Bytes pattern(unsigned rank, std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(rank * 13 + i * 3);
  return b;
}

void check_gather_and_broadcast(dist::Comm& comm) {
  const unsigned n = comm.size();
  // Rank 0 gives nothing, the last rank 100 kB: sizes differ on every rank.
  const auto size_of = [&](unsigned rank) { return rank + 1 == n && n > 1 ? std::size_t{100'000} : rank * 5; };
  const auto all = comm.allgather(pattern(comm.rank(), size_of(comm.rank())));
  expect(all.size() == n, "allgather gives one entry a rank");
  for (unsigned q = 0; q < n; ++q)
    expect(all[q] == pattern(q, size_of(q)), fmt::format("allgather: rank {}'s bytes", q));

  for (unsigned root = 0; root < n; ++root) {
    Bytes data = comm.rank() == root ? pattern(root, 100 * root + 1) : pattern(comm.rank() + 50, comm.rank() + 3);
    comm.broadcast(data, root);
    expect(data == pattern(root, 100 * root + 1), fmt::format("broadcast from rank {}", root));
  }
  Bytes empty;
  comm.broadcast(empty, n - 1);
  expect(empty.empty(), "broadcast of nothing");
}

void check_agreement_and_peers(dist::Comm& comm) {
  const unsigned r = comm.rank();
  const unsigned n = comm.size();
  dist::check_agreement(comm, "build id", "A");
  if (n == 1) return;
  // The last rank differs: every rank throws the same error, naming it.
  const auto error = error_of([&] { dist::check_agreement(comm, "build id", r + 1 == n ? "B" : "A"); });
  expect(
      error == fmt::format("rank {} has build id B, rank 0 has A; run the same build and inputs on every rank", n - 1),
      "a mismatch names the rank: " + error);
  // Several differ: the lowest is named.
  const auto lowest = error_of([&] { dist::check_agreement(comm, "topology hash", fmt::format("h{}", r)); });
  expect(lowest == "rank 1 has topology hash h1, rank 0 has h0; run the same build and inputs on every rank",
         "the lowest rank that differs is named: " + lowest);
  // Rank 0 lists rank 1; rank 1 lists nobody.
  const std::vector<unsigned> one_sided = r == 0 ? std::vector<unsigned>{1} : std::vector<unsigned>{};
  const auto asymmetric = error_of([&] { dist::check_symmetric_peers(comm, one_sided); });
  expect(asymmetric ==
             "the peer lists of the ranks are not symmetric: rank 0 lists rank 1 as a peer, but rank 1 does "
             "not list rank 0; each would wait for the other",
         "asymmetric peer lists are named: " + asymmetric);
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<dist::Comm> comm;
  try {
    comm = dist::make_comm(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "test_mpi_comm: %s\n", e.what());
    return 2;
  }
  try {
    const char* expected = std::getenv("OMPI_COMM_WORLD_SIZE");
    expect(expected && std::to_string(comm->size()) == expected,
           fmt::format("started by mpirun with OMPI_COMM_WORLD_SIZE={}, the comm has {} ranks",
                       expected ? expected : "(unset)", comm->size()));
    check_exchanges(*comm);
    check_reductions(*comm);
    check_gather_and_broadcast(*comm);
    check_agreement_and_peers(*comm);
    // Every rank got here: no rank can still be failing after this.
    expect(comm->allreduce_sum(1) == comm->size(), "every rank finished");
  } catch (const std::exception& e) {
    comm->abort(fmt::format("test_mpi_comm: {}", e.what()), 1);
  }
  if (comm->rank() == 0) std::printf("test_mpi_comm: every check passed on %u rank(s)\n", comm->size());
  return 0;
}
