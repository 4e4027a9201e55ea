// Simulation speed of multi-chip systems: 1, 2, 4 and 8 nodes (a ring of switches
// for 2 and more) with spike traffic — every node's executor plays one spike per
// microsecond of hardware time, routed to the next node of the ring — in FPGA
// cycles per second per node and in aggregate (node-cycles per second), next to the
// single-node figures: one node whose spikes only reach its own chip, and one node
// with the same network traffic as the others (its packets go through a switch and
// back to it).  The nodes of a quantum run on several threads.  Prints figures only.
//
// usage: bench_system [thousands of cycles per run, default 400] [threads, default: one per core]

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench/report.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/traffic.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace spec = nmtwin::spec;
using Clock = std::chrono::steady_clock;
using nmtwin::extoll::NetworkSpec;

namespace {

constexpr std::uint64_t spike_period = 125;  // cycles: 1 us of hardware time

struct Figure {
  unsigned threads = 0;
  double node_cycles_per_s = 0;
  std::uint64_t delivered = 0;
};

// One node on one switch: its packets come back to it.
NetworkSpec looped() {
  NetworkSpec s = NetworkSpec::unlinked(1);
  s.switch_ids = {1};
  s.links.push_back({nmtwin::extoll::LinkEnd::node(0), nmtwin::extoll::LinkEnd::switch_port(0, 6), {}});
  return s;
}

Figure measure(unsigned nodes, bool routed, unsigned threads, std::uint64_t cycles) {
  Figure best;
  for (int round = 0; round < 2; ++round) {
    const NetworkSpec net = nodes > 1 ? NetworkSpec::torus({nodes, 1, 1}, {}, 16)
                            : routed  ? looped()
                                      : NetworkSpec::unlinked(1);
    nmtwin::sim::Simulation sim({.network = net, .quantum = 0, .threads = threads});
    std::vector<std::unique_ptr<nmtwin::sim::InProcessConnection>> c;
    std::vector<nmtwin::hostlink::Connection*> fpgas;
    for (unsigned i = 0; i < nodes; ++i) {
      c.push_back(std::make_unique<nmtwin::sim::InProcessConnection>(sim, i));
      fpgas.push_back(c.back().get());
    }
    const std::uint64_t before = sim.cycle();
    const auto t0 = Clock::now();
    nmtwin::apps::run_system(
        fpgas, nmtwin::apps::ring_traffic(nodes, {.cycles = cycles, .routed = routed, .period = spike_period}),
        sim.network().gi_latency(), 0, nmtwin::apps::SpikeAccounting::in_process(sim));
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double rate = static_cast<double>(nodes) * static_cast<double>(sim.cycle() - before) / s;
    if (rate > best.node_cycles_per_s) {
      best.threads = sim.threads();
      best.node_cycles_per_s = rate;
      best.delivered = 0;
      for (unsigned i = 0; i < nodes; ++i) best.delivered += sim.node(i).chip().input_log().size();
    }
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t cycles = (argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 400) * 1000;
  const unsigned threads = argc > 2 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : 0;
  fmt::print("bench_system: {} cycles per run, one spike per node per {} cycles, best of 2\n", cycles, spike_period);
  fmt::print("{:>6} {:>8} {:>16} {:>18} {:>13} {:>13} {:>12}\n", "nodes", "threads", "M cycles/s/node",
             "aggregate M cyc/s", "vs 1 (chip)", "vs 1 (net)", "chip inputs");
  nmtwin::bench::Report report("bench_system");
  const Figure chip_only = measure(1, false, 1, cycles), with_net = measure(1, true, 1, cycles);
  const auto row = [&](unsigned nodes, const Figure& f, const char* what) {
    fmt::print("{:>6} {:>8} {:>16.2f} {:>18.2f} {:>12.2f}x {:>12.2f}x {:>12}  {}\n", nodes, f.threads,
               f.node_cycles_per_s / nodes / 1e6, f.node_cycles_per_s / 1e6,
               f.node_cycles_per_s / chip_only.node_cycles_per_s, f.node_cycles_per_s / with_net.node_cycles_per_s,
               f.delivered, what);
    report.add(fmt::format("{} node(s), {} thread(s): {}", nodes, f.threads, what), f.node_cycles_per_s / 1e6,
               "M node-cycles/s");
  };
  row(1, chip_only, "spikes to its own chip only");
  row(1, with_net, "the same network traffic as below, through a switch and back");
  for (unsigned nodes : {2u, 4u, 8u}) row(nodes, measure(nodes, true, threads, cycles), "ring of switches");
  if (threads != 1) row(8, measure(8, true, 1, cycles), "ring, one thread (for comparison)");
  return 0;
}
