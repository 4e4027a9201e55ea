#pragma once
// UDP ports of one simulated FPGA (data port + reset port). The simulation thread owns
// them: it checks every port of a server with one epoll_wait per quantum, sleeps on
// them while the simulation is idle, and a node sends its answers with sendto on the
// cycle they are complete. No thread stands between the sockets and the simulation, so
// a datagram costs no wake-up beyond the kernel's, and nothing costs a system call per
// cycle.

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace nmtwin::sim {

class HostPort;

/// The sockets of every port of one server in one epoll set: which ports have input.
class InputSignal {
 public:
  InputSignal();
  ~InputSignal();
  InputSignal(const InputSignal&) = delete;
  InputSignal& operator=(const InputSignal&) = delete;

  /// Waits until a datagram is readable on any registered port or `timeout` passes
  /// (zero: only looks) and marks the ports that have one; returns whether any has.
  bool wait_for(std::chrono::microseconds timeout);

 private:
  friend class HostPort;
  void add(int fd, HostPort* port);
  void remove(int fd);
  int epoll_fd_ = -1;
};

struct HostPortConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t data_port = 0;   ///< 0: any free port (see HostPort::data_port())
  std::uint16_t reset_port = 0;  ///< 0: data_port + 1 when data_port is given, else any free port
  /// Shared by the ports of one server, so that one wait covers all of them; a port
  /// makes its own when none is given.
  std::shared_ptr<InputSignal> signal;
  /// A reset from another host while the session's host was heard from within
  /// `session_idle` is refused instead of taking the link over (`nmtwin sim --exclusive`).
  bool exclusive = false;
  std::chrono::milliseconds session_idle{5000};
};

struct HostPortStats {
  std::uint64_t rx_datagrams = 0, rx_bytes = 0, tx_datagrams = 0, tx_bytes = 0;
  /// Datagrams the kernel dropped because the simulation fell behind (socket receive
  /// buffer full), as the kernel counts them (SO_MEMINFO).
  std::uint64_t rx_overflow = 0;
  std::uint64_t tx_no_client = 0;    ///< responses with nowhere to go (no client yet)
  std::uint64_t tx_errors = 0;       ///< sendto failures (client gone); the server keeps serving
  std::uint64_t client_changes = 0;  ///< a reset from another host took the link over
  std::uint64_t resets_refused = 0;  ///< resets from another host refused (exclusive, session active)
  std::uint64_t rx_other_host = 0;   ///< data-port datagrams from a host other than the session's, dropped
  std::uint64_t takeover_notices = 0;  ///< CFG frames sent to the host the link was taken from
};

/// A datagram from the host: which port it came in on and its payload.
struct Inbound {
  bool reset_port = false;
  std::vector<std::uint8_t> bytes;
  std::uint32_t from_ipv4 = 0;  ///< sender, host byte order (for captures)
  std::uint16_t from_port = 0;
};

/// A UDP port on `bind_address` that was free a moment ago (bound, then released): the
/// start of a block of ports to try (`nmtwin sim --port 0`).
std::uint16_t free_udp_port(const std::string& bind_address);

class HostPort {
 public:
  explicit HostPort(const HostPortConfig& config);
  ~HostPort();
  HostPort(const HostPort&) = delete;
  HostPort& operator=(const HostPort&) = delete;

  std::uint16_t data_port() const { return data_port_; }
  std::uint16_t reset_port() const { return reset_port_; }
  std::string endpoint() const;

  /// The next datagram from the host, if one has arrived; reads the sockets only when
  /// the last InputSignal::wait_for marked this port. Simulation thread only.
  std::optional<Inbound> receive();
  /// Sends a datagram to the client (the address of the last datagram received) at
  /// once. Safe from any thread (nodes answer from their own threads).
  void send(const std::vector<std::uint8_t>& bytes);
  /// Sleeps until a datagram arrives (on any port sharing this port's signal) or
  /// `timeout` passes (for an idle simulation).
  void wait_for_input(std::chrono::microseconds timeout) { signal_->wait_for(timeout); }

  HostPortStats stats() const;
  /// What happened between hosts since the last call (take-overs, refused resets), one
  /// line each, for the server's log. Simulation thread only.
  std::vector<std::string> take_log() { return std::exchange(log_, {}); }

 private:
  friend class InputSignal;
  void read_socket(int fd, bool reset_port);
  /// Whether a datagram from `from` goes to the FPGA; applies the rules between hosts.
  bool admit(const sockaddr_in& from, bool reset_port, std::span<const std::uint8_t> bytes);
  void send_to(const sockaddr_in& to, const std::vector<std::uint8_t>& bytes);

  int data_fd_ = -1, reset_fd_ = -1;
  std::uint16_t data_port_ = 0, reset_port_ = 0;
  std::string bind_address_;
  bool readable_ = false;  // set by InputSignal::wait_for, simulation thread only
  std::deque<Inbound> inbox_;
  std::vector<std::uint8_t> buffer_;
  std::shared_ptr<InputSignal> signal_;
  bool exclusive_;
  std::chrono::steady_clock::duration session_idle_;
  std::vector<std::string> log_;
  mutable std::mutex mutex_;  // everything below: send() runs on node threads
  sockaddr_in client_{};      // the session's host: the last host whose reset was taken
  bool has_client_ = false;
  std::chrono::steady_clock::time_point last_heard_;  // the session's host's last datagram
  std::optional<sockaddr_in> previous_;               // the host the link was taken from
  bool notify_previous_ = false;                      // it gets the next CFG too
  std::vector<std::uint8_t> last_cfg_;                // the FPGA's last CFG frame
  HostPortStats stats_;
};

}  // namespace nmtwin::sim
