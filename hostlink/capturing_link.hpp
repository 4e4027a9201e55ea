// CapturingLink: a DatagramLink decorator that records every datagram the
// transport sends and receives in a pcap file, as UDP between the addresses given
// (for a UdpLink the real ones; for an in-process link, loopback stand-ins).
#pragma once
#include <memory>

#include "hostlink/datagram_link.hpp"
#include "hostlink/pcap.hpp"

namespace nmtwin::hostlink {

struct CaptureAddresses {
  UdpEndpoint host{.ipv4 = 0x7F000001, .port = 40000};
  UdpEndpoint data{.ipv4 = 0x7F000001, .port = 5000};   ///< the FPGA's data port
  UdpEndpoint reset{.ipv4 = 0x7F000001, .port = 5001};  ///< the FPGA's reset port
};

class CapturingLink : public DatagramLink {
 public:
  CapturingLink(std::unique_ptr<DatagramLink> inner, std::unique_ptr<PcapWriter> writer,
                CaptureAddresses addresses = {});

  void send(Port port, std::span<const Datagram> datagrams) override;
  using DatagramLink::send;
  /// Answers are recorded as coming from the data port.
  bool receive(std::vector<Datagram>& out, Clock::time_point deadline) override;
  std::string endpoint() const override { return inner_->endpoint(); }
  Clock::time_point now() const override { return inner_->now(); }
  bool exclusive() const override { return inner_->exclusive(); }

  PcapWriter& writer() { return *writer_; }

 private:
  std::unique_ptr<DatagramLink> inner_;
  std::unique_ptr<PcapWriter> writer_;
  CaptureAddresses addresses_;
};

}  // namespace nmtwin::hostlink
