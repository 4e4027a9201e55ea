#include "sim/host/host_port.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nmtwin::sim {

namespace {

constexpr std::size_t max_datagram = 65536;

int bind_udp(const std::string& address, std::uint16_t port, std::uint16_t& bound) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    throw std::invalid_argument(fmt::format("'{}' is not an IPv4 address; use e.g. 127.0.0.1 or 0.0.0.0", address));
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot create a UDP socket: {}", std::strerror(errno)));
  const int size = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    const int err = errno;
    ::close(fd);
    throw std::runtime_error(fmt::format("cannot bind UDP {}:{}: {}{}", address, port, std::strerror(err),
                                         err == EADDRINUSE ? "; choose another port with --port" : ""));
  }
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  bound = ntohs(sa.sin_port);
  return fd;
}

bool same_address(const sockaddr_in& a, const sockaddr_in& b) {
  return a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port;
}

}  // namespace

HostPort::HostPort(const HostPortConfig& config)
    : bind_address_(config.bind_address), signal_(config.signal ? config.signal : std::make_shared<InputSignal>()) {
  data_fd_ = bind_udp(config.bind_address, config.data_port, data_port_);
  try {
    const std::uint16_t want_reset =
        config.reset_port != 0 ? config.reset_port : (config.data_port != 0 ? config.data_port + 1 : 0);
    reset_fd_ = bind_udp(config.bind_address, want_reset, reset_port_);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) throw std::runtime_error(fmt::format("eventfd: {}", std::strerror(errno)));
  } catch (...) {
    if (reset_fd_ >= 0) ::close(reset_fd_);
    ::close(data_fd_);
    throw;
  }
  thread_ = std::thread([this] { serve(); });
}

HostPort::~HostPort() {
  stop_.store(true);
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(data_fd_);
  ::close(reset_fd_);
  ::close(wake_fd_);
}

std::string HostPort::endpoint() const {
  return fmt::format("udp://{}:{} (reset port {})", bind_address_, data_port_, reset_port_);
}

void HostPort::send(std::vector<std::uint8_t> bytes) {
  if (!tx_.push(std::move(bytes))) {
    ++tx_ring_full_;  // cannot happen while the socket thread runs; counted, never silent
    std::lock_guard lock(stats_mutex_);
    ++stats_.tx_errors;
  }
  tx_pending_ = true;
}

void HostPort::flush() {
  if (!tx_pending_) return;
  tx_pending_ = false;
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void InputSignal::notify() {
  {
    std::lock_guard lock(mutex_);
    pending_ = true;
  }
  cv_.notify_one();
}

void InputSignal::wait_for(std::chrono::microseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [this] { return pending_; });
  pending_ = false;
}

HostPortStats HostPort::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

void HostPort::serve() {
  pollfd fds[3] = {{data_fd_, POLLIN, 0}, {reset_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  while (!stop_.load()) {
    // Blocks until a datagram arrives or the simulator wakes it (flush(), the destructor).
    if (::poll(fds, 3, -1) < 0 && errno != EINTR) break;
    if (fds[2].revents & POLLIN) {
      std::uint64_t v;
      [[maybe_unused]] auto n = ::read(wake_fd_, &v, sizeof v);
    }
    transmit();
    if (fds[0].revents & POLLIN) receive_from(data_fd_, false);
    if (fds[1].revents & POLLIN) receive_from(reset_fd_, true);
  }
}

void HostPort::receive_from(int fd, bool reset_port) {
  std::vector<std::uint8_t> buffer(max_datagram);
  bool any = false;
  for (;;) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(fd, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) break;  // EAGAIN: drained (ICMP errors from vanished clients land here too)
    std::lock_guard lock(stats_mutex_);
    ++stats_.rx_datagrams;
    stats_.rx_bytes += static_cast<std::uint64_t>(n);
    if (!has_client_ || !same_address(from, client_)) {
      // The latest sender is the client: a new host that resets the link takes it over.
      if (has_client_) ++stats_.client_changes;
      client_ = from;
      has_client_ = true;
    }
    if (!rx_.push(Inbound{reset_port, std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + n),
                          ntohl(from.sin_addr.s_addr), ntohs(from.sin_port)}))
      ++stats_.rx_ring_full;
    any = true;
  }
  if (any) signal_->notify();
}

void HostPort::transmit() {
  while (auto d = tx_.pop()) {
    std::lock_guard lock(stats_mutex_);
    if (!has_client_) {
      ++stats_.tx_no_client;
      continue;
    }
    const ssize_t n =
        ::sendto(data_fd_, d->data(), d->size(), 0, reinterpret_cast<const sockaddr*>(&client_), sizeof client_);
    if (n < 0) {
      ++stats_.tx_errors;
      continue;
    }
    ++stats_.tx_datagrams;
    stats_.tx_bytes += d->size();
  }
}

}  // namespace nmtwin::sim
