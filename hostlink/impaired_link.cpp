#include "hostlink/impaired_link.hpp"

#include <algorithm>

namespace nmtwin::hostlink {

ImpairedLink::ImpairedLink(std::unique_ptr<DatagramLink> inner, const ImpairmentConfig& config)
    : inner_(std::move(inner)), outgoing_(config), incoming_(config.reverse()) {}

void ImpairedLink::send(Port port, std::span<const Datagram> datagrams) {
  if (port == Port::reset) return inner_->send(port, datagrams);
  const auto now = inner_->now();
  scratch_.clear();
  for (const Datagram& d : datagrams) outgoing_.push(d, now, scratch_);
  outgoing_.release_due(now, scratch_);
  if (!scratch_.empty()) inner_->send(Port::data, scratch_);
}

void ImpairedLink::send_due(Clock::time_point now) {
  scratch_.clear();
  outgoing_.release_due(now, scratch_);
  if (!scratch_.empty()) inner_->send(Port::data, scratch_);
}

bool ImpairedLink::receive(std::vector<Datagram>& out, Clock::time_point deadline) {
  const std::size_t before = out.size();
  std::vector<Datagram> arrived;
  for (;;) {
    send_due(inner_->now());
    arrived.clear();
    inner_->receive(arrived, std::min({deadline, incoming_.next_due(), outgoing_.next_due()}));
    const auto now = inner_->now();
    for (Datagram& d : arrived) incoming_.push(std::move(d), now, out);
    incoming_.release_due(now, out);
    if (out.size() > before) return true;
    if (now >= deadline) return false;
  }
}

}  // namespace nmtwin::hostlink
