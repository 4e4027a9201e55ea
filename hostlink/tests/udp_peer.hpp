// The FPGA end of a real UDP link for tests: a data and a reset socket on
// 127.0.0.1 served by a thread, echoing datagrams or running a ReferenceFpga.
#pragma once
#include <atomic>
#include <cstdint>
#include <thread>

#include "hostlink/tests/reference_fpga.hpp"

namespace nmtwin::hostlink::test {

class UdpPeer {
 public:
  /// nullptr: echo every datagram back from the socket it arrived on. The fpga
  /// belongs to the peer's thread until the peer is destroyed.
  explicit UdpPeer(ReferenceFpga* fpga = nullptr);
  ~UdpPeer();
  UdpPeer(const UdpPeer&) = delete;
  UdpPeer& operator=(const UdpPeer&) = delete;

  std::uint16_t data_port() const { return data_port_; }
  std::uint16_t reset_port() const { return reset_port_; }

  /// A port on 127.0.0.1 where nothing listens (bound, then closed).
  static std::uint16_t closed_port();

 private:
  void serve();
  ReferenceFpga* fpga_;
  int data_fd_ = -1, reset_fd_ = -1;
  std::uint16_t data_port_ = 0, reset_port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace nmtwin::hostlink::test
