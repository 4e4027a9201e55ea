// A job in which one rank fails mid-run (tests/fault.sh runs it under mpirun and checks
// that the whole job ends, naming the rank). Every rank loops on quantum-boundary rounds
// (exchange with its ring neighbours + all-reduce MIN), as a partitioned simulation does.
//   mpi_fault killed     rank 1 raises SIGKILL in round 20
//   mpi_fault throws     rank 1 throws in round 20; main catches it and calls Comm::abort
//   mpi_fault disagrees  rank 1 has another build id: every rank's check_agreement throws
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "dist/comm.hpp"

namespace dist = nmtwin::dist;

namespace {

constexpr unsigned failing_round = 20;
// Far more rounds than the job can run before mpirun ends it: a survivor that finished
// them would mean the failure went unnoticed (fault.sh then fails on the exit status).
constexpr unsigned rounds = 2'000'000;

void run(dist::Comm& comm, std::string_view mode) {
  const unsigned r = comm.rank();
  const unsigned n = comm.size();
  dist::check_agreement(comm, "build id", mode == "disagrees" && r == 1 ? "B" : "A");
  std::vector<unsigned> peers;
  if (n > 1) peers.push_back((r + 1) % n);
  if (n > 2) peers.push_back((r + n - 1) % n);
  std::vector<dist::Bytes> in;
  for (unsigned round = 0; round < rounds; ++round) {
    if (r == 1 && round == failing_round) {
      if (mode == "killed") std::raise(SIGKILL);
      if (mode == "throws") throw std::runtime_error("the link table of node 5 is broken");
    }
    const std::vector<dist::Bytes> out(peers.size(), dist::Bytes(64, static_cast<std::uint8_t>(round)));
    comm.exchange(peers, out, in);
    comm.allreduce_min(round);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: mpirun -n N mpi_fault killed|throws|disagrees\n");
    return 2;
  }
  std::unique_ptr<dist::Comm> comm;
  try {
    comm = dist::make_comm(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mpi_fault: %s\n", e.what());
    return 2;
  }
  try {
    run(*comm, argv[1]);
  } catch (const std::runtime_error& e) {
    if (std::string_view(argv[1]) == "disagrees") {
      // Every rank has the same error: rank 0 says it, all end normally.
      if (comm->rank() == 0) std::fprintf(stderr, "nmtwin: rank 0 of %u: %s\n", comm->size(), e.what());
      return 1;
    }
    comm->abort(e.what(), 3);
  }
  return 0;
}
