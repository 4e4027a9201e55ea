#pragma once
// `nmtwin sim` in a child process, for tests and benchmarks that go over real UDP.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nmtwin::testsupport {

class ServerProcess {
 public:
  /// Starts `binary sim --port 0 EXTRA...` and waits (20 s at most) until it listens;
  /// throws std::runtime_error with what it printed otherwise.
  explicit ServerProcess(const std::string& binary, const std::vector<std::string>& extra = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// SIGTERM; returns everything the server printed and whether it exited with 0.
  std::pair<std::string, bool> stop();
  /// Sends `signals` while the server is stopped (SIGSTOP ... SIGCONT), so that all of
  /// them are pending at once; returns what it printed and its wait status.
  std::pair<std::string, int> stop_with(const std::vector<int>& signals);
  /// "udp://127.0.0.1:PORT?reset_port=R" plus "&OPTIONS" when given.
  std::string url(const std::string& options = "") const;
  std::uint16_t port() const { return port_; }
  /// CPU time the server process has used so far (user + system, from /proc).
  double cpu_seconds() const;
  /// The server's process id (while it runs).
  pid_t pid() const { return pid_; }
  /// The URL of node `node` of a server with several (waits for its line, 20 s at most).
  std::string node_url(unsigned node);

 private:
  bool read_some(int timeout_ms);
  /// Data and reset port of `node`, from what the server printed (20 s at most).
  std::pair<std::uint16_t, std::uint16_t> ports_of(unsigned node);
  pid_t pid_ = -1;
  int out_ = -1;
  std::string text_;
  std::uint16_t port_ = 0, reset_port_ = 0;
};

}  // namespace nmtwin::testsupport
