// One point of a latency study: its traffic run on the simulated system, then
// latencies, throughput, counters and link utilisation measured from the twin.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "experiment/ranks.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/topology_file.hpp"
#include "extoll/pacer.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "study/study_traffic.hpp"

namespace nmtwin::apps {

namespace {

using study_detail::labels_per_bucket;
using study_detail::received_base;
using study_detail::system_of;

std::uint32_t reg(std::string_view name) { return fpga_register(name).value(); }  // names of the spec

double quantile(const std::vector<std::int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size()))) - (q > 0 ? 1 : 0);
  return static_cast<double>(sorted[std::min(i, sorted.size() - 1)]);
}

}  // namespace

std::uint64_t zero_load_latency(const extoll::Network& net, unsigned a, unsigned b, unsigned pulse_timeout) {
  const auto& spec = net.spec();
  const auto links = net.path(a, b);
  if (links.empty()) throw std::invalid_argument(fmt::format("no route from node {} to node {}", a, b));
  constexpr unsigned words = 3;  // header, one event, CRC
  std::uint64_t t = pulse_timeout + fpga_pipeline_cycles + (links.size() - 1) * spec.switch_latency_cycles;
  for (auto l : links) {
    const auto& c = spec.links[l].config;
    extoll::Pacer pacer(c.bits_per_cycle);
    std::uint64_t last = 0;
    for (unsigned w = 0; w < words; ++w) {
      last = pacer.next_ready(w == 0 ? 0 : last + 1);
      pacer.send(last);
    }
    t += c.latency_cycles + last;
  }
  return t;
}

PointResult run_point(const StudyPoint& p) {
  auto config = system_of(p);
  if (rank_count() > 1) {  // under mpirun (docs/scaleout.md)
    const auto topology = find_topology(p.topology);
    split_over_ranks(config, &topology);
  }
  const unsigned n = static_cast<unsigned>(config.network.node_ids.size());
  const auto warm = static_cast<std::uint64_t>(std::llround(p.warmup_us * cycles_per_us));
  const auto window_end = warm + static_cast<std::uint64_t>(std::llround(p.sample_us * cycles_per_us));
  const auto duration = window_end + static_cast<std::uint64_t>(std::llround(p.drain_us * cycles_per_us));
  if (p.rate_per_us <= 0 || p.rate_per_us > 125) throw InputError(fmt::format("rate {} per us: use more than 0 and at most 125 (one spike a cycle)", p.rate_per_us));

  auto [exps, sends] = study_detail::traffic(p, config, window_end, duration);
  for (auto& e : exps) {  // the counters the result is made of, in the order read below
    for (const char* c : {"events_routed", "delay_events[0]", "delay_loss_expired[0]", "delay_loss_full[0]"})
      e.reads.push_back({reg(c), c});
    for (unsigned b = 0; b < spec::net::buckets; ++b) {
      const auto name = fmt::format("packets_sent[{}]", b);
      e.reads.push_back({reg(name), name});
    }
  }

  sim::Simulation sim(config);
  // Words on every link direction per µs of cycles, for the utilisation of the busiest.
  std::vector<std::vector<std::uint32_t>> words(2 * sim.network().links());
  sim.network().set_observer([&](std::size_t link, unsigned from, auto sent, auto) {
    auto& counts = words[2 * link + from];
    for (const auto& x : sent) {
      if (x.kind != extoll::Symbol::Kind::word) continue;
      const auto us = static_cast<std::size_t>(static_cast<double>(x.cycle) / cycles_per_us);
      if (counts.size() <= us) counts.resize(us + 1, 0);
      ++counts[us];
    }
  });
  std::vector<std::unique_ptr<sim::InProcessConnection>> c;
  std::vector<hostlink::Connection*> fpgas;
  for (unsigned i = 0; i < n; ++i) {
    c.push_back(std::make_unique<sim::InProcessConnection>(sim, i));
    fpgas.push_back(c.back().get());
  }
  const auto run = run_system(fpgas, exps, sim.network().gi_latency(), sim.network().spec().gi_root,
                              SpikeAccounting::in_process(sim));
  sim.network().set_observer({});
  sum_over_ranks(sim, words);  // each rank saw the link directions whose sending end it simulates
  const auto inputs = chip_input_logs(sim);

  PointResult r;
  r.nodes = n;
  r.ledger = run.ledger;
  if (!config.network.links.empty()) {  // the values in effect (the topology's when not set)
    const auto& c = config.network.links.front().config;
    r.link_latency = c.latency_cycles;
    r.bandwidth = c.bits_per_cycle;
    r.bit_error_rate = c.bit_error_rate;
  }
  r.switch_latency = config.network.switch_latency_cycles;
  const std::uint64_t start = run.start_systime[0];
  // Arrivals per (source, destination), in order: the network keeps the order of one path.
  std::map<std::pair<unsigned, unsigned>, std::vector<std::uint64_t>> arrivals;
  std::uint64_t arrived_in_window = 0;
  for (unsigned d = 0; d < n; ++d)
    for (const auto& in : inputs[d]) {
      if (in.label < received_base || in.label >= received_base + n * labels_per_bucket) continue;
      arrivals[{(in.label - received_base) / labels_per_bucket, d}].push_back(in.time);
      arrived_in_window += in.time >= start + warm && in.time < start + window_end;
    }
  for (const auto& list : sends)
    for (const auto& x : list) r.sent += x.t >= warm;
  std::vector<std::int64_t> latencies;
  // With a deadline the delivered spikes arrive on it (send + 3 + delay) and the
  // dropped ones not at all: the latency is measured with forwarding at once only.
  std::map<std::pair<unsigned, unsigned>, unsigned> hops;  // a path is walked once per (source, destination)
  for (unsigned s = 0; s < n && p.destination_delay == 0; ++s) {
    std::map<unsigned, std::size_t> next;
    for (const auto& x : sends[s]) {
      const auto& a = arrivals[{s, x.dest}];
      const std::size_t i = next[x.dest]++;
      if (x.t < warm) continue;
      if (i >= a.size()) {
        ++r.undelivered;
        continue;
      }
      ++r.delivered;
      const auto lat = static_cast<std::int64_t>(a[i] - (start + x.t));
      latencies.push_back(lat);
      const auto known = hops.find({s, x.dest});
      const unsigned h = known != hops.end() ? known->second : hops[{s, x.dest}] = sim.network().hops(s, x.dest);
      r.samples.emplace_back(h, lat);
      if (!r.zero_load_by_hops.count(h))
        r.zero_load_by_hops[h] = zero_load_latency(sim.network(), s, x.dest, p.pulse_timeout);
    }
  }
  for (unsigned i = 0; i < n; ++i) {
    const auto& v = run.reads[i];
    r.routed += v[0];
    r.released += v[1];
    r.expired += v[2];
    r.full += v[3];
    for (unsigned b = 0; b < spec::net::buckets; ++b) r.packets += v[4 + b];
  }
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    double sum = 0, sq = 0;
    for (auto l : latencies) sum += static_cast<double>(l);
    r.lat_mean = sum / static_cast<double>(latencies.size());
    for (auto l : latencies) sq += (static_cast<double>(l) - r.lat_mean) * (static_cast<double>(l) - r.lat_mean);
    r.jitter = std::sqrt(sq / static_cast<double>(latencies.size()));
    r.lat_min = static_cast<double>(latencies.front());
    r.lat_max = static_cast<double>(latencies.back());
    r.lat_p50 = quantile(latencies, 0.5);
    r.lat_p99 = quantile(latencies, 0.99);
    r.lat_p999 = quantile(latencies, 0.999);
  }
  unsigned sources = 0;  // the nodes that sent anything (a trace may leave some out)
  for (unsigned s = 0; s < n; ++s) sources += !sends[s].empty();
  r.offered_per_us = static_cast<double>(r.sent) / p.sample_us / std::max(1u, sources);
  r.accepted_per_us = static_cast<double>(arrived_in_window) / p.sample_us / std::max(1u, sources);
  // The sample window in cycles (systime runs ahead of the cycle count by a constant after the sync).
  const std::uint64_t offset = node_value(sim, 0, [](sim::Node& node) { return node.systime() - node.cycle(); });
  const auto first_us = static_cast<std::size_t>(static_cast<double>(start + warm - offset) / cycles_per_us) + 1;
  const auto last_us = static_cast<std::size_t>(static_cast<double>(start + window_end - offset) / cycles_per_us);
  for (std::size_t l = 0; l < words.size(); ++l) {
    std::uint64_t w = 0;
    for (std::size_t u = first_us; u < last_us && u < words[l].size(); ++u) w += words[l][u];
    const double bits_per_cycle = config.network.links[l / 2].config.bits_per_cycle;
    if (last_us > first_us)
      r.max_link_utilization = std::max(r.max_link_utilization, static_cast<double>(w) * 64.0 /
                                                                    (static_cast<double>(last_us - first_us) * cycles_per_us) /
                                                                    bits_per_cycle);
  }
  // Forwarded at once, a spike not delivered by the end means the network did not
  // keep up; with a deadline, every event must be released or counted as dropped.
  r.unstable = p.destination_delay == 0 ? r.undelivered > 0 || r.lat_max >= p.drain_us * cycles_per_us
                                        : r.routed != r.released + r.expired + r.full;
  return r;
}

}  // namespace nmtwin::apps
