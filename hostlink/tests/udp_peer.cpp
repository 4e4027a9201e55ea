#include "hostlink/tests/udp_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace nmtwin::hostlink::test {
namespace {

int bind_loopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof a;
  const int buffer = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) != 0)
    throw std::runtime_error("UdpPeer: cannot bind a socket on 127.0.0.1");
  port = ntohs(a.sin_port);
  return fd;
}

}  // namespace

UdpPeer::UdpPeer(ReferenceFpga* fpga) : fpga_(fpga) {
  data_fd_ = bind_loopback(data_port_);
  reset_fd_ = bind_loopback(reset_port_);
  thread_ = std::thread([this] { serve(); });
}

UdpPeer::~UdpPeer() {
  stop_ = true;
  thread_.join();
  ::close(data_fd_);
  ::close(reset_fd_);
}

std::uint16_t UdpPeer::closed_port() {
  std::uint16_t port = 0;
  ::close(bind_loopback(port));
  return port;
}

void UdpPeer::serve() {
  sockaddr_in client{};
  bool has_client = false;
  std::vector<std::uint8_t> buffer(65536);
  while (!stop_) {
    pollfd fds[2] = {{data_fd_, POLLIN, 0}, {reset_fd_, POLLIN, 0}};
    auto timeout = std::chrono::milliseconds(10);
    if (fpga_) {
      const auto left = fpga_->next_timer() - Clock::now();
      if (left < timeout) timeout = std::chrono::ceil<std::chrono::milliseconds>(std::max(left, Clock::duration{}));
    }
    ::poll(fds, 2, static_cast<int>(timeout.count()));
    for (int i = 0; i < 2; ++i) {
      for (;;) {
        sockaddr_in from{};
        socklen_t length = sizeof from;
        const ssize_t n =
            ::recvfrom(fds[i].fd, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &length);
        if (n < 0) break;
        client = from;
        has_client = true;
        if (!fpga_)
          ::sendto(fds[i].fd, buffer.data(), static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from),
                   length);
        else
          fpga_->on_datagram(i == 0 ? Port::data : Port::reset, Datagram(buffer.begin(), buffer.begin() + n),
                             Clock::now());
      }
    }
    if (!fpga_) continue;
    fpga_->on_timers(Clock::now());
    for (const Datagram& d : fpga_->take_outbox())
      if (has_client) ::sendto(data_fd_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&client), sizeof client);
  }
}

}  // namespace nmtwin::hostlink::test
