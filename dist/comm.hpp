// The communication layer of a simulation split over ranks (issue 15; docs/scaleout.md
// "Running under MPI"): point-to-point exchange with a fixed list of peers, integer
// all-reduces, all-gather and broadcast. Comm is the interface the partitioned simulation
// uses; SelfComm is the one process of an ordinary run, MpiComm (mpi_comm.cpp, only in a
// build with MPI) a rank of an `mpirun` job. No MPI header is seen through this file.
//
// Determinism: every operation's result is independent of message arrival order: each
// exchange receives from named peers (no wildcard source), reductions are on integers
// only (a floating-point sum differs between rank counts), gathers are in rank order.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dist/bytes.hpp"

namespace nmtwin::dist {

class Comm {
 public:
  virtual ~Comm() = default;

  virtual unsigned rank() const = 0;
  virtual unsigned size() const = 0;

  // Sends out[k] to peers[k] and receives in[k] from peers[k] (in is resized to match).
  // Every rank calls it the same number of times with a fixed peer list, and the lists
  // are symmetric (a lists b exactly when b lists a; check_symmetric_peers checks it
  // once): a rank waits for each of its peers. Peers are other ranks, each listed once.
  virtual void exchange(std::span<const unsigned> peers, std::span<const Bytes> out, std::vector<Bytes>& in) = 0;

  virtual std::uint64_t allreduce_min(std::uint64_t value) = 0;
  virtual std::uint64_t allreduce_max(std::uint64_t value) = 0;
  virtual std::uint64_t allreduce_sum(std::uint64_t value) = 0;  // modulo 2^64

  // Every rank's bytes, in rank order (sizes may differ between ranks).
  virtual std::vector<Bytes> allgather(std::span<const std::uint8_t> mine) = 0;
  // The root's data on every rank (the others' data is replaced, whatever its size).
  virtual void broadcast(Bytes& data, unsigned root) = 0;

  // For an error on this rank alone (the others would wait for it for ever): prints
  // "nmtwin: rank R of N: MESSAGE" to stderr (once per process) and ends the whole job
  // with exit_code. An error that every rank sees alike (check_agreement) needs no abort.
  [[noreturn]] virtual void abort(const std::string& message, int exit_code) = 0;
};

// The one process of a run without mpirun: size 1, nothing to exchange.
class SelfComm final : public Comm {
 public:
  unsigned rank() const override { return 0; }
  unsigned size() const override { return 1; }
  void exchange(std::span<const unsigned> peers, std::span<const Bytes> out, std::vector<Bytes>& in) override;
  std::uint64_t allreduce_min(std::uint64_t value) override { return value; }
  std::uint64_t allreduce_max(std::uint64_t value) override { return value; }
  std::uint64_t allreduce_sum(std::uint64_t value) override { return value; }
  std::vector<Bytes> allgather(std::span<const std::uint8_t> mine) override;
  void broadcast(Bytes& data, unsigned root) override;
  [[noreturn]] void abort(const std::string& message, int exit_code) override;
};

// Whether this build has MPI (configured with NMTWIN_MPI=AUTO where OpenMPI is found, or ON).
bool mpi_available();
// Whether mpirun (or another MPI launcher) started this process: OMPI_COMM_WORLD_SIZE,
// PMI_SIZE or PMIX_RANK in the environment.
bool started_by_mpirun();
// The launcher's variable found in the environment (one of the three), or nullptr.
const char* mpirun_variable();

// These two and mpi_available() are in nmtwin_dist_mpi (mpi_comm.cpp), which programs link;
// the libraries (nmtwin_sim) need only the interface above and link nmtwin_dist alone.
// An MpiComm on MPI_COMM_WORLD when started by mpirun, a SelfComm otherwise (no MPI_Init:
// it costs 0.3-0.5 s). Started by mpirun in a build without MPI: throws, saying how to
// build with it (every rank would otherwise run the whole system on its own).
std::unique_ptr<Comm> make_comm(int& argc, char**& argv);
// The MpiComm alone (mpi_comm.cpp); throws in a build without MPI.
std::unique_ptr<Comm> make_mpi_comm(int& argc, char**& argv);

// Every rank's `value` of `what` (the spec version, the build id, a topology hash) must be
// equal; otherwise throws, on every rank alike, "rank 2 has WHAT VALUE2, rank 0 has VALUE0;
// run the same build and inputs on every rank" (the lowest rank that differs from rank 0).
void check_agreement(Comm& comm, std::string_view what, std::string_view value);

// The peer lists of every rank are symmetric and valid for exchange(); otherwise throws,
// on every rank alike, naming the ranks. A collective: once at set-up, not per exchange.
void check_symmetric_peers(Comm& comm, std::span<const unsigned> peers);

namespace detail {
// Writes "nmtwin: rank R of N: MESSAGE" to stderr, the first time only in this process.
void print_abort_message(unsigned rank, unsigned size, const std::string& message);
}  // namespace detail

// The checks exchange() makes of its arguments on every call (shared by the implementations).
void check_exchange_arguments(const Comm& comm, std::span<const unsigned> peers, std::span<const Bytes> out);

}  // namespace nmtwin::dist
