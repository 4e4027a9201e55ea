// ImpairedLink: a DatagramLink decorator that impairs both directions of the
// data port with independent random streams (ImpairmentConfig::reverse()). The
// reset port is left alone: a duplicated or late reset arriving mid-stream would
// restart the FPGA, which no protocol can hide.
#pragma once
#include <memory>

#include "hostlink/datagram_link.hpp"
#include "hostlink/impairment.hpp"

namespace nmtwin::hostlink {

class ImpairedLink : public DatagramLink {
 public:
  ImpairedLink(std::unique_ptr<DatagramLink> inner, const ImpairmentConfig& config);

  void send(Port port, std::span<const Datagram> datagrams) override;
  using DatagramLink::send;
  bool receive(std::vector<Datagram>& out, Clock::time_point deadline) override;
  std::string endpoint() const override { return inner_->endpoint(); }
  Clock::time_point now() const override { return inner_->now(); }
  bool exclusive() const override { return inner_->exclusive(); }

  const Impairment& outgoing() const { return outgoing_; }  ///< host -> FPGA
  const Impairment& incoming() const { return incoming_; }  ///< FPGA -> host

 private:
  void send_due(Clock::time_point now);  // outgoing datagrams whose delay passed
  std::unique_ptr<DatagramLink> inner_;
  Impairment outgoing_, incoming_;
  std::vector<Datagram> scratch_;
};

}  // namespace nmtwin::hostlink
