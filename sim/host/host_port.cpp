#include "sim/host/host_port.hpp"

#include <arpa/inet.h>
#include <linux/sock_diag.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nmtwin::sim {

namespace {

constexpr std::size_t max_datagram = 65536;
constexpr int max_batch = 64;                    // datagrams read from a socket at one look
constexpr std::size_t max_batch_bytes = 64 * 1024;

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

std::string address(const sockaddr_in& a) {
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
  return fmt::format("{}:{}", text, ntohs(a.sin_port));
}

// The reset request (spec [arq] reset_magic); anything else on the reset port is the
// FPGA's to check and count (arq_drop_reset).
bool is_reset_request(std::span<const std::uint8_t> bytes) {
  return bytes.size() == 4 && std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0xAB; });
}

// A CFG frame (PTYPE 0x8001 in bytes 8-9): the FPGA's answer to a reset.
bool is_cfg(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 12 && bytes[8] == 0x80 && bytes[9] == 0x01;
}

// Datagrams the kernel dropped on this socket (receive buffer full).
std::uint64_t kernel_drops(int fd) {
  std::uint32_t info[SK_MEMINFO_VARS] = {};
  socklen_t len = sizeof info;
  if (::getsockopt(fd, SOL_SOCKET, SO_MEMINFO, info, &len) != 0) return 0;
  return info[SK_MEMINFO_DROPS];
}

}  // namespace

std::uint16_t free_udp_port(const std::string& bind_address) {
  std::uint16_t port = 0;
  ::close(bind_udp(bind_address, 0, port));
  return port;
}

InputSignal::InputSignal() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) throw std::runtime_error(fmt::format("epoll_create1: {}", std::strerror(errno)));
}

InputSignal::~InputSignal() { ::close(epoll_fd_); }

void InputSignal::add(int fd, HostPort* port) {
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.ptr = port;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &e) != 0)
    throw std::runtime_error(fmt::format("epoll_ctl: {}", std::strerror(errno)));
}

void InputSignal::remove(int fd) { ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

bool InputSignal::wait_for(std::chrono::microseconds timeout) {
  if (timeout.count() > 0) {
    // ppoll on the epoll set keeps the microseconds (epoll_wait counts milliseconds).
    pollfd p{epoll_fd_, POLLIN, 0};
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const timespec t{static_cast<time_t>(s.count()), static_cast<long>((timeout - s).count() * 1000)};
    if (::ppoll(&p, 1, &t, nullptr) <= 0) return false;
  }
  epoll_event events[16];
  const int n = ::epoll_wait(epoll_fd_, events, 16, 0);
  for (int i = 0; i < n; ++i) static_cast<HostPort*>(events[i].data.ptr)->readable_ = true;
  return n > 0;
}

HostPort::HostPort(const HostPortConfig& config)
    : bind_address_(config.bind_address),
      buffer_(max_datagram),
      signal_(config.signal ? config.signal : std::make_shared<InputSignal>()),
      exclusive_(config.exclusive),
      session_idle_(config.session_idle) {
  data_fd_ = bind_udp(config.bind_address, config.data_port, data_port_);
  try {
    const std::uint16_t want_reset =
        config.reset_port != 0 ? config.reset_port : (config.data_port != 0 ? config.data_port + 1 : 0);
    reset_fd_ = bind_udp(config.bind_address, want_reset, reset_port_);
    signal_->add(data_fd_, this);
    signal_->add(reset_fd_, this);
  } catch (...) {
    signal_->remove(data_fd_);
    if (reset_fd_ >= 0) ::close(reset_fd_);
    ::close(data_fd_);
    throw;
  }
}

HostPort::~HostPort() {
  signal_->remove(data_fd_);
  signal_->remove(reset_fd_);
  ::close(data_fd_);
  ::close(reset_fd_);
}

std::string HostPort::endpoint() const {
  return fmt::format("udp://{}:{} (reset port {})", bind_address_, data_port_, reset_port_);
}

std::optional<Inbound> HostPort::receive() {
  if (inbox_.empty() && readable_) {
    readable_ = false;
    read_socket(data_fd_, false);
    read_socket(reset_fd_, true);
  }
  if (inbox_.empty()) return std::nullopt;
  Inbound d = std::move(inbox_.front());
  inbox_.pop_front();
  return d;
}

void HostPort::read_socket(int fd, bool reset_port) {
  // A batch at a time: what the server cannot take yet stays in the kernel's buffer, and
  // the socket stays readable (epoll is level-triggered), so the next look reads on.
  std::size_t taken = 0;
  for (int i = 0; i < max_batch && taken < max_batch_bytes; ++i) {
    sockaddr_in from{};
    iovec iov{buffer_.data(), buffer_.size()};
    msghdr m{};
    m.msg_name = &from;
    m.msg_namelen = sizeof from;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    const ssize_t n = ::recvmsg(fd, &m, MSG_DONTWAIT);
    if (n < 0) break;  // EAGAIN: drained (ICMP errors from vanished clients land here too)
    if (!admit(from, reset_port, std::span(buffer_.data(), static_cast<std::size_t>(n)))) continue;
    taken += static_cast<std::size_t>(n);
    inbox_.push_back(Inbound{reset_port, std::vector<std::uint8_t>(buffer_.begin(), buffer_.begin() + n),
                             ntohl(from.sin_addr.s_addr), ntohs(from.sin_port)});
  }
}

// The rules between hosts (docs/server.md, "A second host"). The first host heard
// from, and then every host whose reset is taken, is the session's host: the FPGA
// answers it alone. A reset from another host takes the link over, or is refused
// while the session is active with --exclusive. A data-port datagram from another
// host never reaches the FPGA; the host the link was taken from gets the FPGA's CFG
// frame in answer, which tells it that another host reset the FPGA.
bool HostPort::admit(const sockaddr_in& from, bool reset_port, std::span<const std::uint8_t> bytes) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  ++stats_.rx_datagrams;
  stats_.rx_bytes += bytes.size();
  if (!has_client_) {
    client_ = from;
    has_client_ = true;
  } else if (!same_address(from, client_)) {
    if (reset_port && is_reset_request(bytes)) {
      const auto quiet = std::chrono::duration<double>(now - last_heard_).count();
      if (exclusive_ && now - last_heard_ < session_idle_) {
        ++stats_.resets_refused;
        log_.push_back(
            fmt::format("reset from {} refused: the link belongs to {} (heard from {:.1f} s ago; "
                        "--exclusive)",
                        address(from), address(client_), quiet));
        return false;
      }
      ++stats_.client_changes;
      log_.push_back(fmt::format("reset from {} takes the link over from {} (heard from {:.1f} s ago)", address(from),
                                 address(client_), quiet));
      previous_ = client_;
      notify_previous_ = true;
      client_ = from;
    } else if (!reset_port) {
      ++stats_.rx_other_host;
      if (previous_ && same_address(from, *previous_) && !last_cfg_.empty()) send_to(*previous_, last_cfg_);
      return false;
    }
  }
  if (same_address(from, client_)) last_heard_ = now;
  return true;
}

void HostPort::send(const std::vector<std::uint8_t>& bytes) {
  std::lock_guard lock(mutex_);
  if (!has_client_) {
    ++stats_.tx_no_client;
    return;
  }
  if (is_cfg(bytes)) {
    last_cfg_ = bytes;
    if (std::exchange(notify_previous_, false)) send_to(*previous_, bytes);
  }
  const ssize_t n =
      ::sendto(data_fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&client_), sizeof client_);
  if (n < 0) {
    ++stats_.tx_errors;
    return;
  }
  ++stats_.tx_datagrams;
  stats_.tx_bytes += bytes.size();
}

// A take-over notice; mutex_ held. Not counted as traffic of the session.
void HostPort::send_to(const sockaddr_in& to, const std::vector<std::uint8_t>& bytes) {
  if (::sendto(data_fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) >= 0)
    ++stats_.takeover_notices;
}

HostPortStats HostPort::stats() const {
  HostPortStats s;
  {
    std::lock_guard lock(mutex_);
    s = stats_;
  }
  s.rx_overflow = kernel_drops(data_fd_) + kernel_drops(reset_fd_);
  return s;
}

}  // namespace nmtwin::sim
