#pragma once
// UDP ports of one simulated FPGA (data port + reset port), served by a socket thread.
// The simulation loop exchanges datagrams with it through lock-free rings at quantum
// edges and never makes a system call per cycle.

#include <netinet/in.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/host/spsc_ring.hpp"

namespace nmtwin::sim {

/// Wakes the simulation thread when a datagram arrives on any of the ports sharing it.
class InputSignal {
 public:
  void notify();
  /// Sleeps until notify() or `timeout`; returns at once if notified since the last wait.
  void wait_for(std::chrono::microseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool pending_ = false;
};

struct HostPortConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t data_port = 0;   ///< 0: any free port (see HostPort::data_port())
  std::uint16_t reset_port = 0;  ///< 0: data_port + 1 when data_port is given, else any free port
  /// Shared by the ports of one server, so that input on any of them wakes it; a port
  /// makes its own when none is given.
  std::shared_ptr<InputSignal> signal;
};

struct HostPortStats {
  std::uint64_t rx_datagrams = 0, rx_bytes = 0, tx_datagrams = 0, tx_bytes = 0;
  std::uint64_t rx_ring_full = 0;    ///< datagrams dropped because the simulation fell behind
  std::uint64_t tx_no_client = 0;    ///< responses with nowhere to go (no client yet)
  std::uint64_t tx_errors = 0;       ///< sendto failures (client gone); the server keeps serving
  std::uint64_t client_changes = 0;  ///< a datagram from a new address took the link over
};

/// A datagram from the host: which port it came in on and its payload.
struct Inbound {
  bool reset_port = false;
  std::vector<std::uint8_t> bytes;
  std::uint32_t from_ipv4 = 0;  ///< sender, host byte order (for captures)
  std::uint16_t from_port = 0;
};

class HostPort {
 public:
  explicit HostPort(const HostPortConfig& config);
  ~HostPort();
  HostPort(const HostPort&) = delete;
  HostPort& operator=(const HostPort&) = delete;

  std::uint16_t data_port() const { return data_port_; }
  std::uint16_t reset_port() const { return reset_port_; }
  std::string endpoint() const;

  // Simulation thread.
  std::optional<Inbound> receive() { return rx_.pop(); }
  /// Queues a datagram for the client (the address of the last datagram received);
  /// call flush() once per quantum to hand the batch to the socket thread.
  void send(std::vector<std::uint8_t> bytes);
  void flush();
  /// Sleeps until a datagram arrives (on any port sharing this port's signal) or
  /// `timeout` passes (for an idle simulation).
  void wait_for_input(std::chrono::microseconds timeout) { signal_->wait_for(timeout); }

  HostPortStats stats() const;

 private:
  void serve();
  void receive_from(int fd, bool reset_port);
  void transmit();

  int data_fd_ = -1, reset_fd_ = -1, wake_fd_ = -1;
  std::uint16_t data_port_ = 0, reset_port_ = 0;
  std::string bind_address_;
  SpscRing<Inbound> rx_{4096};
  SpscRing<std::vector<std::uint8_t>> tx_{4096};
  bool tx_pending_ = false;
  std::atomic<bool> stop_{false};
  sockaddr_in client_{};
  bool has_client_ = false;
  std::shared_ptr<InputSignal> signal_;
  mutable std::mutex stats_mutex_;
  HostPortStats stats_;
  std::uint64_t tx_ring_full_ = 0;  // simulation thread only
  std::thread thread_;
};

}  // namespace nmtwin::sim
