#include "study/study_traffic.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "experiment/toml_reader.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/random.hpp"

namespace nmtwin::apps::study_detail {

std::string too_many_nodes(const std::string& what) {
  return fmt::format("{}: a study takes at most {} nodes, fewer than a simulated system ({}): it labels every "
                     "delivered spike by its source, {} labels per source node above the first {} of the FPGA's "
                     "routing table of {} entries (docs/latency.md); use 2 to {} nodes",
                     what, max_nodes, max_system_nodes, labels_per_bucket, received_base, spec::net::router_entries,
                     max_nodes);
}

std::vector<unsigned> destinations(const std::string& pattern, unsigned s, unsigned n) {
  std::vector<unsigned> d;
  if (pattern == "uniform" || pattern.starts_with("trace:")) {
    for (unsigned k = 1; k < n && d.size() < spec::net::buckets; ++k) d.push_back((s + k) % n);
  } else if (pattern == "neighbour") {
    d.push_back((s + 1) % n);
  } else if (pattern == "hotspot") {
    if (s != 0) d.push_back(0);
  } else {
    throw InputError(fmt::format("traffic pattern '{}': use uniform, neighbour, hotspot or trace:FILE (a scenario's "
                                 "golden file)",
                                 pattern));
  }
  return d;
}

sim::SimulationConfig system_of(const StudyPoint& p) {
  auto config = simulation_config(find_topology(p.topology));
  auto& net = config.network;
  for (std::size_t i = 0; i < net.links.size(); ++i) {
    auto& c = net.links[i].config;
    if (p.link_latency) c.latency_cycles = *p.link_latency;
    if (p.bandwidth) c.bits_per_cycle = *p.bandwidth;
    if (p.bit_error_rate) c.bit_error_rate = *p.bit_error_rate;
    c.seed = p.seed * 7919 + i;
  }
  if (p.switch_latency) net.switch_latency_cycles = *p.switch_latency;
  // The topology file's quantum while it stays exact for these latencies, else the largest exact one.
  for (const auto& l : net.links)
    if (config.quantum > l.config.latency_cycles) config.quantum = 0;
  config.threads = 1;  // points run side by side in processes
  return config;
}

Traffic traffic(const StudyPoint& p, const sim::SimulationConfig& config, std::uint64_t window_end,
                std::uint64_t duration) {
  const unsigned n = static_cast<unsigned>(config.network.node_ids.size());
  Traffic traffic;
  auto& sends = traffic.sends;
  sends.resize(n);
  const Outcome trace = p.pattern.starts_with("trace:")
                            ? parse_golden(read_input_file(p.pattern.substr(6), "traffic trace"), p.pattern.substr(6))
                            : Outcome{};
  auto& exps = traffic.exps;
  exps.resize(n);
  for (unsigned s = 0; s < n; ++s) {
    auto& e = exps[s];
    e.duration = duration;
    const auto w = [&e](std::uint32_t addr, std::uint64_t v) { e.writes.push_back({addr, static_cast<std::uint32_t>(v), ""}); };
    w(spec::fpga_reg::node_id, config.network.node_ids[s]);
    w(spec::fpga_reg::event_source, 1);
    w(spec::fpga_reg::router_enable, 1);
    w(spec::fpga_reg::delay_control, p.destination_delay == 0 ? 1 : 0);  // split 0 forwards at once
    const auto dests = destinations(p.pattern, s, n);
    for (unsigned b = 0; b < dests.size(); ++b) {
      for (unsigned k = 0; k < labels_per_bucket; ++k) {
        const auto r = hostlink::route_write({.split = 0,
                                              .source = static_cast<std::uint16_t>(b * labels_per_bucket + k),
                                              .bucket = b,
                                              .dest_label = static_cast<std::uint16_t>(received_base + s * labels_per_bucket + k)});
        w(r.addr, r.value);
      }
      for (const auto& bw : hostlink::bucket_writes(b, {.dest = config.network.node_ids[dests[b]],
                                                        .multicast = false,
                                                        .delay = p.destination_delay == 0 ? max_delay : p.destination_delay,
                                                        .pulse_timeout = p.pulse_timeout,
                                                        .packet_timeout = p.packet_timeout}))
        w(bw.addr, bw.value);
    }
    std::vector<unsigned> seq(dests.size(), 0);
    const auto send = [&](std::uint64_t cycle, unsigned b) {
      e.sources.push_back({static_cast<std::uint16_t>(b * labels_per_bucket + seq[b]++ % labels_per_bucket), {cycle}});
      sends[s].push_back({cycle, dests[b]});
    };
    if (!trace.spikes.empty()) {
      // A recorded trace: node n's spikes leave node n mod N, the label picks the destination.
      for (const auto& x : trace.spikes)
        if (x.node % n == s && x.time >= 100 && static_cast<std::uint64_t>(x.time) < window_end && !dests.empty())
          send(static_cast<std::uint64_t>(x.time), x.label % static_cast<unsigned>(dests.size()));
      std::stable_sort(e.sources.begin(), e.sources.end(), [](const auto& a, const auto& b) { return a.times[0] < b.times[0]; });
      std::stable_sort(sends[s].begin(), sends[s].end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    } else {
      // Poisson arrivals: exponential gaps at the offered rate, a uniform destination each.
      random::Xoshiro256ss rng(p.seed * 1000003 + s);
      const double rate_per_cycle = p.rate_per_us / cycles_per_us;
      for (double t = 100 + random::exponential(rng, rate_per_cycle);
           t < static_cast<double>(window_end) && !dests.empty(); t += random::exponential(rng, rate_per_cycle))
        send(static_cast<std::uint64_t>(t), random::uniform_int<unsigned>(rng, 0, static_cast<unsigned>(dests.size()) - 1));
    }
  }
  return traffic;
}

}  // namespace nmtwin::apps::study_detail
