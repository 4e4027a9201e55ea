#include "sim/net_port.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace nmtwin::sim {

NetPort::NetPort(double bits_per_cycle) : pacer_(bits_per_cycle) {}

void NetPort::deliver(const LinkSymbol& s) {
  switch (s.kind) {
    case LinkSymbol::Kind::word:
      words_.push_back(s);
      break;
    case LinkSymbol::Kind::ack:
    case LinkSymbol::Kind::nak:
    case LinkSymbol::Kind::credit:
      controls_.push_back(s);
      break;
    case LinkSymbol::Kind::gi:
    case LinkSymbol::Kind::measure:
      pulses_.push_back(s);
      break;
  }
}

void NetPort::take_sent(std::vector<LinkSymbol>& out) {
  out.insert(out.end(), sent_.begin(), sent_.end());
  sent_.clear();
}

bool NetPort::idle() const { return words_.empty() && controls_.empty() && pulses_.empty() && sent_.empty(); }

std::uint64_t NetPort::next_arrival() const {
  std::uint64_t t = std::numeric_limits<std::uint64_t>::max();
  for (const auto* q : {&words_, &controls_, &pulses_})
    if (!q->empty()) t = std::min(t, q->front().cycle);
  return t;
}

NetPortDrive NetPort::drive(std::uint64_t cycle) {
  NetPortDrive d;
  if (!words_.empty() && words_.front().cycle <= cycle) {
    d.rx_valid = true;
    d.rx_data = words_.front().word;
    d.rx_last = words_.front().last;
  }
  d.tx_ready = pacer_.ready(cycle);
  // One control symbol and one credit a cycle; a second one due the same cycle waits.
  for (const auto& c : controls_) {
    if (c.cycle > cycle) break;
    if (c.kind == LinkSymbol::Kind::credit) {
      if (!d.tx_credit) d.tx_credit = true;
    } else if (!d.tx_ctl_valid) {
      d.tx_ctl_valid = true;
      d.tx_ctl_nak = c.kind == LinkSymbol::Kind::nak;
      d.tx_ctl_seq = c.seq;
    }
    if (d.tx_credit && d.tx_ctl_valid) break;
  }
  for (const auto& p : pulses_) {
    if (p.cycle > cycle) break;
    (p.kind == LinkSymbol::Kind::gi ? d.gi : d.measure) = true;
  }
  return d;
}

void NetPort::sample(std::uint64_t cycle, const NetPortDrive& d, const NetPortSample& rtl) {
  if (d.rx_valid) {
    if (rtl.rx_ready)
      words_.pop_front();
    else
      ++rx_stalls_;
  }
  // Remove what drive() handed over this cycle: the first credit and the first ACK/NAK due.
  bool credit_done = !d.tx_credit, ctl_done = !d.tx_ctl_valid;
  for (auto it = controls_.begin(); it != controls_.end() && it->cycle <= cycle && !(credit_done && ctl_done);) {
    const bool is_credit = it->kind == LinkSymbol::Kind::credit;
    if ((is_credit && !credit_done) || (!is_credit && !ctl_done)) {
      (is_credit ? credit_done : ctl_done) = true;
      it = controls_.erase(it);
    } else {
      ++it;
    }
  }
  while (!pulses_.empty() && pulses_.front().cycle <= cycle) pulses_.pop_front();

  if (rtl.tx_valid && d.tx_ready) {
    sent_.push_back({cycle, LinkSymbol::Kind::word, rtl.tx_data, rtl.tx_last, 0});
    pacer_.send(cycle);
  }
  if (rtl.rx_ctl_valid)
    sent_.push_back({cycle, rtl.rx_ctl_nak ? LinkSymbol::Kind::nak : LinkSymbol::Kind::ack, 0, false, rtl.rx_ctl_seq});
  if (rtl.rx_credit) sent_.push_back({cycle, LinkSymbol::Kind::credit, 0, false, 0});
  if (rtl.gi) sent_.push_back({cycle, LinkSymbol::Kind::gi, 0, false, 0});
  if (rtl.measure) sent_.push_back({cycle, LinkSymbol::Kind::measure, 0, false, 0});
}

}  // namespace nmtwin::sim
