#include "study/latency_study.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "experiment/process_pool.hpp"
#include "experiment/scenario.hpp"
#include "extoll/pacer.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/toml_reader.hpp"
#include "experiment/topology_file.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/random.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;

namespace {

constexpr unsigned labels_per_bucket = 64;   // source labels b * 64 + k
constexpr unsigned received_base = 4096;     // delivered labels 4096 + source * 64 + k
constexpr unsigned max_nodes = (spec::net::router_entries - received_base) / labels_per_bucket;  // 192
constexpr unsigned max_delay = spec::fpga_reg::bucket_delay_fields::delay.max();  // destination_delay 0 means this
namespace timeouts = spec::fpga_reg::bucket_timeout_fields;

std::uint32_t reg(std::string_view name) { return fpga_register(name).value(); }  // names of the spec

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
  config.quantum = 0;  // the largest exact one for these latencies
  config.threads = 1;  // points run side by side in processes
  return config;
}

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
  const auto config = system_of(p);
  const unsigned n = static_cast<unsigned>(config.network.node_ids.size());
  const auto warm = static_cast<std::uint64_t>(std::llround(p.warmup_us * cycles_per_us));
  const auto window_end = warm + static_cast<std::uint64_t>(std::llround(p.sample_us * cycles_per_us));
  const auto duration = window_end + static_cast<std::uint64_t>(std::llround(p.drain_us * cycles_per_us));
  if (p.rate_per_us <= 0 || p.rate_per_us > 125) throw InputError(fmt::format("rate {} per us: use more than 0 and at most 125 (one spike a cycle)", p.rate_per_us));

  // Traffic: per source, Poisson arrivals, each to a destination of the pattern.
  struct Send {
    std::uint64_t t;
    unsigned dest;
  };
  std::vector<std::vector<Send>> sends(n);
  const Outcome trace = p.pattern.starts_with("trace:")
                            ? parse_golden(read_input_file(p.pattern.substr(6), "traffic trace"), p.pattern.substr(6))
                            : Outcome{};
  std::vector<Experiment> exps(n);
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
  const auto run = run_system(fpgas, exps, sim.network().gi_latency(), sim.network().spec().gi_root);
  sim.network().set_observer({});

  PointResult r;
  r.nodes = n;
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
    for (const auto& in : sim.node(d).chip().input_log()) {
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
  const std::uint64_t offset = sim.node(0).systime() - sim.node(0).cycle();
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

// ---- sweeps -----------------------------------------------------------------

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);) out.push_back(item);
  return out;
}

double number(const std::string& name, const std::string& v) {
  try {
    std::size_t used = 0;
    const double x = std::stod(v, &used);
    if (used == v.size() && std::isfinite(x)) return x;
  } catch (const std::exception&) {
  }
  throw InputError(fmt::format("{}={}: '{}' is not a number", name, v, v));
}

void set(StudyPoint& p, const std::string& name, const std::string& v) {
  const auto whole = [&](double lo, double hi) {
    const double x = number(name, v);
    if (x != std::floor(x) || x < lo || x > hi)
      throw InputError(fmt::format("{}={}: use a whole number from {} to {}", name, v, lo, hi));
    return static_cast<std::uint64_t>(x);
  };
  const auto in_range = [&](double lo, double hi, bool open_lo) {
    const double x = number(name, v);
    if (x < lo || x > hi || (open_lo && x == lo))
      throw InputError(open_lo ? fmt::format("{}={}: use a value above {} and at most {}", name, v, lo, hi)
                               : fmt::format("{}={}: use a value from {} to {}", name, v, lo, hi));
    return x;
  };
  if (name == "rate") p.rate_per_us = in_range(0, 125, true);  // at most one spike a cycle
  else if (name == "pattern") {
    if (v.starts_with("trace:")) read_input_file(v.substr(6), "traffic trace");  // names the file when it is missing
    else destinations(v, 0, 2);
    p.pattern = v;
  }
  else if (name == "topology") p.topology = v;
  else if (name == "nodes") p.topology = fmt::format("ring{}", whole(2, max_nodes));
  else if (name == "pulse_timeout") p.pulse_timeout = static_cast<unsigned>(whole(0, timeouts::pulse_timeout.max()));
  else if (name == "packet_timeout") p.packet_timeout = static_cast<unsigned>(whole(0, timeouts::packet_timeout.max()));
  else if (name == "destination_delay") p.destination_delay = static_cast<unsigned>(whole(0, max_delay));
  else if (name == "link_latency") p.link_latency = whole(1, 100000);
  else if (name == "switch_latency") p.switch_latency = whole(1, 100000);
  else if (name == "bandwidth") p.bandwidth = in_range(0, 1e6, true);
  else if (name == "bit_error_rate") p.bit_error_rate = in_range(0, 0.01, false);
  else if (name == "seed") p.seed = whole(0, 1e15);
  else if (name == "warmup_us") p.warmup_us = in_range(0, 1e6, false);
  else if (name == "sample_us") p.sample_us = in_range(0, 1e6, true);
  else if (name == "drain_us") p.drain_us = in_range(0, 1e6, true);
  else
    throw InputError(fmt::format("'{}' is no study parameter; use rate, pattern, topology, nodes, pulse_timeout, "
                                 "packet_timeout, destination_delay, link_latency, switch_latency, bandwidth, "
                                 "bit_error_rate, seed, warmup_us, sample_us or drain_us",
                                 name));
}

std::pair<std::string, std::string> key_value(const std::string& item, std::string_view option) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
    throw InputError(fmt::format("{} '{}': write NAME=VALUE{}", option, item, option == "--sweep" ? ",VALUE..." : ""));
  return {item.substr(0, eq), item.substr(eq + 1)};
}

}  // namespace

std::vector<StudyPoint> study_points(const StudyOptions& o) {
  StudyPoint base = o.base;
  for (const auto& s : o.sets) {
    const auto [k, v] = key_value(s, "--set");
    if (o.sweeps.empty() && (k == "rate" || k == "destination_delay"))
      throw InputError(fmt::format("--set {}: the built-in study sweeps rate and destination_delay itself; give "
                                   "--sweep for your own points",
                                   s));
    set(base, k, v);
  }
  std::vector<StudyPoint> points;
  if (o.sweeps.empty()) {
    // The built-in study: latency against load on a ring of 8, then the deadline.
    for (const char* rate : {"0.25", "2", "4", "6", "7", "8", "10", "16", "32"}) {
      StudyPoint p = base;
      set(p, "rate", rate);
      points.push_back(p);
    }
    for (const char* delay : {"100", "150", "200", "250", "300", "350", "400"}) {
      StudyPoint p = base;
      set(p, "rate", "2");
      set(p, "destination_delay", delay);
      points.push_back(p);
    }
    return points;
  }
  points.push_back(base);
  std::vector<std::string> swept;
  for (const auto& sweep : o.sweeps) {
    const auto [name, values] = key_value(sweep, "--sweep");
    if (std::find(swept.begin(), swept.end(), name) != swept.end())
      throw InputError(fmt::format("--sweep {} is given twice; list all values in one: --sweep {}=V1,V2,...", name, name));
    swept.push_back(name);
    const auto list = split(values, ',');
    if (values.back() == ',' || std::find(list.begin(), list.end(), "") != list.end())
      throw InputError(fmt::format("--sweep {}: an empty value in '{}'", sweep, values));
    std::vector<StudyPoint> next;
    for (const auto& p : points)
      for (const auto& v : list) {
        StudyPoint q = p;
        set(q, name, v);
        next.push_back(q);
      }
    points = std::move(next);
  }
  return points;
}

// ---- output -------------------------------------------------------------------

const std::vector<std::string>& study_columns() {
  static const std::vector<std::string> c{
      "point", "topology", "nodes", "pattern", "rate_per_us", "pulse_timeout", "packet_timeout", "destination_delay",
      "link_latency_cycles", "switch_latency_cycles", "bandwidth_bits_per_cycle", "bit_error_rate", "seed",
      "warmup_us", "sample_us", "drain_us", "status", "sent", "delivered", "undelivered", "routed", "released", "expired", "full",
      "offered_per_us", "accepted_per_us", "latency_min_cycles", "latency_mean_cycles", "latency_p50_cycles",
      "latency_p99_cycles", "latency_p999_cycles", "latency_max_cycles", "jitter_cycles", "latency_mean_ns",
      "latency_p99_ns", "latency_mean_bio_ms", "latency_p99_bio_ms", "delivered_before_deadline", "events_per_packet",
      "header_overhead", "max_link_utilization"};
  return c;
}

namespace {

std::string serialize(const PointResult& r) {
  std::string s = fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}\n", r.unstable ? 1 : 0, r.nodes,
                              r.sent, r.delivered, r.undelivered, r.routed, r.packets, r.released, r.expired, r.full,
                              r.offered_per_us, r.accepted_per_us, r.lat_min, r.lat_mean, r.lat_p50, r.lat_p99,
                              r.lat_p999, r.lat_max, r.jitter, r.max_link_utilization, r.samples.size());
  for (const auto& [h, l] : r.samples) s += fmt::format("{} {}\n", h, l);
  s += fmt::format("{} {} {} {}\n", r.link_latency, r.switch_latency, r.bandwidth, r.bit_error_rate);
  s += fmt::format("{}\n", r.zero_load_by_hops.size());
  for (const auto& [h, z] : r.zero_load_by_hops) s += fmt::format("{} {}\n", h, z);
  return s;
}

std::optional<PointResult> deserialize(const std::string& text) {
  std::istringstream in(text);
  PointResult r;
  std::size_t n = 0;
  if (!(in >> r.unstable >> r.nodes >> r.sent >> r.delivered >> r.undelivered >> r.routed >> r.packets >> r.released >>
        r.expired >> r.full >> r.offered_per_us >> r.accepted_per_us >> r.lat_min >> r.lat_mean >> r.lat_p50 >>
        r.lat_p99 >> r.lat_p999 >> r.lat_max >> r.jitter >> r.max_link_utilization >> n))
    return std::nullopt;
  r.samples.resize(n);
  for (auto& [h, l] : r.samples) in >> h >> l;
  in >> r.link_latency >> r.switch_latency >> r.bandwidth >> r.bit_error_rate;
  std::size_t m = 0;
  in >> m;
  for (std::size_t i = 0; i < m; ++i) {
    unsigned h = 0;
    std::uint64_t z = 0;
    in >> h >> z;
    r.zero_load_by_hops[h] = z;
  }
  return r;
}


std::string csv_row(std::size_t i, const StudyPoint& p, const PointResult& r) {
  const double ns = spec::cycle_ns;
  const double epp = r.packets ? static_cast<double>(r.routed) / static_cast<double>(r.packets) : 0;
  // Header and CRC word per packet against two events per payload word.
  const double overhead = r.packets ? 2.0 * static_cast<double>(r.packets) /
                                          (2.0 * static_cast<double>(r.packets) + std::ceil(epp / 2) * static_cast<double>(r.packets))
                                    : 0;
  // With a deadline: released / routed (counters); forwarded at once: delivered / sent.
  const auto ratio = [](std::uint64_t a, std::uint64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; };
  const double before_deadline = p.destination_delay ? ratio(r.released, r.routed) : ratio(r.delivered, r.sent);
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.4f},{:.4f},{},{:.3f},{},{},{},{},"
                     "{:.3f},{:.1f},{:.1f},{:.6f},{:.6f},{:.6f},{:.3f},{:.4f},{:.4f}\n",
                     i, p.topology, r.nodes, p.pattern, p.rate_per_us, p.pulse_timeout, p.packet_timeout,
                     p.destination_delay, r.link_latency, r.switch_latency, r.bandwidth, r.bit_error_rate, p.seed, p.warmup_us,
                     p.sample_us, p.drain_us, r.failed ? "error" : r.unstable ? "unstable" : "stable", r.sent,
                     r.delivered, r.undelivered, r.routed, r.released, r.expired, r.full, r.offered_per_us,
                     r.accepted_per_us, r.lat_min, r.lat_mean, r.lat_p50, r.lat_p99, r.lat_p999, r.lat_max, r.jitter,
                     r.lat_mean * ns, r.lat_p99 * ns, r.lat_mean * ns / 1000.0, r.lat_p99 * ns / 1000.0,
                     before_deadline, epp, overhead, r.max_link_utilization);
}

}  // namespace

void write_study_plots(const std::string& dir, const std::vector<StudyPoint>& points,
                       const std::vector<PointResult>& results, std::ostream& out);

int run_latency_study(const StudyOptions& o, std::ostream& out, std::ostream& progress) {
  const auto points = study_points(o);
  for (const auto& p : points) {  // reject bad parameters before any point runs
    const auto nodes = system_of(p).network.node_ids.size();
    if (nodes > max_nodes)
      throw InputError(fmt::format("topology {} has {} nodes; a study labels spikes by source and takes at most {}",
                                   p.topology, nodes, max_nodes));
  }
  fs::create_directories(o.output);
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<PointResult> results(points.size());
  std::size_t done = 0;
  bool failed = false;
  const auto bar = [&](std::size_t k) {
    ++done;
    const auto width = 30 * done / points.size();
    fmt::print(progress, "\r[{:<30}] {}/{} points{}", std::string(width, '#'), done, points.size(),
               done == points.size() ? "\n" : "");
    if (results[k].unstable && !results[k].failed)
      fmt::print(progress, "  (point {} unstable: spikes late past {} us)\n", k, points[k].drain_us);
    progress.flush();
  };
  run_in_processes(
      points.size(), jobs,
      [&](std::size_t k) {
        try {
          return serialize(run_point(points[k]));
        } catch (const std::exception& e) {
          return std::string("error ") + e.what();
        }
      },
      [&](std::size_t k, const std::string& text) {
        if (auto r = deserialize(text)) {
          results[k] = std::move(*r);
        } else {
          failed = true;
          results[k].failed = true;
          fmt::print(progress, "\npoint {} failed: {}\n", k, text.empty() ? "its process died" : text.substr(6));
        }
        bar(k);
      });
  const auto csv = (fs::path(o.output) / "study.csv").string();
  std::ofstream f(csv);
  for (std::size_t i = 0; i < study_columns().size(); ++i) f << (i ? "," : "") << study_columns()[i];
  f << "\n";
  for (std::size_t i = 0; i < points.size(); ++i) f << csv_row(i, points[i], results[i]);
  // Latencies per hop count and the CDF of every point, for the plots.
  std::ofstream hops(fs::path(o.output) / "latency_by_hops.csv");
  hops << "point,hops,spikes,latency_min_cycles,latency_mean_cycles,latency_max_cycles,zero_load_model_cycles\n";
  std::ofstream cdf(fs::path(o.output) / "latency_cdf.csv");
  cdf << "point,latency_cycles,latency_ns,fraction\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::map<unsigned, std::vector<std::int64_t>> by;
    std::vector<std::int64_t> all;
    for (const auto& [h, l] : results[i].samples) {
      by[h].push_back(l);
      all.push_back(l);
    }
    for (auto& [h, v] : by) {
      double sum = 0;
      for (auto l : v) sum += static_cast<double>(l);
      hops << fmt::format("{},{},{},{},{:.3f},{},{}\n", i, h, v.size(), *std::min_element(v.begin(), v.end()),
                          sum / static_cast<double>(v.size()), *std::max_element(v.begin(), v.end()),
                          results[i].zero_load_by_hops[h]);
    }
    std::sort(all.begin(), all.end());
    for (std::size_t k = 0; k < all.size(); ++k)
      if (k + 1 == all.size() || all[k + 1] != all[k])
        cdf << fmt::format("{},{},{:.1f},{:.6f}\n", i, all[k], static_cast<double>(all[k]) * spec::cycle_ns,
                           static_cast<double>(k + 1) / static_cast<double>(all.size()));
  }
  f.close();
  hops.close();
  cdf.close();  // complete before gnuplot reads them
  if (!f || !hops || !cdf) throw std::runtime_error(fmt::format("cannot write the study's CSV files in {}", o.output));
  fmt::print(out, "{} points written to {}\n", points.size(), csv);
  if (o.plots) write_study_plots(o.output, points, results, out);
  if (failed) fmt::print(out, "some points failed to run (marked unstable); see the messages above\n");
  return failed ? 1 : 0;
}

}  // namespace nmtwin::apps
