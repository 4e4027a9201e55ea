#include "experiment/spike_ledger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "nmtwin/network_config.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "nmtwin/system.hpp"

namespace nmtwin::apps {

namespace {

constexpr unsigned buckets = 8, splits = 2;
constexpr std::uint32_t multicast_bit = 1u << 16;

enum class Peer { none, node, network_switch };

Peer peer_of(const extoll::NetworkSpec& spec, unsigned node) {
  for (const auto& l : spec.links) {
    if (!l.a.is_switch && l.a.index == node) return l.b.is_switch ? Peer::network_switch : Peer::node;
    if (!l.b.is_switch && l.b.index == node) return l.a.is_switch ? Peer::network_switch : Peer::node;
  }
  return Peer::none;
}

// The nodes one event of `node`'s bucket with destination register `dest` reaches, or
// is counted as unroutable by a switch (once): a directly linked FPGA takes every
// packet; a switch delivers a unicast packet once or counts it, a multicast packet
// to every member of its group but the sender (or counts it once when the group is
// unknown or has no other member).
std::uint64_t copies(const extoll::NetworkSpec& spec, unsigned node, Peer peer, std::uint32_t dest) {
  if (peer == Peer::none) return 0;  // never leaves: see conservation_violations
  if (peer == Peer::node || !(dest & multicast_bit)) return 1;
  const auto group = static_cast<std::uint16_t>(dest & 0xFFFF);
  for (const auto& g : spec.groups) {
    if (g.group != group) continue;
    const auto others = std::count_if(g.members.begin(), g.members.end(), [&](unsigned m) { return m != node; });
    return others > 0 ? static_cast<std::uint64_t>(others) : 1;
  }
  return 1;
}

NodeLedger read_all(const std::vector<hostlink::Counter48>& c48, const std::vector<hostlink::Ticket>& dest) {
  NodeLedger n;
  std::size_t k = 0;
  n.events_routed = c48[k++].value();
  n.router_loss_disabled = c48[k++].value();
  n.router_loss_invalid = c48[k++].value();
  for (auto& v : n.bucket_events) v = c48[k++].value();
  for (unsigned s = 0; s < splits; ++s) {
    n.decoder_events[s] = c48[k++].value();
    n.delay_events[s] = c48[k++].value();
    n.delay_loss_expired[s] = c48[k++].value();
    n.delay_loss_full[s] = c48[k++].value();
  }
  for (unsigned b = 0; b < buckets; ++b) n.bucket_dest[b] = dest[b].value();
  return n;
}

}  // namespace

std::uint64_t NodeLedger::sent() const {
  return std::accumulate(bucket_events.begin(), bucket_events.end(), std::uint64_t{0});
}

std::vector<std::string> conservation_violations(const extoll::NetworkSpec& spec, const SystemLedger& ledger) {
  std::vector<std::string> out;
  std::uint64_t sent = 0, arrived = 0;
  std::string sent_terms, arrived_terms;
  for (unsigned i = 0; i < ledger.nodes.size(); ++i) {
    const auto& n = ledger.nodes[i];
    if (n.events_routed != n.sent())
      out.push_back(fmt::format("node {}: events_routed = {} but the buckets took {} (sum of bucket_events[0..15]): "
                                "{} event(s) unaccounted for on the send side",
                                i, n.events_routed, n.sent(),
                                static_cast<std::int64_t>(n.events_routed) - static_cast<std::int64_t>(n.sent())));
    for (unsigned s = 0; s < splits; ++s) {
      const std::uint64_t out_of_buffer = n.delay_events[s] + n.delay_loss_expired[s] + n.delay_loss_full[s];
      if (n.decoder_events[s] != out_of_buffer)
        out.push_back(fmt::format(
            "node {}: decoder_events[{}] = {} but delay_events[{}] + delay_loss_expired[{}] + delay_loss_full[{}] = "
            "{} + {} + {} = {}: {} event(s) received and neither released to the chip nor counted as dropped",
            i, s, n.decoder_events[s], s, s, s, n.delay_events[s], n.delay_loss_expired[s], n.delay_loss_full[s],
            out_of_buffer, static_cast<std::int64_t>(n.decoder_events[s]) - static_cast<std::int64_t>(out_of_buffer)));
    }
    const Peer peer = peer_of(spec, i);
    std::uint64_t mine = 0;
    for (unsigned b = 0; b < buckets; ++b)
      mine += copies(spec, i, peer, n.bucket_dest[b]) * (n.bucket_events[2 * b] + n.bucket_events[2 * b + 1]);
    sent += mine;
    arrived += n.decoder_events[0] + n.decoder_events[1];
    if (mine) sent_terms += fmt::format("{}node {} {}", sent_terms.empty() ? "" : ", ", i, mine);
    if (n.decoder_events[0] + n.decoder_events[1])
      arrived_terms += fmt::format("{}node {} {}", arrived_terms.empty() ? "" : ", ", i,
                                   n.decoder_events[0] + n.decoder_events[1]);
  }
  for (unsigned i = 0; i < ledger.nodes.size(); ++i)
    if (peer_of(spec, i) == Peer::none && ledger.nodes[i].sent() > 0)
      out.push_back(fmt::format("node {}: the buckets took {} event(s) (bucket_events) but the node has no network "
                                "link: they can reach no one; disable its router (router_enable = 0) or give it a "
                                "link in the topology",
                                i, ledger.nodes[i].sent()));
  const auto describe = [](const std::string& terms) { return terms.empty() ? std::string() : " (" + terms + ")"; };
  if (ledger.unroutable_events) {
    if (sent != arrived + *ledger.unroutable_events)
      out.push_back(fmt::format(
          "system: {} event copies sent into the network (bucket_events times the nodes each bucket reaches{}) but "
          "{} arrived (decoder_events{}) + {} unroutable (switch counters unroutable_events): {} event(s) "
          "unaccounted for",
          sent, describe(sent_terms), arrived, describe(arrived_terms), *ledger.unroutable_events,
          static_cast<std::int64_t>(sent) - static_cast<std::int64_t>(arrived + *ledger.unroutable_events)));
  } else if (arrived > sent) {
    out.push_back(fmt::format("system: {} events arrived (decoder_events{}) but only {} event copies were sent "
                              "(bucket_events times the nodes each bucket reaches{}): {} event(s) from nowhere",
                              arrived, describe(arrived_terms), sent, describe(sent_terms), arrived - sent));
  }
  return out;
}

void check_conservation(const extoll::NetworkSpec& spec, const SystemLedger& ledger) {
  const auto v = conservation_violations(spec, ledger);
  if (v.empty()) return;
  std::string text = fmt::format("spike conservation violated after the run ({} drain round(s) of {} cycles{}):",
                                 ledger.drain_rounds, drain_round_cycles,
                                 ledger.settled ? "" : ", the counters were still changing: traffic never stopped");
  for (const auto& line : v) text += "\n  " + line;
  throw ConservationError(text);
}

SystemLedger drain_and_read(std::span<hostlink::Connection* const> fpgas, const extoll::NetworkSpec& spec,
                            const std::function<std::uint64_t()>& unroutable) {
  namespace reg = spec::fpga_reg;
  SystemLedger ledger, previous;
  for (unsigned round = 1; round <= max_drain_rounds; ++round) {
    std::vector<hostlink::Program> programs(fpgas.size());
    std::vector<std::vector<hostlink::Counter48>> c48(fpgas.size());
    std::vector<std::vector<hostlink::Ticket>> dest(fpgas.size());
    for (std::size_t i = 0; i < fpgas.size(); ++i) {
      auto& p = programs[i];
      if (round == 1) p.write(reg::event_source, 0);  // no new events: the network drains
      p.timer_reset();
      p.wait_until(drain_round_cycles);
      auto& c = c48[i];
      c.push_back(read_counter48(p, reg::events_routed));
      c.push_back(read_counter48(p, reg::router_loss_disabled));
      c.push_back(read_counter48(p, reg::router_loss_invalid));
      for (unsigned k = 0; k < buckets * splits; ++k) c.push_back(read_counter48(p, reg::bucket_events(k)));
      for (unsigned s = 0; s < splits; ++s) {
        c.push_back(read_counter48(p, reg::decoder_events(s)));
        c.push_back(read_counter48(p, reg::delay_events(s)));
        c.push_back(read_counter48(p, reg::delay_loss_expired(s)));
        c.push_back(read_counter48(p, reg::delay_loss_full(s)));
      }
      for (unsigned b = 0; b < buckets; ++b) dest[i].push_back(p.read(reg::bucket_dest(b)));
    }
    hostlink::run_together(fpgas, programs);
    ledger = SystemLedger{};
    for (std::size_t i = 0; i < fpgas.size(); ++i) ledger.nodes.push_back(read_all(c48[i], dest[i]));
    if (unroutable) ledger.unroutable_events = unroutable();
    ledger.drain_rounds = round;
    if (conservation_violations(spec, ledger).empty()) return ledger;
    ledger.settled = round > 1 && ledger.nodes == previous.nodes && ledger.unroutable_events == previous.unroutable_events;
    if (ledger.settled) return ledger;  // nothing moves any more: what is missing is lost (settled)
    previous = ledger;
  }
  return ledger;
}

}  // namespace nmtwin::apps
