#include "hostlink/capturing_link.hpp"

namespace nmtwin::hostlink {

CapturingLink::CapturingLink(std::unique_ptr<DatagramLink> inner, std::unique_ptr<PcapWriter> writer,
                             CaptureAddresses addresses)
    : inner_(std::move(inner)), writer_(std::move(writer)), addresses_(addresses) {}

void CapturingLink::send(Port port, std::span<const Datagram> datagrams) {
  const UdpEndpoint& to = port == Port::data ? addresses_.data : addresses_.reset;
  for (const Datagram& d : datagrams) writer_->write(addresses_.host, to, d);
  inner_->send(port, datagrams);
}

bool CapturingLink::receive(std::vector<Datagram>& out, Clock::time_point deadline) {
  const std::size_t before = out.size();
  const bool got = inner_->receive(out, deadline);
  for (std::size_t i = before; i < out.size(); ++i) writer_->write(addresses_.data, addresses_.host, out[i]);
  return got;
}

}  // namespace nmtwin::hostlink
