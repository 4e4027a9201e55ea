// Scale-out of a system split over MPI ranks (docs/scaleout.md): a 4x4x4 torus of 64
// nodes (or the torus given) with spike traffic — every node's executor plays one spike
// per microsecond of hardware time, routed to the next node — run in one process with
// one and with two threads, and split over the ranks of `mpirun -np N`, one thread each.
// Prints node-cycles per second, the share of wall time the ranks spent exchanging and
// synchronising, the quanta skipped by warps every rank agreed on, and the spikes the chips
// received (the same in every run). Each figure is the best of three runs. Figures only.
//
// usage: [mpirun -np N] bench_scaleout [thousands of cycles, default 20] [X Y Z, default 4 4 4]
//        [contiguous|locality]
// scripts/bench-scaleout runs it at 1, 2 and 4 ranks and prints the ratios.

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench/report.hpp"
#include "dist/comm.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/traffic.hpp"
#include "extoll/partition.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace spec = nmtwin::spec;
using Clock = std::chrono::steady_clock;
using nmtwin::extoll::NetworkSpec;

namespace {

constexpr std::uint64_t spike_period = 125;  // cycles: 1 us of hardware time

struct Figure {
  double node_cycles_per_s = 0;
  double exchange_share = 0;  // of the wall time, the slowest rank's
  std::uint64_t exchanges = 0, warped = 0, delivered = 0;
};

Figure measure(const NetworkSpec& net, unsigned threads, nmtwin::dist::Comm* comm, nmtwin::extoll::Partitioner how,
               std::uint64_t cycles) {
  nmtwin::sim::SimulationConfig config{.network = net, .quantum = 0, .threads = threads};
  const auto nodes = static_cast<unsigned>(net.node_ids.size());
  if (comm && comm->size() > 1) {
    const auto p = nmtwin::extoll::make_partition(net, comm->size(), how);
    config.share = nmtwin::sim::RankShare{comm, p.node_rank, p.switch_rank, p.peers[comm->rank()]};
  }
  nmtwin::sim::Simulation sim(config);
  std::vector<std::unique_ptr<nmtwin::sim::InProcessConnection>> c;
  std::vector<nmtwin::hostlink::Connection*> fpgas;
  for (unsigned i = 0; i < nodes; ++i) {
    c.push_back(std::make_unique<nmtwin::sim::InProcessConnection>(sim, i));
    fpgas.push_back(c.back().get());
  }
  const std::uint64_t before = sim.cycle();
  const auto stats_before = sim.rank_stats();
  const auto t0 = Clock::now();
  nmtwin::apps::run_system(fpgas, nmtwin::apps::ring_traffic(nodes, {.cycles = cycles, .period = spike_period}),
                           sim.network().gi_latency(), sim.network().spec().gi_root,
                           nmtwin::apps::SpikeAccounting::in_process(sim));
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  const auto stats = sim.rank_stats();
  Figure f;
  f.node_cycles_per_s = static_cast<double>(nodes) * static_cast<double>(sim.cycle() - before) / s;
  double share = (stats.exchange_seconds - stats_before.exchange_seconds) / s;
  if (comm && comm->size() > 1)  // the largest share of any rank, in parts per million (integer reductions only)
    share = static_cast<double>(comm->allreduce_max(static_cast<std::uint64_t>(share * 1e6))) / 1e6;
  f.exchange_share = share;
  f.exchanges = stats.exchanges - stats_before.exchanges;
  f.warped = stats.warped_quanta - stats_before.warped_quanta;
  std::uint64_t inputs = 0;  // spikes the chips received, every rank's
  for (unsigned i = 0; i < nodes; ++i)
    if (sim.owns(i)) inputs += sim.node(i).chip().input_log().size();
  f.delivered = comm && comm->size() > 1 ? comm->allreduce_sum(inputs) : inputs;
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto comm = nmtwin::dist::make_comm(argc, argv);
    const std::uint64_t cycles = (argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20) * 1000;
    std::array<unsigned, 3> dims{4, 4, 4};
    for (int i = 0; i < 3 && argc > 2 + i; ++i) dims[i] = static_cast<unsigned>(std::strtoul(argv[2 + i], nullptr, 10));
    const auto how = nmtwin::extoll::parse_partitioner(argc > 5 ? argv[5] : "contiguous");
    if (!how) throw std::invalid_argument("the partitioner is contiguous, locality or scattered");
    const NetworkSpec net = NetworkSpec::torus(dims, {}, 16);
    const unsigned nodes = dims[0] * dims[1] * dims[2];
    const bool printer = comm->rank() == 0;
    nmtwin::bench::Report report("bench_scaleout");
    const auto row = [&](const std::string& what, const Figure& f) {
      if (!printer) return;
      fmt::print("{:<34} {:>12.3f} {:>10.1f} % {:>10} {:>10} {:>10}\n", what, f.node_cycles_per_s / 1e6,
                 100 * f.exchange_share, f.exchanges, f.warped, f.delivered);
      report.add(what, f.node_cycles_per_s / 1e6, "M node-cycles/s");
    };
    if (printer) {
      fmt::print("bench_scaleout: torus {}x{}x{} ({} nodes), {} cycles, one spike per node per {} cycles\n", dims[0],
                 dims[1], dims[2], nodes, cycles, spike_period);
      fmt::print("{:<34} {:>12} {:>12} {:>10} {:>10} {:>10}\n", "run", "M node-cyc/s", "exchange", "exchanges",
                 "warped", "chip inputs");
    }
    // Best of 3: a shared 2-core machine moves single runs by a third and more.
    const auto best = [&](unsigned threads, nmtwin::dist::Comm* on) {
      Figure b;
      for (int k = 0; k < 3; ++k) {
        const Figure f = measure(net, threads, on, *how, cycles);
        if (f.node_cycles_per_s > b.node_cycles_per_s) b = f;
      }
      return b;
    };
    if (comm->size() == 1) {
      row("1 process, 1 thread", best(1, nullptr));
      row("1 process, 2 threads", best(2, nullptr));
    } else {
      row(fmt::format("{} ranks, 1 thread each ({})", comm->size(), argc > 5 ? argv[5] : "contiguous"),
          best(1, comm.get()));
    }
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_scaleout: error: {}\n", e.what());
    return 1;
  }
}
