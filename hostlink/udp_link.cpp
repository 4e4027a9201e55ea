#include "hostlink/udp_link.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "nmtwin/errors.hpp"

namespace nmtwin::hostlink {
namespace {

constexpr std::size_t slot_bytes = 65536;  // the largest UDP datagram
constexpr std::size_t slots = 16;
constexpr std::size_t send_batch = 64;

std::string ipv4_text(std::uint32_t host_order) {
  return fmt::format("{}.{}.{}.{}", host_order >> 24, (host_order >> 16) & 0xFF, (host_order >> 8) & 0xFF,
                     host_order & 0xFF);
}

sockaddr_in resolve(const std::string& host, const std::string& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0)
    throw LinkError(
        fmt::format("{}: cannot resolve the host '{}' ({}); give an IPv4 address such as 127.0.0.1 or "
                    "a name that resolves to one",
                    endpoint, host, ::gai_strerror(rc)));
  sockaddr_in address{};
  std::memcpy(&address, found->ai_addr, sizeof address);
  ::freeaddrinfo(found);
  return address;
}

// The host's address on the route to `peer` (what the kernel would send from).
std::uint32_t route_source(sockaddr_in peer) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  socklen_t length = sizeof local;
  peer.sin_port = htons(9);
  const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof peer) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0;
  if (fd >= 0) ::close(fd);
  return ok ? ntohl(local.sin_addr.s_addr) : INADDR_LOOPBACK;
}

}  // namespace

UdpLink::UdpLink(const std::string& host, std::uint16_t port, std::optional<std::uint16_t> reset_port)
    : endpoint_(fmt::format("udp://{}:{}", host, port)) {
  if (port == 0)
    throw LinkError(fmt::format("{}: port 0 is not a port to connect to; give the FPGA's data port", endpoint_));
  if (!reset_port && port == 65535)
    throw LinkError(fmt::format("{}: the reset port would be 65536; give it explicitly (?reset_port=N)", endpoint_));
  data_port_ = port;
  reset_port_ = reset_port.value_or(static_cast<std::uint16_t>(port + 1));
  peer_ = resolve(host, endpoint_);
  local_ipv4_ = route_source(peer_);

  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw LinkError(fmt::format("{}: cannot create a UDP socket: {}", endpoint_, std::strerror(errno)));
  // Unconnected (answers may come from either port), so ICMP errors are reported
  // only with IP_RECVERR.
  const int on = 1, buffer = 4 << 20;
  ::setsockopt(fd_, SOL_IP, IP_RECVERR, &on, sizeof on);
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  socklen_t length = sizeof local;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
    const int error = errno;
    ::close(fd_);
    throw LinkError(fmt::format("{}: cannot bind a local UDP port: {}", endpoint_, std::strerror(error)));
  }
  local_port_ = ntohs(local.sin_port);
}

UdpLink::~UdpLink() { ::close(fd_); }

void UdpLink::fail(const char* call, int error) {
  // An ICMP error is queued with the errno it means; msg_name is the destination
  // of the datagram that caused it.
  sockaddr_in target{};
  char control[512];
  msghdr message{};
  message.msg_name = &target;
  message.msg_namelen = sizeof target;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  std::uint16_t port = data_port_;
  if (::recvmsg(fd_, &message, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) {
    if (target.sin_family == AF_INET) port = ntohs(target.sin_port);
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c))
      if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR)
        error = static_cast<int>(reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c))->ee_errno);
  }
  const char* which = port == reset_port_ ? "the reset" : "the data";
  if (error == ECONNREFUSED)
    throw LinkError(fmt::format(
        "{}: nothing listens on {} port {} ({} port): ICMP port unreachable; is `nmtwin sim` running? Start it "
        "(`nmtwin sim`) and connect to the data port it prints; the reset port is the next one unless configured",
        endpoint_, ipv4_text(peer_ipv4()), port, which));
  throw LinkError(fmt::format("{}: {} failed towards {} port {} ({} port): {}", endpoint_, call, ipv4_text(peer_ipv4()),
                              port, which, std::strerror(error)));
}

bool UdpLink::wait(short events, Clock::time_point deadline) {
  for (;;) {
    pollfd entry{fd_, events, 0};
    timespec timeout{};
    const timespec* limit = nullptr;
    if (deadline != Clock::time_point::max()) {
      const auto left = std::max(deadline - Clock::now(), Clock::duration::zero());
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      timeout = {static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
      limit = &timeout;
    }
    const int n = ::ppoll(&entry, 1, limit, nullptr);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("ppoll", errno);
    if (n == 0) return false;
    if (entry.revents & POLLERR) {
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
      fail("a datagram", error);
    }
    return true;
  }
}

void UdpLink::send(Port port, std::span<const Datagram> datagrams) {
  sockaddr_in to = peer_;
  to.sin_port = htons(port == Port::data ? data_port_ : reset_port_);
  std::vector<iovec> vectors(std::min(datagrams.size(), send_batch));
  std::vector<mmsghdr> headers(vectors.size());
  while (!datagrams.empty()) {
    const std::size_t n = std::min(datagrams.size(), send_batch);
    for (std::size_t i = 0; i < n; ++i) {
      vectors[i] = {const_cast<std::uint8_t*>(datagrams[i].data()), datagrams[i].size()};
      headers[i] = {};
      headers[i].msg_hdr.msg_name = &to;
      headers[i].msg_hdr.msg_namelen = sizeof to;
      headers[i].msg_hdr.msg_iov = &vectors[i];
      headers[i].msg_hdr.msg_iovlen = 1;
    }
    const int sent = ::sendmmsg(fd_, headers.data(), static_cast<unsigned>(n), 0);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
      // The socket buffer is full: wait a little; UDP may drop, ARQ resends.
      if (!wait(POLLOUT, Clock::now() + std::chrono::milliseconds(100))) return;
      continue;
    }
    if (sent < 0) fail("sendmmsg", errno);
    datagrams = datagrams.subspan(static_cast<std::size_t>(sent));
  }
}

bool UdpLink::receive(std::vector<Datagram>& out, Clock::time_point deadline) {
  const std::size_t before = out.size();
  do {
    drain(out);
    if (out.size() > before) return true;
  } while (wait(POLLIN, deadline));
  return false;
}

void UdpLink::drain(std::vector<Datagram>& out) {
  if (buffers_.empty()) buffers_.resize(slots * slot_bytes);
  std::array<iovec, slots> vectors;
  std::array<mmsghdr, slots> headers;
  std::array<sockaddr_in, slots> from;
  for (;;) {
    for (std::size_t i = 0; i < slots; ++i) {
      vectors[i] = {buffers_.data() + i * slot_bytes, slot_bytes};
      headers[i] = {};
      headers[i].msg_hdr.msg_name = &from[i];
      headers[i].msg_hdr.msg_namelen = sizeof from[i];
      headers[i].msg_hdr.msg_iov = &vectors[i];
      headers[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = ::recvmmsg(fd_, headers.data(), slots, MSG_DONTWAIT, nullptr);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0) fail("recvmmsg", errno);
    for (int i = 0; i < n; ++i) {
      const sockaddr_in& source = from[static_cast<std::size_t>(i)];
      const std::uint16_t port = ntohs(source.sin_port);
      if (source.sin_addr.s_addr != peer_.sin_addr.s_addr || (port != data_port_ && port != reset_port_))
        continue;  // not from the FPGA: a stray datagram to our port
      const auto* first = buffers_.data() + static_cast<std::size_t>(i) * slot_bytes;
      out.emplace_back(first, first + headers[static_cast<std::size_t>(i)].msg_len);
    }
    if (static_cast<std::size_t>(n) < slots) return;
  }
}

}  // namespace nmtwin::hostlink
