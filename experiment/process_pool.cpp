#include "experiment/process_pool.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace nmtwin::apps {

void run_in_processes(std::size_t count, unsigned jobs, const std::function<std::string(std::size_t)>& work,
                      const std::function<void(std::size_t, const std::string&)>& done) {
  struct Child {
    pid_t pid;
    int fd;
    std::size_t index;
    std::string text;
  };
  std::vector<Child> running;
  std::size_t next = 0;
  while (next < count || !running.empty()) {
    while (next < count && running.size() < jobs) {
      int fds[2];
      if (::pipe(fds) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
      std::fflush(nullptr);
      const pid_t pid = ::fork();
      if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
      if (pid == 0) {
        ::close(fds[0]);
        std::string s;
        try {
          s = work(next);
        } catch (...) {
          ::_exit(1);  // the caller sees no result
        }
        for (std::size_t off = 0; off < s.size();) {
          const auto w = ::write(fds[1], s.data() + off, s.size() - off);
          if (w <= 0) break;
          off += static_cast<std::size_t>(w);
        }
        ::_exit(0);
      }
      ::close(fds[1]);
      running.push_back({pid, fds[0], next++, {}});
    }
    std::vector<pollfd> polls;
    for (const auto& c : running) polls.push_back({c.fd, POLLIN, 0});
    ::poll(polls.data(), polls.size(), -1);
    for (std::size_t k = running.size(); k-- > 0;) {
      if (!(polls[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const auto n = ::read(running[k].fd, buf, sizeof buf);
      if (n > 0) {
        running[k].text.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      ::close(running[k].fd);
      int status = 0;
      ::waitpid(running[k].pid, &status, 0);
      done(running[k].index, running[k].text);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }
}

}  // namespace nmtwin::apps
