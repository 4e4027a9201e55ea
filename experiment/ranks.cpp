#include "experiment/ranks.hpp"

#include <fmt/format.h>

#include "dist/comm.hpp"
#include "experiment/toml_reader.hpp"
#include "experiment/topology_file.hpp"

namespace nmtwin::apps {

namespace {
struct Setting {
  dist::Comm* comm = nullptr;
  std::optional<extoll::Partitioner> how;
};
Setting& setting() {
  static Setting s;
  return s;
}
}  // namespace

void run_on_ranks(dist::Comm& comm, std::optional<extoll::Partitioner> how) { setting() = {&comm, how}; }

unsigned rank_count() { return setting().comm ? setting().comm->size() : 1; }

bool writes_outputs() { return !setting().comm || setting().comm->rank() == 0; }

void split_over_ranks(sim::SimulationConfig& config, const TopologyFile* topology) {
  auto& s = setting();
  if (!s.comm || s.comm->size() < 2) return;
  const unsigned ranks = s.comm->size();
  const auto nodes = config.network.node_ids.size();
  if (nodes < ranks)
    throw InputError(
        fmt::format("the system has {} node(s), fewer than the {} ranks of this run: every rank "
                    "simulates at least one node; start mpirun with -np {} or fewer",
                    nodes, ranks, nodes));
  extoll::Partition p;
  if (!s.how && topology && topology->partition) {
    if (topology->partition->ranks != ranks)
      throw InputError(fmt::format(
          "{}:{}: the [partition] map is for {} ranks, this run has {}; start mpirun with "
          "-np {}, or choose a partitioner with --partition",
          topology->origin, topology->partition->line, topology->partition->ranks, ranks, topology->partition->ranks));
    p = mapped_partition(*topology, config.network);
  } else {
    p = extoll::make_partition(config.network, ranks, s.how.value_or(extoll::Partitioner::contiguous));
  }
  config.share = sim::RankShare{s.comm, p.node_rank, p.switch_rank, p.peers[s.comm->rank()]};
  if (s.comm->rank() == 0)  // on stderr: what a run prints and writes stays that of one process
    fmt::print(stderr, "nmtwin: the system is split over {} ranks ({}; lookahead {}):\n{}", ranks,
               !s.how && topology && topology->partition ? "the topology's [partition] map"
               : s.how == extoll::Partitioner::locality  ? "locality"
                                                         : "contiguous",
               p.lookahead == extoll::unreachable ? std::string("none, no link is cut")
                                                  : fmt::format("{} cycles", p.lookahead),
               p.describe());
}

}  // namespace nmtwin::apps
