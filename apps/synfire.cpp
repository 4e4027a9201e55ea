#include "apps/synfire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "nmtwin/spec.hpp"

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

  std::mt19937_64 rng(p.seed);
  std::bernoulli_distribution connected(p.connectivity);
  std::uniform_int_distribution<int> jitter_uv(-1500, 1500);  // threshold heterogeneity
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
      w.neuron(n, nrn::threshold_uv, -50000 + jitter_uv(rng));
      w.neuron(n, nrn::reset_uv, -70000);
      w.neuron(n, nrn::leak_uv, -65000);
      w.neuron(n, nrn::tau_m_ns, exc ? p.exc_tau_m_ns : p.inh_tau_m_ns);
      w.neuron(n, nrn::tau_syn_ns, exc ? p.exc_tau_syn_ns : p.inh_tau_syn_ns);
      w.neuron(n, nrn::refractory_ns, exc ? p.exc_refractory_ns : p.inh_refractory_ns);
      w.neuron(n, nrn::weight_scale_uv, 1000);
      // Every spike goes to the host; the label is the neuron number (split 0).
      w.neuron(n, nrn::output, 0x80000000u | n);
      const unsigned row = exc ? exc_row(link) : inh_row(link);
      if (!exc || next_here) w.neuron(n, nrn::loopback, 0x80000000u | row);
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
      if (connected(rng)) w.weight(in_row, n, k < p.exc ? p.w_exc : p.w_exc_inh);
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
  std::uniform_int_distribution<std::uint64_t> when(0, p.stimulus_spread);
  SpikeSource source{0, {}};
  for (unsigned i = 0; i < p.stimulus; ++i) source.times.push_back(p.start + when(rng));
  std::sort(source.times.begin(), source.times.end());
  net.chips[p.chip_of_link[0]].sources.push_back(std::move(source));
  return net;
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
