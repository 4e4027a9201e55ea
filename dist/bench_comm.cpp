// Microseconds per quantum-boundary round of a partitioned simulation: an exchange of
// 64 bytes with each peer (the ring neighbours, or every other rank) and an all-reduce MIN
// of next-event times; and each part alone. Prints figures, asserts none.
//   mpirun -n 2 --oversubscribe --mca btl self,vader build/dist/bench_comm [ROUNDS]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>

#include "dist/comm.hpp"

namespace dist = nmtwin::dist;

namespace {

// The median over 5 batches of `rounds` rounds, in microseconds a round (rank 0's clock;
// every round synchronises the ranks). Every rank runs the same batches.
double time_rounds(dist::Comm& comm, unsigned rounds, const std::function<void(unsigned)>& round) {
  for (unsigned i = 0; i < rounds / 10; ++i) round(i);  // warm-up
  std::vector<double> us;
  for (int batch = 0; batch < 5; ++batch) {
    comm.allreduce_min(0);
    const auto t0 = std::chrono::steady_clock::now();
    for (unsigned i = 0; i < rounds; ++i) round(i);
    const std::chrono::duration<double, std::micro> t = std::chrono::steady_clock::now() - t0;
    us.push_back(t.count() / rounds);
  }
  std::sort(us.begin(), us.end());
  return us[2];
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto comm = dist::make_comm(argc, argv);
    const unsigned rounds = argc > 1 ? static_cast<unsigned>(std::stoul(argv[1])) : 2000;
    const unsigned r = comm->rank();
    const unsigned n = comm->size();
    std::vector<unsigned> ring;
    if (n > 1) ring.push_back((r + 1) % n);
    if (n > 2) ring.push_back((r + n - 1) % n);
    std::vector<unsigned> all;
    for (unsigned p = 0; p < n; ++p) {
      if (p != r) all.push_back(p);
    }
    std::vector<dist::Bytes> in;
    const auto exchange_with = [&](const std::vector<unsigned>& peers) {
      return [&comm, &in, peers](unsigned i) {
        const std::vector<dist::Bytes> out(peers.size(), dist::Bytes(64, static_cast<std::uint8_t>(i)));
        comm->exchange(peers, out, in);
      };
    };
    const auto ring_exchange = exchange_with(ring);
    const auto all_exchange = exchange_with(all);
    const auto allreduce = [&](unsigned i) { comm->allreduce_min(i + r); };
    const double reduce_us = time_rounds(*comm, rounds, allreduce);
    const double ring_us = time_rounds(*comm, rounds, ring_exchange);
    const double ring_round_us = time_rounds(*comm, rounds, [&](unsigned i) {
      ring_exchange(i);
      allreduce(i);
    });
    const double all_round_us = time_rounds(*comm, rounds, [&](unsigned i) {
      all_exchange(i);
      allreduce(i);
    });
    if (r == 0) {
      fmt::print("bench_comm: {} rank(s), {} rounds a batch, median of 5 batches, µs a round\n", n, rounds);
      const auto row = [](const std::string& what, double us) { fmt::print("  {:<46}{:9.2f}\n", what, us); };
      row("allreduce MIN alone", reduce_us);
      row(fmt::format("exchange 64 B with {} ring peer(s) alone", ring.size()), ring_us);
      row("ring exchange + allreduce MIN", ring_round_us);
      row(fmt::format("exchange with all {} other(s) + allreduce MIN", all.size()), all_round_us);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_comm: {}\n", e.what());
    return 1;
  }
  return 0;
}
