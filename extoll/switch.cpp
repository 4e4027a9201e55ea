#include "extoll/switch.hpp"

#include <algorithm>
#include <limits>
#include <span>

#include "extoll/packet.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::extoll {

namespace {
constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
using Header = spec::layout::NetHeader;

// The packet as the next hop sees it: that link's sequence number, the CRC anew.
std::vector<std::uint64_t> renumber(std::vector<std::uint64_t> words, std::uint8_t seq) {
  auto h = Header::decode(words.front());
  h.seq = seq;
  words.front() = h.encode();
  words.back() = spec::layout::NetCrc{.crc = crc32(std::span(words).first(words.size() - 1))}.encode();
  return words;
}
}  // namespace

Switch::Switch(const SwitchConfig& config) : config_(config) {
  for (unsigned p = 0; p < ports; ++p) {
    port_[p].pacer = Pacer(config.bits_per_cycle[p]);
    port_[p].credits = spec::net::link_credits;
  }
}

void Switch::deliver(unsigned port, const Symbol& s) {
  auto& p = port_.at(port);
  switch (s.kind) {
    case Symbol::Kind::word:
      p.words.push_back(s);
      break;
    case Symbol::Kind::ack:
    case Symbol::Kind::nak:
    case Symbol::Kind::credit:
      p.controls.push_back(s);
      break;
    case Symbol::Kind::gi:
    case Symbol::Kind::measure:
      p.pulses.push_back(s);
      break;
  }
}

void Switch::take_sent(unsigned port, std::vector<Symbol>& out) {
  auto& sent = port_.at(port).sent;
  out.insert(out.end(), sent.begin(), sent.end());
  sent.clear();
}

bool Switch::idle() const {
  return std::all_of(port_.begin(), port_.end(), [](const Port& p) {
    return p.words.empty() && p.controls.empty() && p.pulses.empty() && p.current.empty() && p.held.empty() &&
           p.window.empty() && p.sent.empty();
  });
}

void Switch::advance(std::uint64_t until) {
  while (now_ < until) {
    const std::uint64_t c = std::max(now_, next_event());
    if (c >= until) break;
    handle(c);
    now_ = c + 1;
  }
  now_ = std::max(now_, until);
}

// One cycle: what arrived first (acknowledgements and credits before new packets),
// then timeouts, then every output port may start one packet.
void Switch::handle(std::uint64_t c) {
  for (unsigned p = 0; p < ports; ++p) {
    auto& port = port_[p];
    for (; !port.controls.empty() && port.controls.front().cycle <= c; port.controls.pop_front())
      acknowledge(p, port.controls.front(), c);
    for (; !port.pulses.empty() && port.pulses.front().cycle <= c; port.pulses.pop_front())
      pass_pulse(p, port.pulses.front());
    for (; !port.words.empty() && port.words.front().cycle <= c; port.words.pop_front())
      receive_word(p, port.words.front(), c);
  }
  for (auto& out : port_)
    if (!out.window.empty() && c >= out.quiet_since + spec::net::link_timeout_cycles) {
      out.resend = 0;  // neither ACK nor NAK for too long: again from the oldest
      out.quiet_since = c;
    }
  for (unsigned o = 0; o < ports; ++o)
    if (config_.connected[o]) try_send(o, c);
}

void Switch::control(unsigned port, Symbol::Kind kind, std::uint8_t seq, std::uint64_t cycle) {
  port_[port].sent.push_back({cycle, kind, 0, false, seq});
}

void Switch::receive_word(unsigned port, const Symbol& s, std::uint64_t cycle) {
  auto& p = port_[port];
  p.current.push_back(s.word);
  if (s.last) complete_packet(port, cycle);
}

// The receiving half of the link layer, as link_rx does it (docs/multichip.md).
void Switch::complete_packet(unsigned port, std::uint64_t c) {
  auto& p = port_[port];
  std::vector<std::uint64_t> words;
  words.swap(p.current);
  const auto decoded = decode(words);
  if (!decoded.packet || p.held.size() >= spec::net::link_credits) {
    ++stats_.crc_errors;
    control(port, Symbol::Kind::nak, p.expected, c + 1);
    p.gap_naked = true;
    control(port, Symbol::Kind::credit, 0, c + 1);
    return;
  }
  const auto seq = static_cast<std::uint8_t>(decoded.packet->header.seq);
  const auto ahead = static_cast<std::uint8_t>(seq - p.expected);
  if (ahead == 0) {
    ++p.expected;
    p.gap_naked = false;
    ++stats_.packets_received;
    control(port, Symbol::Kind::ack, seq, c + 1);
    const std::uint8_t to = route(words, port);
    if (to == 0) {
      ++stats_.unroutable_packets;
      stats_.unroutable_events += decoded.packet->header.events;
      control(port, Symbol::Kind::credit, 0, c + 1);
      return;
    }
    p.held.push_back({std::move(words), c + config_.latency_cycles, to});
    return;
  }
  ++stats_.sequence_drops;
  if (ahead >= spec::net::link_seq_half) {
    control(port, Symbol::Kind::ack, static_cast<std::uint8_t>(p.expected - 1), c + 1);  // a repeat
  } else if (!p.gap_naked) {
    control(port, Symbol::Kind::nak, p.expected, c + 1);  // a gap: NAKed once
    p.gap_naked = true;
  }
  control(port, Symbol::Kind::credit, 0, c + 1);
}

// The sending half's reaction to the receiver, as link_tx does it.
void Switch::acknowledge(unsigned port, const Symbol& s, std::uint64_t c) {
  auto& p = port_[port];
  if (s.kind == Symbol::Kind::credit) {
    ++p.credits;
    return;
  }
  p.quiet_since = c;
  const auto dist = static_cast<std::uint8_t>(s.seq - p.base);
  if (s.kind == Symbol::Kind::ack) {
    if (dist >= p.window.size()) return;
    p.window.erase(p.window.begin(), p.window.begin() + dist + 1);
    p.base = static_cast<std::uint8_t>(s.seq + 1);
    p.resend = p.resend > dist ? p.resend - dist - 1 : 0;
  } else {
    if (dist > p.window.size()) return;
    p.window.erase(p.window.begin(), p.window.begin() + dist);
    p.base = s.seq;
    p.resend = 0;  // go back to the packet NAKed
  }
}

void Switch::pass_pulse(unsigned port, const Symbol& s) {
  if (s.kind == Symbol::Kind::measure) {  // reflected, so the sender measures the round trip
    port_[port].sent.push_back({s.cycle + pulse_latency, Symbol::Kind::measure, 0, false, 0});
    return;
  }
  for (unsigned q = 0; q < ports; ++q)
    if (q != port && (config_.gi_children >> q & 1u)) {
      port_[q].sent.push_back({s.cycle + pulse_latency, Symbol::Kind::gi, 0, false, 0});
      ++stats_.gi_forwarded;
    }
}

std::uint8_t Switch::route(const std::vector<std::uint64_t>& words, unsigned in) const {
  const auto h = Header::decode(words.front());
  const auto dest = static_cast<std::uint16_t>(h.dest);
  if (h.multicast) {
    const auto it = config_.groups.find(dest);
    return it == config_.groups.end() ? 0 : static_cast<std::uint8_t>(it->second & ~(1u << in));
  }
  const auto it = config_.routes.find(dest);
  return it == config_.routes.end() ? 0 : static_cast<std::uint8_t>(1u << it->second);
}

unsigned Switch::credits_needed(unsigned in, unsigned out) const {
  const int d = config_.dimension[out];
  return d >= 0 && config_.dimension[in] != d ? 2 : 1;
}

bool Switch::try_send(unsigned o, std::uint64_t c) {
  auto& out = port_[o];
  if (c < out.next_start || out.credits == 0) return false;
  if (out.resend < out.window.size()) {
    if (out.credits < out.window[out.resend].credits_needed) return false;
    put_on_wire(o, out.window[out.resend].words, c);
    ++out.resend;
    ++stats_.retransmits;
    return true;
  }
  if (out.window.size() >= spec::net::link_window) return false;
  for (unsigned k = 0; k < ports; ++k) {
    const unsigned i = (out.next_input + k) % ports;
    auto& in = port_[i];
    if (in.held.empty()) continue;
    Held& h = in.held.front();
    if (h.ready > c || !(h.pending >> o & 1u) || out.credits < credits_needed(i, o)) continue;
    if (out.window.empty()) out.quiet_since = c;
    out.window.push_back({renumber(h.words, static_cast<std::uint8_t>(out.base + out.window.size())), credits_needed(i, o)});
    out.resend = out.window.size();
    put_on_wire(o, out.window.back().words, c);
    ++stats_.packets_sent;
    h.pending &= static_cast<std::uint8_t>(~(1u << o));
    if (h.pending == 0) release(i, c);
    out.next_input = (i + 1) % ports;
    return true;
  }
  return false;
}

// Every send, first or again, takes a credit; the words leave at the link's pace.
void Switch::put_on_wire(unsigned o, const std::vector<std::uint64_t>& words, std::uint64_t c) {
  auto& out = port_[o];
  --out.credits;
  std::uint64_t t = c;
  for (std::size_t k = 0; k < words.size(); ++k, ++t) {
    t = out.pacer.next_ready(t);
    out.pacer.send(t);
    out.sent.push_back({t, Symbol::Kind::word, words[k], k + 1 == words.size(), 0});
  }
  out.next_start = out.pacer.next_ready(t);
}

// The input buffer is free once every copy has left: its credit goes back upstream.
void Switch::release(unsigned in, std::uint64_t c) {
  port_[in].held.pop_front();
  control(in, Symbol::Kind::credit, 0, c + 1);
}

std::uint64_t Switch::next_event() const {
  std::uint64_t t = never;
  for (const auto& p : port_) {
    for (const auto* q : {&p.words, &p.controls, &p.pulses})
      if (!q->empty()) t = std::min(t, q->front().cycle);
    if (!p.window.empty()) t = std::min(t, p.quiet_since + spec::net::link_timeout_cycles);
  }
  for (unsigned o = 0; o < ports; ++o) {
    const auto& out = port_[o];
    if (!config_.connected[o] || out.credits == 0) continue;
    std::uint64_t when = never;
    if (out.resend < out.window.size()) {
      if (out.credits >= out.window[out.resend].credits_needed) when = now_;
    } else if (out.window.size() < spec::net::link_window) {
      for (unsigned i = 0; i < ports; ++i) {
        const auto& in = port_[i];
        if (!in.held.empty() && (in.held.front().pending >> o & 1u) && out.credits >= credits_needed(i, o))
          when = std::min(when, std::max(in.held.front().ready, now_));
      }
    }
    if (when != never) t = std::min(t, std::max(when, out.next_start));
  }
  return t;
}

}  // namespace nmtwin::extoll
