#include "tests/support/server_process.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <tuple>
#include <stdexcept>

extern char** environ;

namespace nmtwin::testsupport {

ServerProcess::ServerProcess(const std::string& binary, const std::vector<std::string>& extra) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args{binary, "sim", "--port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  out_ = fds[0];
  if (rc != 0) throw std::runtime_error("cannot start " + binary);
  std::tie(port_, reset_port_) = ports_of(0);
}

std::pair<std::uint16_t, std::uint16_t> ServerProcess::ports_of(unsigned node) {
  const std::regex line("node " + std::to_string(node) + R"( listening on udp://[0-9.]+:(\d+) \(reset port (\d+)\))");
  std::smatch m;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::regex_search(text_, m, line)) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("nmtwin sim did not say where node " + std::to_string(node) + " listens: " + text_);
    read_some(100);
  }
  return {static_cast<std::uint16_t>(std::stoi(m[1])), static_cast<std::uint16_t>(std::stoi(m[2]))};
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
  ::close(out_);
}

std::pair<std::string, bool> ServerProcess::stop() {
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  while (read_some(0)) {
  }
  return {text_, WIFEXITED(status) && WEXITSTATUS(status) == 0};
}

std::pair<std::string, int> ServerProcess::stop_with(const std::vector<int>& signals) {
  ::kill(pid_, SIGSTOP);
  int status = 0;
  ::waitpid(pid_, &status, WUNTRACED);  // stopped: the signals below wait, all pending
  for (const int s : signals) ::kill(pid_, s);
  ::kill(pid_, SIGCONT);
  do {
    ::waitpid(pid_, &status, 0);
  } while (!WIFEXITED(status) && !WIFSIGNALED(status));
  pid_ = -1;
  while (read_some(0)) {
  }
  return {text_, status};
}

double ServerProcess::cpu_seconds() const {
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces, in parentheses): state is
  // field 3, utime and stime are fields 14 and 15.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i >= 14) ticks += std::stod(field);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string ServerProcess::url(const std::string& options) const {
  return "udp://127.0.0.1:" + std::to_string(port_) + "?reset_port=" + std::to_string(reset_port_) +
         (options.empty() ? "" : "&" + options);
}

std::string ServerProcess::node_url(unsigned node) {
  const auto [data, reset] = ports_of(node);
  return "udp://127.0.0.1:" + std::to_string(data) + "?reset_port=" + std::to_string(reset);
}

bool ServerProcess::read_some(int timeout_ms) {
  pollfd p{out_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) != 1) return false;
  char buf[4096];
  const auto n = ::read(out_, buf, sizeof buf);
  if (n <= 0) return false;
  text_.append(buf, static_cast<std::size_t>(n));
  return true;
}

}  // namespace nmtwin::testsupport
