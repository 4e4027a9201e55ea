// MpiComm: a rank of an mpirun job, on MPI_COMM_WORLD (docs/scaleout.md "Running under
// MPI"). Compiled in every build; MPI itself only with NMTWIN_HAVE_MPI (dist/CMakeLists.txt).
#include "dist/comm.hpp"

#include <fmt/format.h>

#include <stdexcept>

#ifdef NMTWIN_HAVE_MPI
#define OMPI_SKIP_MPICXX 1  // the C API only: no deprecated C++ bindings to link
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <climits>
#include <cstdlib>
#endif

namespace nmtwin::dist {

std::unique_ptr<Comm> make_comm(int& argc, char**& argv) {
  const char* variable = mpirun_variable();
  if (!variable) return std::make_unique<SelfComm>();
  if (!mpi_available()) {
    throw std::runtime_error(fmt::format(
        "this program was started by mpirun ({} is set) but built without MPI, so every rank would run the whole "
        "system on its own: install OpenMPI (scripts/setup installs libopenmpi-dev and openmpi-bin) and configure "
        "the build with -DNMTWIN_MPI=ON",
        variable));
  }
  return make_mpi_comm(argc, argv);
}

#ifndef NMTWIN_HAVE_MPI

bool mpi_available() { return false; }

std::unique_ptr<Comm> make_mpi_comm(int&, char**&) {
  throw std::runtime_error(
      "this build has no MPI: install OpenMPI (scripts/setup installs libopenmpi-dev and openmpi-bin) and configure "
      "the build with -DNMTWIN_MPI=ON");
}

#else

bool mpi_available() { return true; }

namespace {

// Messages of exchange(); collectives have a context of their own and never match it.
constexpr int exchange_tag = 15;

class MpiComm final : public Comm {
 public:
  MpiComm(int& argc, char**& argv) {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
      int provided = 0;
      MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
      owns_mpi_ = true;
      if (provided < MPI_THREAD_FUNNELED) {
        MPI_Finalize();
        throw std::runtime_error(
            "MPI_Init_thread: this MPI library does not provide MPI_THREAD_FUNNELED (threads that make no MPI call); "
            "use an MPI built with thread support (Debian's OpenMPI has it)");
      }
    }
    // Until the handler is set, an error ends the process (MPI's default), naming the call.
    int rank = 0;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rank_ = static_cast<unsigned>(rank);
    size_ = static_cast<unsigned>(size);
    check(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
  }

  ~MpiComm() override {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (owns_mpi_ && !finalised) MPI_Finalize();
  }

  MpiComm(const MpiComm&) = delete;
  MpiComm& operator=(const MpiComm&) = delete;

  unsigned rank() const override { return rank_; }
  unsigned size() const override { return size_; }

  // All sends are posted first, then each peer's message is received in list order: a
  // matched probe on the named source gives its size, no size round is needed, and
  // messages of one source and tag arrive in the order they were sent (MPI's
  // non-overtaking rule), so each call takes the current round's message of each peer.
  void exchange(std::span<const unsigned> peers, std::span<const Bytes> out, std::vector<Bytes>& in) override {
    check_exchange_arguments(*this, peers, out);
    requests_.resize(peers.size());
    for (std::size_t k = 0; k < peers.size(); ++k) {
      check(MPI_Isend(out[k].data(), count(out[k].size(), "exchange"), MPI_BYTE, static_cast<int>(peers[k]),
                      exchange_tag, MPI_COMM_WORLD, &requests_[k]),
            "MPI_Isend");
    }
    in.resize(peers.size());
    for (std::size_t k = 0; k < peers.size(); ++k) {
      MPI_Message message;
      MPI_Status status;
      check(MPI_Mprobe(static_cast<int>(peers[k]), exchange_tag, MPI_COMM_WORLD, &message, &status), "MPI_Mprobe");
      int n = 0;
      check(MPI_Get_count(&status, MPI_BYTE, &n), "MPI_Get_count");
      in[k].resize(static_cast<std::size_t>(n));
      check(MPI_Mrecv(in[k].data(), n, MPI_BYTE, &message, MPI_STATUS_IGNORE), "MPI_Mrecv");
    }
    check(MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE), "MPI_Waitall");
  }

  std::uint64_t allreduce_min(std::uint64_t value) override { return allreduce(value, MPI_MIN); }
  std::uint64_t allreduce_max(std::uint64_t value) override { return allreduce(value, MPI_MAX); }
  std::uint64_t allreduce_sum(std::uint64_t value) override { return allreduce(value, MPI_SUM); }

  std::vector<Bytes> allgather(std::span<const std::uint8_t> mine) override {
    const int n = count(mine.size(), "allgather");
    std::vector<int> sizes(size_);
    check(MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    std::vector<int> offsets(size_);
    std::size_t total = 0;
    for (unsigned r = 0; r < size_; ++r) {
      offsets[r] = count(total, "allgather");
      total += static_cast<std::size_t>(sizes[r]);
    }
    Bytes all(total);
    check(MPI_Allgatherv(mine.data(), n, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    std::vector<Bytes> result(size_);
    for (unsigned r = 0; r < size_; ++r) {
      result[r].assign(all.begin() + offsets[r], all.begin() + offsets[r] + sizes[r]);
    }
    return result;
  }

  void broadcast(Bytes& data, unsigned root) override {
    if (root >= size_) {
      throw std::invalid_argument(
          fmt::format("broadcast from rank {}: not a rank (the job has ranks 0..{})", root, size_ - 1));
    }
    std::uint64_t n = data.size();
    check(MPI_Bcast(&n, 1, MPI_UINT64_T, static_cast<int>(root), MPI_COMM_WORLD), "MPI_Bcast");
    data.resize(n);
    check(MPI_Bcast(data.data(), count(n, "broadcast"), MPI_BYTE, static_cast<int>(root), MPI_COMM_WORLD), "MPI_Bcast");
  }

  void abort(const std::string& message, int exit_code) override {
    detail::print_abort_message(rank_, size_, message);
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);  // MPI_Abort does not return; should it, this process ends all the same
  }

 private:
  std::uint64_t allreduce(std::uint64_t value, MPI_Op op) {
    std::uint64_t result = 0;
    check(MPI_Allreduce(&value, &result, 1, MPI_UINT64_T, op, MPI_COMM_WORLD), "MPI_Allreduce");
    return result;
  }

  // MPI counts are ints: larger messages are refused rather than cut.
  int count(std::size_t n, const char* operation) const {
    if (n > static_cast<std::size_t>(INT_MAX)) {
      throw std::length_error(fmt::format("{} on rank {} of {}: {} bytes are more than MPI's limit of {} a message",
                                          operation, rank_, size_, n, INT_MAX));
    }
    return static_cast<int>(n);
  }

  void check(int code, const char* call) const {
    if (code == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
    throw std::runtime_error(fmt::format("{} failed on rank {} of {}: {} (MPI error {})", call, rank_, size_,
                                         std::string_view(text, static_cast<std::size_t>(length)), code));
  }

  unsigned rank_ = 0;
  unsigned size_ = 1;
  bool owns_mpi_ = false;
  std::vector<MPI_Request> requests_;
};

}  // namespace

std::unique_ptr<Comm> make_mpi_comm(int& argc, char**& argv) { return std::make_unique<MpiComm>(argc, argv); }

#endif

}  // namespace nmtwin::dist
