#include "dist/fork_comm.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace nmtwin::dist {

namespace {

// One rank of a forked job: a stream socket to every other rank. Each operation sends at
// most one message to each other rank and receives at most one from each, and every rank
// runs the same operations in the same order, so a socket's messages (a 64-bit little-
// endian length, then the bytes) always match up. Every transfer polls all its sockets
// at once: two ranks that send each other more than a socket buffer holds do not block.
class ForkComm final : public Comm {
 public:
  ForkComm(unsigned rank, unsigned size, std::vector<int> fds, std::vector<pid_t> children)
      : rank_(rank), size_(size), fds_(std::move(fds)), children_(std::move(children)) {}

  ~ForkComm() override {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
    if (rank_ != 0) return;
    // Rank 0 waits for the others; a rank that failed fails the job.
    int failed = 0;
    for (std::size_t k = 0; k < children_.size(); ++k) {
      int status = 0;
      while (::waitpid(children_[k], &status, 0) < 0 && errno == EINTR) {
      }
      const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      if (!ok) {
        std::fprintf(stderr, "nmtwin: rank %zu of %u (fake ranks) ended %s %d\n", k + 1, size_,
                     WIFSIGNALED(status) ? "by signal" : "with status",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        failed = 1;
      }
    }
    if (failed) {
      std::fflush(stdout);
      std::_Exit(1);
    }
  }

  unsigned rank() const override { return rank_; }
  unsigned size() const override { return size_; }

  void exchange(std::span<const unsigned> peers, std::span<const Bytes> out, std::vector<Bytes>& in) override {
    check_exchange_arguments(*this, peers, out);
    std::vector<const Bytes*> messages;
    for (const auto& m : out) messages.push_back(&m);
    transfer(peers, messages, peers, in);
  }

  std::uint64_t allreduce_min(std::uint64_t value) override {
    std::uint64_t r = value;
    for (auto v : gather_u64(value)) r = std::min(r, v);
    return r;
  }
  std::uint64_t allreduce_max(std::uint64_t value) override {
    std::uint64_t r = value;
    for (auto v : gather_u64(value)) r = std::max(r, v);
    return r;
  }
  std::uint64_t allreduce_sum(std::uint64_t value) override {
    std::uint64_t r = 0;
    for (auto v : gather_u64(value)) r += v;
    return r;
  }

  std::vector<Bytes> allgather(std::span<const std::uint8_t> mine) override {
    const Bytes own(mine.begin(), mine.end());
    const auto others = other_ranks();
    std::vector<const Bytes*> messages(others.size(), &own);
    std::vector<Bytes> in;
    transfer(others, messages, others, in);
    std::vector<Bytes> all(size_);
    for (std::size_t k = 0; k < others.size(); ++k) all[others[k]] = std::move(in[k]);
    all[rank_] = own;
    return all;
  }

  void broadcast(Bytes& data, unsigned root) override {
    if (root >= size_)
      throw std::invalid_argument(
          fmt::format("broadcast from rank {}: not a rank (the job has ranks 0..{})", root, size_ - 1));
    std::vector<Bytes> in;
    if (root == rank_) {
      const auto others = other_ranks();
      std::vector<const Bytes*> messages(others.size(), &data);
      transfer(others, messages, {}, in);
    } else {
      const unsigned from[] = {root};
      transfer({}, {}, from, in);
      data = std::move(in[0]);
    }
  }

  [[noreturn]] void abort(const std::string& message, int exit_code) override {
    detail::print_abort_message(rank_, size_, message);
    std::fflush(stdout);
    std::_Exit(exit_code);  // the others find this rank's sockets closed and end too
  }

 private:
  std::vector<unsigned> other_ranks() const {
    std::vector<unsigned> r;
    for (unsigned q = 0; q < size_; ++q)
      if (q != rank_) r.push_back(q);
    return r;
  }

  std::vector<std::uint64_t> gather_u64(std::uint64_t value) {
    ByteWriter w;
    w.u64(value);
    std::vector<std::uint64_t> values;
    const auto all = allgather(w.data());
    for (std::size_t r = 0; r < all.size(); ++r) {
      ByteReader in(all[r], fmt::format("the value from rank {}", r));
      values.push_back(in.u64());
      in.finish();
    }
    return values;
  }

  [[noreturn]] void peer_gone(unsigned peer, const char* how) {
    detail::print_abort_message(
        rank_, size_,
        fmt::format("rank {} ended without a word ({}); ending this rank too (fake ranks, docs/scaleout.md)", peer, how));
    std::fflush(stdout);
    std::_Exit(1);
  }

  // Sends *out[k] to to[k] and receives one message from each from[k] into in[k].
  void transfer(std::span<const unsigned> to, std::span<const Bytes* const> out, std::span<const unsigned> from,
                std::vector<Bytes>& in) {
    struct Send {
      unsigned peer;
      std::uint8_t header[8];
      const Bytes* data;
      std::size_t done = 0;  // of header + data
    };
    struct Receive {
      unsigned peer;
      std::uint8_t header[8];
      std::size_t done = 0;
      std::uint64_t length = 0;
    };
    std::vector<Send> sends;
    for (std::size_t k = 0; k < to.size(); ++k) {
      Send s{.peer = to[k], .header = {}, .data = out[k]};
      for (unsigned b = 0; b < 8; ++b) s.header[b] = static_cast<std::uint8_t>(out[k]->size() >> (8 * b));
      sends.push_back(s);
    }
    std::vector<Receive> receives;
    for (unsigned peer : from) receives.push_back({.peer = peer, .header = {}});
    in.assign(from.size(), Bytes{});
    std::size_t pending = sends.size() + receives.size();
    std::vector<pollfd> polls;
    while (pending > 0) {
      polls.clear();
      for (const auto& s : sends)
        if (s.done < 8 + s.data->size()) polls.push_back({fds_[s.peer], POLLOUT, 0});
      for (const auto& r : receives)
        if (r.done < 8 || r.done < 8 + r.length) polls.push_back({fds_[r.peer], POLLIN, 0});
      if (::poll(polls.data(), polls.size(), -1) < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(fmt::format("fake ranks: poll on rank {}: {}", rank_, std::strerror(errno)));
      }
      for (auto& s : sends) {
        const std::size_t total = 8 + s.data->size();
        while (s.done < total) {
          const std::uint8_t* p = s.done < 8 ? s.header + s.done : s.data->data() + (s.done - 8);
          const std::size_t n = s.done < 8 ? 8 - s.done : total - s.done;
          const ssize_t w = ::send(fds_[s.peer], p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
          if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
          if (w < 0) peer_gone(s.peer, errno == EPIPE || errno == ECONNRESET ? "its connection closed" : std::strerror(errno));
          s.done += static_cast<std::size_t>(w);
          if (s.done == total) --pending;
        }
      }
      for (std::size_t k = 0; k < receives.size(); ++k) {
        auto& r = receives[k];
        while (r.done < 8 || r.done < 8 + r.length) {
          std::uint8_t* p;
          std::size_t n;
          if (r.done < 8) {
            p = r.header + r.done;
            n = 8 - r.done;
          } else {
            p = in[k].data() + (r.done - 8);
            n = 8 + r.length - r.done;
          }
          const ssize_t got = ::recv(fds_[r.peer], p, n, MSG_DONTWAIT);
          if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
          if (got == 0) peer_gone(r.peer, "its connection closed");
          if (got < 0) peer_gone(r.peer, errno == ECONNRESET ? "its connection closed" : std::strerror(errno));
          r.done += static_cast<std::size_t>(got);
          if (r.done == 8) {
            for (unsigned b = 0; b < 8; ++b) r.length |= std::uint64_t{r.header[b]} << (8 * b);
            in[k].resize(r.length);
          }
          if (r.done == 8 + r.length) {
            --pending;
            break;
          }
        }
      }
    }
  }

  unsigned rank_, size_;
  std::vector<int> fds_;  // per rank; -1 for this one
  std::vector<pid_t> children_;
};

}  // namespace

std::unique_ptr<Comm> fork_ranks(unsigned ranks) {
  if (ranks == 0 || ranks > 64)
    throw std::invalid_argument(fmt::format("fake ranks: {} ranks; use 1 to 64", ranks));
  // sockets[a][b] (a < b): the pair between ranks a and b; [0] is a's end, [1] b's.
  std::vector<std::vector<std::array<int, 2>>> sockets(ranks, std::vector<std::array<int, 2>>(ranks, {-1, -1}));
  for (unsigned a = 0; a < ranks; ++a)
    for (unsigned b = a + 1; b < ranks; ++b)
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets[a][b].data()) != 0)
        throw std::runtime_error(fmt::format("fake ranks: socketpair: {}", std::strerror(errno)));
  const auto keep = [&](unsigned me) {
    std::vector<int> fds(ranks, -1);
    for (unsigned a = 0; a < ranks; ++a)
      for (unsigned b = a + 1; b < ranks; ++b) {
        if (a == me) fds[b] = sockets[a][b][0];
        else ::close(sockets[a][b][0]);
        if (b == me) fds[a] = sockets[a][b][1];
        else ::close(sockets[a][b][1]);
      }
    return fds;
  };
  std::fflush(stdout);  // or each child would print what the parent buffered
  std::fflush(stderr);
  std::vector<pid_t> children;
  for (unsigned r = 1; r < ranks; ++r) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(fmt::format("fake ranks: fork: {}", std::strerror(errno)));
    if (pid == 0) return std::make_unique<ForkComm>(r, ranks, keep(r), std::vector<pid_t>{});
    children.push_back(pid);
  }
  return std::make_unique<ForkComm>(0, ranks, keep(0), std::move(children));
}

}  // namespace nmtwin::dist
