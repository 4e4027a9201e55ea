#include "experiment/synfire.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "experiment/output_path.hpp"
#include "experiment/ranks.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/toml_reader.hpp"
#include "experiment/topology_file.hpp"
#include "nmtwin/random.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::apps {

namespace {

namespace nrn = spec::chip::neuron;

// Synapse rows on every chip: 0 the stimulus, 1 + 2i the excitatory output of link i,
// 2 + 2i the inhibitory output of link i.
unsigned exc_row(unsigned link) { return 1 + 2 * link; }
unsigned inh_row(unsigned link) { return 2 + 2 * link; }

struct Writer {
  Experiment& e;
  void reg(std::uint32_t addr, std::uint32_t value, std::string what) {
    e.writes.push_back({addr, value, std::move(what)});
  }
  void neuron(unsigned n, std::uint32_t field, std::int64_t value) {
    reg(spec::chip::bus_addr(nrn::addr(n, field)), static_cast<std::uint32_t>(value),
        fmt::format("neuron {} field {}", n, field));
  }
  void weight(unsigned row, unsigned n, unsigned w) {
    reg(spec::chip::bus_addr(spec::chip::weight::addr(row * spec::chip::neurons + n, spec::chip::weight::value)), w,
        fmt::format("weight row {} neuron {}", row, n));
  }
};

}  // namespace

SynfireNetwork build_synfire(const SynfireParams& params) {
  SynfireNetwork net{params, {}, {}};
  SynfireParams& p = net.params;
  if (p.links < 2) throw std::invalid_argument("synfire: a chain needs at least 2 links");
  if (p.chip_of_link.empty())
    for (unsigned i = 0; i < p.links; ++i) p.chip_of_link.push_back((i / 2) % 2);
  if (p.chip_of_link.size() != p.links)
    throw std::invalid_argument(
        fmt::format("synfire: chip_of_link has {} entries for {} links", p.chip_of_link.size(), p.links));
  const unsigned per_chip_neurons = p.links * (p.exc + p.inh);
  if (per_chip_neurons > spec::chip::neurons || inh_row(p.links) >= spec::chip::rows)
    throw std::invalid_argument(fmt::format("synfire: {} links of {} + {} neurons do not fit on a chip of {} neurons",
                                            p.links, p.exc, p.inh, spec::chip::neurons));
  if (p.w_exc > 63 || p.w_exc_inh > 63 || p.w_inh > 63)
    throw std::invalid_argument("synfire: weights are 6 bit (0..63)");
  unsigned chips = 0;
  for (unsigned c : p.chip_of_link) chips = std::max(chips, c + 1);
  net.chips.resize(chips);
  for (unsigned c = 0; c < chips; ++c) {
    net.chips[c].name = fmt::format("synfire chip {}", c);
    net.chips[c].duration = p.duration;
  }

  random::Xoshiro256ss rng(p.seed);
  const auto exc_neuron = [&](unsigned link, unsigned k) { return link * (p.exc + p.inh) + k; };
  const auto inh_neuron = [&](unsigned link, unsigned k) { return link * (p.exc + p.inh) + p.exc + k; };

  for (unsigned link = 0; link < p.links; ++link) {
    const unsigned chip = p.chip_of_link[link];
    Writer w{net.chips[chip]};
    const bool next_here = link + 1 < p.links && p.chip_of_link[link + 1] == chip;
    const bool next_away = link + 1 < p.links && !next_here;
    for (unsigned k = 0; k < p.exc + p.inh; ++k) {
      const bool exc = k < p.exc;
      const unsigned n = exc ? exc_neuron(link, k) : inh_neuron(link, k - p.exc);
      w.neuron(n, nrn::threshold_uv, -50000 + random::uniform_int(rng, -1500, 1500));  // heterogeneity
      w.neuron(n, nrn::reset_uv, -70000);
      w.neuron(n, nrn::leak_uv, -65000);
      w.neuron(n, nrn::tau_m_ns, exc ? p.exc_tau_m_ns : p.inh_tau_m_ns);
      w.neuron(n, nrn::tau_syn_ns, exc ? p.exc_tau_syn_ns : p.inh_tau_syn_ns);
      w.neuron(n, nrn::refractory_ns, exc ? p.exc_refractory_ns : p.inh_refractory_ns);
      w.neuron(n, nrn::weight_scale_uv, 1000);
      // Every spike goes to the host; the label is the neuron number (split 0).
      w.neuron(n, nrn::output, nrn::output_fields::enable.put(1) | nrn::output_fields::label.put(n));
      const unsigned row = exc ? exc_row(link) : inh_row(link);
      if (!exc || next_here)
        w.neuron(n, nrn::loopback, nrn::loopback_fields::enable.put(1) | nrn::loopback_fields::row.put(row));
      if (exc && next_away) {
        const auto entry = spec::layout::RouterEntry{.valid = 1, .bucket = 0, .label = exc_row(link)}.encode();
        w.reg(spec::bus::table_base + n, static_cast<std::uint32_t>(entry), fmt::format("route of neuron {}", n));
      }
    }
    // Inhibition onto the own excitatory population.
    w.reg(spec::chip::bus_addr(spec::chip::row::addr(inh_row(link), spec::chip::row::inhibitory)), 1,
          fmt::format("row {} inhibitory", inh_row(link)));
    for (unsigned k = 0; k < p.exc; ++k) w.weight(inh_row(link), exc_neuron(link, k), p.w_inh);
    // The previous link's (or the stimulus') excitatory row drives both populations.
    const unsigned in_row = link == 0 ? 0 : exc_row(link - 1);
    for (unsigned k = 0; k < p.exc + p.inh; ++k) {
      const unsigned n = k < p.exc ? exc_neuron(link, k) : inh_neuron(link, k - p.exc);
      if (random::bernoulli(rng, p.connectivity)) w.weight(in_row, n, k < p.exc ? p.w_exc : p.w_exc_inh);
    }
    net.populations.push_back({fmt::format("link {} exc (chip {})", link, chip), chip,
                               static_cast<std::uint16_t>(exc_neuron(link, 0)),
                               static_cast<std::uint16_t>(exc_neuron(link, p.exc - 1)), "#1f4e9a"});
    net.populations.push_back({fmt::format("link {} inh", link), chip, static_cast<std::uint16_t>(inh_neuron(link, 0)),
                               static_cast<std::uint16_t>(inh_neuron(link, p.inh - 1)), "#b22222"});
  }

  // Cross-chip traffic: every chip sends through bucket 0 to the other chip, routing on.
  for (unsigned c = 0; c < chips; ++c) {
    Writer w{net.chips[c]};
    if (chips > 1) {
      w.reg(spec::fpga_reg::node_id, c, "node_id");
      const auto dest = spec::layout::BucketDest{.multicast = 0, .dest = (c + 1) % chips}.encode();
      w.reg(spec::fpga_reg::bucket_dest(0), static_cast<std::uint32_t>(dest), "bucket 0 destination");
      w.reg(spec::fpga_reg::bucket_delay(0), p.destination_delay, "bucket 0 delay");
      w.reg(spec::fpga_reg::bucket_timeout(0),
            static_cast<std::uint32_t>(spec::layout::BucketTimeout{.packet_timeout = 0, .pulse_timeout = 1}.encode()),
            "bucket 0 timeouts");
      w.reg(spec::fpga_reg::router_enable, 1, "router_enable");
      w.reg(spec::fpga_reg::event_source, 2, "event_source (chip spikes)");
    }
  }

  // Stimulus: input spikes into row 0 of the first link's chip, spread over a window.
  SpikeSource source{0, {}};
  for (unsigned i = 0; i < p.stimulus; ++i)
    source.times.push_back(p.start + random::uniform_int<std::uint64_t>(rng, 0, p.stimulus_spread));
  std::sort(source.times.begin(), source.times.end());
  net.chips[p.chip_of_link[0]].sources.push_back(std::move(source));
  return net;
}

HopLatency hop_latency(const std::vector<LinkActivity>& activity) {
  HopLatency h;
  for (std::size_t i = 1; i < activity.size(); ++i) {
    if (activity[i].spikes == 0 || activity[i - 1].spikes == 0) continue;
    const double d = activity[i].mean_us - activity[i - 1].mean_us;
    if (activity[i].chip == activity[i - 1].chip) {
      h.on_chip_us += d;
      ++h.on_chip_hops;
    } else {
      h.cross_chip_us += d;
      ++h.cross_chip_hops;
    }
  }
  if (h.on_chip_hops) h.on_chip_us /= h.on_chip_hops;
  if (h.cross_chip_hops) h.cross_chip_us /= h.cross_chip_hops;
  return h;
}

std::vector<LinkActivity> analyze_synfire(const SynfireNetwork& net, const std::vector<RasterSpike>& spikes) {
  std::vector<LinkActivity> out;
  for (unsigned link = 0; link < net.params.links; ++link) {
    const RasterGroup& g = net.populations[2 * link];
    LinkActivity a{link, g.node, 0, 0, 0};
    double sum = 0, sum2 = 0;
    for (const auto& s : spikes)
      if (s.node == g.node && s.label >= g.first && s.label <= g.last) {
        ++a.spikes;
        sum += s.time_us;
        sum2 += s.time_us * s.time_us;
      }
    if (a.spikes > 0) {
      a.mean_us = sum / static_cast<double>(a.spikes);
      a.spread_us = std::sqrt(std::max(0.0, sum2 / static_cast<double>(a.spikes) - a.mean_us * a.mean_us));
    }
    out.push_back(a);
  }
  return out;
}

}  // namespace nmtwin::apps

namespace nmtwin::apps {

bool is_synfire_example(std::string_view text) {
  if (!toml_library_can_read(text)) return false;  // the experiment parser reports it with its line
  try {
    return toml::parse(text).contains("synfire");
  } catch (const toml::parse_error&) {
    return false;  // the experiment parser reports the syntax error with its line
  }
}

SynfireExample parse_synfire_example(std::string_view text, const std::string& origin) {
  const toml::table doc = parse_toml(text, origin);
  const Reader r(origin);
  r.check_keys(doc, "the synfire file", {"synfire"});
  const auto* t = doc.get_as<toml::table>("synfire");
  if (!t) r.fail(doc, "a synfire example needs a [synfire] table");
  r.check_keys(*t, "[synfire]",
               {"links", "exc", "inh", "w_exc", "w_exc_inh", "w_inh_strong", "w_inh_weak", "stimulus",
                "destination_delay", "link_latency_cycles", "topology", "seed", "output"});
  SynfireExample e;
  auto& p = e.params;
  const auto get = [&](std::string_view key, auto& field, std::int64_t min, std::int64_t max) {
    if (const auto* n = t->get(key))
      field = static_cast<std::remove_reference_t<decltype(field)>>(r.integer(*n, key, min, max));
  };
  const std::int64_t max_weight = spec::chip::weight::value_fields::weight.max();
  get("links", p.links, 2, 20);
  get("exc", p.exc, 1, 64);
  get("inh", p.inh, 1, 64);
  get("w_exc", p.w_exc, 0, max_weight);
  get("w_exc_inh", p.w_exc_inh, 0, max_weight);
  get("w_inh_strong", e.w_inh_strong, 0, max_weight);
  get("w_inh_weak", e.w_inh_weak, 0, max_weight);
  get("stimulus", p.stimulus, 1, 256);
  get("destination_delay", p.destination_delay, 1, spec::fpga_reg::bucket_delay_fields::delay.max());
  get("link_latency_cycles", e.link_latency_cycles, 1, 10000);
  get("seed", p.seed, 0, INT64_MAX);
  if (const auto* n = t->get("output")) e.output = r.string(*n, "output");
  if (const auto* n = t->get("topology")) {
    if (t->get("link_latency_cycles"))
      r.fail(*n, "'topology' and 'link_latency_cycles' exclude each other; the topology sets the link latencies");
    e.topology = path_beside(origin, r.string(*n, "topology"));
    const auto system = simulation_config(find_topology(e.topology));
    if (system.network.node_ids != std::vector<std::uint16_t>{0, 1})
      r.fail(*n, fmt::format("the synfire chain runs on two chips: topology '{}' must have exactly nodes 0 and 1",
                             e.topology));
  }
  try {
    build_synfire(p);  // sizes that do not fit are reported before anything runs
  } catch (const std::invalid_argument& err) {
    r.fail(*t, err.what());
  }
  return e;
}

SynfireRun run_synfire_on_two_chips(const SynfireParams& params, std::uint64_t q) {
  return run_synfire(params, {.network = extoll::NetworkSpec::pair({.latency_cycles = q}), .quantum = q});
}

SynfireRun run_synfire(const SynfireParams& params, const sim::SimulationConfig& system) {
  SynfireRun run{build_synfire(params), {}, {}};
  sim::Simulation simulation(system);
  sim::InProcessConnection c0(simulation, 0), c1(simulation, 1);
  std::vector<hostlink::Connection*> fpgas{&c0, &c1};
  const auto& net = simulation.network();
  run.spikes = run_system(fpgas, run.net.chips, net.gi_latency(), net.spec().gi_root, SpikeAccounting::in_process(simulation)).spikes;
  run.activity = analyze_synfire(run.net, run.spikes);
  return run;
}

void run_synfire_example(const SynfireExample& e, std::ostream& out) {
  if (writes_outputs())
    for (const char* suffix : {"_strong.svg", "_weak.svg"})
      check_output_file(e.output + suffix, "a raster SVG (the synfire file's 'output')");
  SynfireParams strong = e.params, weak = e.params;
  strong.w_inh = e.w_inh_strong;
  weak.w_inh = e.w_inh_weak;
  std::optional<TopologyFile> topology;
  if (!e.topology.empty()) topology = find_topology(e.topology);
  sim::SimulationConfig system =
      topology ? simulation_config(*topology)
               : sim::SimulationConfig{.network = extoll::NetworkSpec::pair({.latency_cycles = e.link_latency_cycles})};
  split_over_ranks(system, topology ? &*topology : nullptr);  // under mpirun (docs/scaleout.md)
  const SynfireRun s = run_synfire(strong, system);
  const SynfireRun w = run_synfire(weak, system);
  const std::string joined =
      e.topology.empty() ? fmt::format("joined back to back by a link of {} cycles", e.link_latency_cycles)
                         : fmt::format("joined by {} link(s) and {} switch(es) of topology {}",
                                       system.network.links.size(), system.network.switch_ids.size(), e.topology);
  fmt::print(out,
             "synfire chain: {} links of {} excitatory + {} inhibitory neurons on 2 chips {}, destination_delay {} "
             "ticks\n",
             e.params.links, e.params.exc, e.params.inh, joined, e.params.destination_delay);
  fmt::print(out, "  {:>4} {:>4}  {:>26}  {:>26}\n", "link", "chip", "strong inhibition", "weak inhibition");
  fmt::print(out, "  {:>4} {:>4}  {:>7} {:>9} {:>8}  {:>7} {:>9} {:>8}\n", "", "", "spikes", "mean us", "spread",
             "spikes", "mean us", "spread");
  for (std::size_t i = 0; i < s.activity.size(); ++i) {
    const auto& a = s.activity[i];
    const auto& b = w.activity[i];
    fmt::print(out, "  {:>4} {:>4}  {:>7} {:>9.2f} {:>8.2f}  {:>7} {:>9.2f} {:>8.2f}\n", a.link, a.chip, a.spikes,
               a.mean_us, a.spread_us, b.spikes, b.mean_us, b.spread_us);
  }
  const HopLatency hop = hop_latency(s.activity);  // of the sharp volley
  if (hop.on_chip_hops && hop.cross_chip_hops)
    fmt::print(out, "hop latency (strong inhibition): on-chip {:.3f} us, cross-chip {:.3f} us (+{:.3f} us)\n",
               hop.on_chip_us, hop.cross_chip_us, hop.cross_chip_us - hop.on_chip_us);
  // One time axis for both rasters, ending a little after the last spike of either.
  double last = 0;
  for (const auto* g : {&s, &w})
    for (const auto& x : g->spikes) last = std::max(last, x.time_us);
  const double end_us = last > 0 ? std::ceil((last + 5) / 10) * 10
                                 : static_cast<double>(e.params.duration) * spec::cycle_ns / 1000.0;
  for (const auto* g : {&s, &w}) {
    if (!writes_outputs()) break;
    const bool sharp = g == &s;
    const std::string path = e.output + (sharp ? "_strong.svg" : "_weak.svg");
    write_raster_svg(path, g->spikes,
                     {.title = fmt::format("synfire chain across 2 chips, {} inhibition (w_inh {})",
                                           sharp ? "strong" : "weak", sharp ? e.w_inh_strong : e.w_inh_weak),
                      .start_us = 0,
                      .end_us = end_us,
                      .groups = g->net.populations});
    fmt::print(out, "raster written to {}\n", path);
  }
}

}  // namespace nmtwin::apps
