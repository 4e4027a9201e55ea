// UdpLink: datagrams over a real UDP socket to an FPGA or `nmtwin sim`: frames to
// HOST:PORT, the reset word to HOST:PORT+1 (or the given reset port), answers
// from either. Non-blocking socket, ppoll() to wait, sendmmsg/recvmmsg in batches.
// An ICMP "port unreachable" (nothing listens) becomes a LinkError at once.
#pragma once
#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hostlink/datagram_link.hpp"

namespace nmtwin::hostlink {

class UdpLink : public DatagramLink {
 public:
  /// Resolves `host` (IPv4) and opens a socket on a free local port. Throws
  /// LinkError naming the endpoint when the name does not resolve or the port is bad.
  UdpLink(const std::string& host, std::uint16_t port, std::optional<std::uint16_t> reset_port = std::nullopt);
  ~UdpLink() override;

  void send(Port port, std::span<const Datagram> datagrams) override;
  using DatagramLink::send;
  bool receive(std::vector<Datagram>& out, Clock::time_point deadline) override;
  /// "udp://HOST:PORT" as given.
  std::string endpoint() const override { return endpoint_; }

  std::uint16_t local_port() const { return local_port_; }
  std::uint16_t data_port() const { return data_port_; }
  std::uint16_t reset_port() const { return reset_port_; }
  /// The FPGA's IPv4 address and the host's address towards it (host byte order).
  std::uint32_t peer_ipv4() const { return ntohl(peer_.sin_addr.s_addr); }
  std::uint32_t local_ipv4() const { return local_ipv4_; }

 private:
  [[noreturn]] void fail(const char* call, int error);  // reads the ICMP details for ECONNREFUSED
  bool wait(short events, Clock::time_point deadline);  // false on deadline
  void drain(std::vector<Datagram>& out);               // everything queued now

  std::string endpoint_;
  int fd_ = -1;
  sockaddr_in peer_{};
  std::uint16_t data_port_ = 0, reset_port_ = 0, local_port_ = 0;
  std::uint32_t local_ipv4_ = 0;
  std::vector<std::uint8_t> buffers_;  // receive slots, allocated on first use
};

}  // namespace nmtwin::hostlink
