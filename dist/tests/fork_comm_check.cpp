// Fake ranks (dist/fork_comm.hpp): every operation at N ranks, with what MpiComm gives
// (tests/test_mpi_comm.cpp checks the same under mpirun), messages of several MB both ways
// at once, and a rank that ends without a word.
// usage: fork_comm_check RANKS [vanish]
#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "dist/bytes.hpp"
#include "dist/fork_comm.hpp"

namespace dist = nmtwin::dist;
using dist::Bytes;

namespace {
void require(dist::Comm& comm, bool ok, const std::string& what) {
  if (!ok) comm.abort("fork_comm_check: " + what, 1);
}
Bytes pattern(unsigned rank, std::size_t size) {
  Bytes b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(i * 31 + rank * 7);
  return b;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: fork_comm_check RANKS [vanish]\n");
    return 2;
  }
  const auto comm = dist::fork_ranks(static_cast<unsigned>(std::atoi(argv[1])));
  const unsigned rank = comm->rank(), size = comm->size();
  // Sizes differ between ranks; the gather is in rank order.
  const auto all = comm->allgather(pattern(rank, 3 * rank + 1));
  require(*comm, all.size() == size, "allgather size");
  for (unsigned r = 0; r < size; ++r) require(*comm, all[r] == pattern(r, 3 * r + 1), fmt::format("allgather of rank {}", r));
  require(*comm, comm->allreduce_min(100 + rank) == 100, "allreduce_min");
  require(*comm, comm->allreduce_max(100 + rank) == 100 + size - 1, "allreduce_max");
  require(*comm, comm->allreduce_sum(~std::uint64_t{0}) == std::uint64_t{0} - size, "allreduce_sum wraps modulo 2^64");
  Bytes data = rank == size - 1 ? pattern(99, 1000) : Bytes{1};
  comm->broadcast(data, size - 1);
  require(*comm, data == pattern(99, 1000), "broadcast from the last rank");
  if (size > 1) {
    // A ring both ways with 4 MB each: more than a socket buffer, sent and received at once.
    const unsigned left = (rank + size - 1) % size, right = (rank + 1) % size;
    std::vector<unsigned> peers{left};
    if (right != left) peers.push_back(right);
    std::vector<Bytes> out;
    for (unsigned p : peers) out.push_back(pattern(rank * 64 + p, 4 << 20));
    std::vector<Bytes> in;
    comm->exchange(peers, out, in);
    for (std::size_t k = 0; k < peers.size(); ++k)
      require(*comm, in[k] == pattern(peers[k] * 64 + rank, 4 << 20), fmt::format("exchange from rank {}", peers[k]));
    if (argc > 2 && std::string(argv[2]) == "vanish" && rank == 1) std::_Exit(3);  // without a word
    comm->allreduce_sum(1);  // the others wait here for rank 1 when it vanished
  }
  if (rank == 0) fmt::print("fork_comm_check: {} ranks agree\n", size);
  return 0;
}
