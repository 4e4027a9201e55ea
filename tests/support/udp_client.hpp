#pragma once
// A host-side UDP socket on 127.0.0.1 for tests that talk to a server's ports directly
// (raw datagrams, no ARQ): sends what it is given, receives with a timeout.
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <optional>
#include <vector>

namespace nmtwin::testsupport {

struct UdpClient {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ~UdpClient() { ::close(fd); }
  void send_to(std::uint16_t port, const std::vector<std::uint8_t>& bytes) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    BOOST_REQUIRE(::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) ==
                  static_cast<ssize_t>(bytes.size()));
  }
  std::optional<std::vector<std::uint8_t>> receive(int timeout_ms = 2000) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return std::nullopt;
    std::vector<std::uint8_t> buf(2048);
    const auto n = ::recv(fd, buf.data(), buf.size(), 0);
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }
};

}  // namespace nmtwin::testsupport
