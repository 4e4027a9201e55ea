// A system split over the ranks of mpirun runs exactly as in one process (issue 15,
// docs/scaleout.md): the same spikes, reads, counters and chip inputs, byte for byte,
// for every partitioner, a shuffled map and several quanta, and again when repeated.
// Every rank runs the reference in one process and then its share of the split run;
// each compares what it can see (the hosts' results, which every rank has, and the chip
// inputs of its own nodes). A difference ends the job naming the case and the rank.
//
// usage: mpirun -n N test_split_system

#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "dist/comm.hpp"
#include "dist/fork_comm.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/traffic.hpp"
#include "extoll/partition.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace spec = nmtwin::spec;
using nmtwin::extoll::NetworkSpec;

namespace {

// Spike traffic over the network: node i sends its spikes to node (i + 1) % n (and in
// the multicast system to every node of group 500), so that cut links carry packets,
// credits and acknowledgements in both directions; every node's systime read at the end.
std::vector<nmtwin::apps::Experiment> traffic(unsigned nodes, bool multicast, std::uint64_t cycles) {
  auto out = nmtwin::apps::ring_traffic(
      nodes, {.cycles = cycles,
              .delay = 600,
              .multicast_group = multicast ? std::optional<std::uint16_t>(500) : std::nullopt,
              .stagger = 37,
              .period = 97,
              .spread = 13,
              .end = cycles - 2000});
  for (auto& e : out) e.reads.push_back({spec::fpga_reg::systime_lo, ""});
  return out;
}

// Everything the hosts got, as text; and per node, what its chip received.
struct Outcome {
  std::string hosts;
  std::vector<std::string> chips;  // empty for a node of another rank
};

Outcome run(const NetworkSpec& net, std::uint64_t quantum, const nmtwin::sim::RankShare* share, bool multicast) {
  nmtwin::sim::SimulationConfig config{.network = net, .quantum = quantum, .threads = 1};
  if (share) config.share = *share;
  nmtwin::sim::Simulation sim(config);
  const auto nodes = static_cast<unsigned>(net.node_ids.size());
  std::vector<std::unique_ptr<nmtwin::sim::InProcessConnection>> c;
  std::vector<nmtwin::hostlink::Connection*> fpgas;
  for (unsigned i = 0; i < nodes; ++i) {
    c.push_back(std::make_unique<nmtwin::sim::InProcessConnection>(sim, i));
    fpgas.push_back(c.back().get());
  }
  const auto r = nmtwin::apps::run_system(fpgas, traffic(nodes, multicast, 12000), sim.network().gi_latency(),
                                          sim.network().spec().gi_root, nmtwin::apps::SpikeAccounting::in_process(sim));
  Outcome o;
  for (const auto& s : r.spikes) o.hosts += fmt::format("spike {} {} {:.6f}\n", s.node, s.label, s.time_us);
  for (unsigned i = 0; i < nodes; ++i) {
    o.hosts += fmt::format("node {}: start {} late {} reads", i, r.start_systime[i], r.late_waits[i]);
    for (auto v : r.reads[i]) o.hosts += fmt::format(" {}", v);
    o.hosts += " spikes";
    for (const auto& s : r.node_spikes[i]) o.hosts += fmt::format(" {}@{}", s.label, s.systime);
    const auto& l = r.ledger.nodes.at(i);
    o.hosts += fmt::format(" routed {} sent {} decoded {} {} delayed {} {}\n", l.events_routed, l.sent(),
                           l.decoder_events[0], l.decoder_events[1], l.delay_events[0], l.delay_events[1]);
  }
  o.hosts += fmt::format("unroutable {} cycle {}\n", r.ledger.unroutable_events.value_or(0), sim.cycle());
  o.chips.resize(nodes);
  for (unsigned i = 0; i < nodes; ++i) {
    if (!sim.owns(i)) continue;
    for (const auto& in : sim.node(i).chip().input_log()) o.chips[i] += fmt::format("{}:{} ", in.time, in.label);
  }
  return o;
}

std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const auto line_start = a.rfind('\n', i) == std::string::npos ? 0 : a.rfind('\n', i) + 1;
  return fmt::format("at byte {}: expected '{}', got '{}'", i, a.substr(line_start, 120), b.substr(line_start, 120));
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<nmtwin::dist::Comm> comm;
  try {
    // NMTWIN_FAKE_RANKS=N: N forked processes instead of mpirun's ranks (dist/fork_comm.hpp).
    if (const char* fake = std::getenv("NMTWIN_FAKE_RANKS"))
      comm = nmtwin::dist::fork_ranks(static_cast<unsigned>(std::atoi(fake)));
    else
      comm = nmtwin::dist::make_comm(argc, argv);
    const unsigned ranks = comm->size(), rank = comm->rank();
    nmtwin::extoll::LinkConfig link{.latency_cycles = 24};
    struct System {
      std::string name;
      NetworkSpec net;
      bool multicast;
    };
    std::vector<System> systems{{"ring of 4", NetworkSpec::torus({4, 1, 1}, link, 16), false},
                                {"torus 2x2x1 with multicast", NetworkSpec::torus({2, 2, 1}, link, 16), true},
                                {"pair", NetworkSpec::pair(link), false}};
    systems[1].net.groups.push_back({500, {0, 1, 2, 3}});
    unsigned cases = 0;
    for (const auto& system : systems) {
      const auto nodes = static_cast<unsigned>(system.net.node_ids.size());
      if (nodes < ranks) continue;  // every rank needs a node
      for (std::uint64_t quantum : {std::uint64_t{24}, std::uint64_t{7}, std::uint64_t{1}}) {
        const Outcome reference = run(system.net, quantum, nullptr, system.multicast);
        std::vector<std::pair<std::string, nmtwin::extoll::Partition>> partitions;
        partitions.emplace_back("contiguous",
                                make_partition(system.net, ranks, nmtwin::extoll::Partitioner::contiguous));
        partitions.emplace_back("locality", make_partition(system.net, ranks, nmtwin::extoll::Partitioner::locality));
        std::vector<unsigned> node_rank(nodes), switch_rank(system.net.switch_ids.size());
        for (unsigned i = 0; i < nodes; ++i) node_rank[(i * 3 + 1) % nodes] = i % ranks;  // scrambled, none empty
        for (unsigned s = 0; s < switch_rank.size(); ++s) switch_rank[s] = (s * 5 + 2) % ranks;
        partitions.emplace_back("shuffled map",
                                nmtwin::extoll::partition_from_map(system.net, ranks, node_rank, switch_rank));
        for (const auto& [how, p] : partitions) {
          for (int repeat = 0; repeat < (how == "contiguous" && quantum == 24 ? 2 : 1); ++repeat) {
            nmtwin::sim::RankShare share{comm.get(), p.node_rank, p.switch_rank, p.peers[rank]};
            const Outcome split = run(system.net, quantum, &share, system.multicast);
            const auto where =
                fmt::format("{}, quantum {}, {} partition{}", system.name, quantum, how, repeat ? " (repeated)" : "");
            if (split.hosts != reference.hosts)
              comm->abort(fmt::format("{}: the hosts' results differ from the run in one process {}", where,
                                      first_difference(reference.hosts, split.hosts)),
                          1);
            for (unsigned i = 0; i < nodes; ++i)
              if (p.node_rank[i] == rank && split.chips[i] != reference.chips[i])
                comm->abort(fmt::format("{}: node {}'s chip inputs differ {}", where, i,
                                        first_difference(reference.chips[i], split.chips[i])),
                            1);
            ++cases;
          }
        }
      }
    }
    if (rank == 0)
      fmt::print("test_split_system: {} ranks, {} cases identical to the run in one process\n", ranks, cases);
    return cases > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    if (comm) comm->abort(e.what(), 2);
    fmt::print(stderr, "test_split_system: {}\n", e.what());
    return 2;
  }
}
