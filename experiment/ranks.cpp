#include "experiment/ranks.hpp"

#include <fmt/format.h>

#include <string>

#include "dist/bytes.hpp"
#include "dist/comm.hpp"
#include "experiment/toml_reader.hpp"
#include "experiment/topology_file.hpp"

namespace nmtwin::apps {

namespace {
struct Setting {
  dist::Comm* comm = nullptr;
  std::optional<extoll::Partitioner> how;
  std::optional<std::uint64_t> quantum;
  std::string described;  // the split last printed
};
Setting& setting() {
  static Setting s;
  return s;
}
}  // namespace

void run_on_ranks(dist::Comm& comm, std::optional<extoll::Partitioner> how, std::optional<std::uint64_t> quantum) {
  setting() = {&comm, how, quantum, {}};
}

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
  if (s.quantum) {
    const auto limit = config.network.min_latency();
    if (limit != extoll::unreachable && *s.quantum > limit)
      throw InputError(fmt::format("--quantum {}: more than the smallest link latency of this system ({} cycles), "
                                   "so a symbol could arrive inside a quantum already run; use --quantum {} or less",
                                   *s.quantum, limit, limit));
    config.quantum = *s.quantum;
  }
  config.share = sim::RankShare{s.comm, p.node_rank, p.switch_rank, p.peers[s.comm->rank()]};
  // On stderr: what a run prints and writes stays that of one process. Once for the
  // systems of a study that are split alike.
  const auto described = fmt::format("nmtwin: the system is split over {} ranks ({}; lookahead {}):\n{}", ranks,
                                     !s.how && topology && topology->partition ? "the topology's [partition] map"
                                     : s.how == extoll::Partitioner::locality  ? "locality"
                                     : s.how == extoll::Partitioner::scattered ? "scattered"
                                                                               : "contiguous",
                                     p.lookahead == extoll::unreachable ? std::string("none, no link is cut")
                                                                        : fmt::format("{} cycles", p.lookahead),
                                     p.describe());
  if (s.comm->rank() == 0 && described != s.described) fmt::print(stderr, "{}", described);
  s.described = described;
}

std::ostream& on_rank_zero(std::ostream& out) {
  static std::ostream discard(nullptr);  // writes nothing
  return writes_outputs() ? out : discard;
}

std::vector<std::vector<sim::ChipModel::InputEvent>> chip_input_logs(sim::Simulation& sim) {
  std::vector<std::vector<sim::ChipModel::InputEvent>> logs(sim.size());
  auto* comm = sim.rank_comm();
  if (!comm) {
    for (unsigned i = 0; i < sim.size(); ++i) logs[i] = sim.node(i).chip().input_log();
    return logs;
  }
  dist::ByteWriter w;  // per node here: index, count, then (time, label) each
  for (unsigned i = 0; i < sim.size(); ++i) {
    if (!sim.owns(i)) continue;
    const auto& log = sim.node(i).chip().input_log();
    w.u32(i);
    w.u64(log.size());
    for (const auto& in : log) {
      w.u64(in.time);
      w.u16(in.label);
    }
  }
  const auto all = comm->allgather(w.data());
  for (std::size_t r = 0; r < all.size(); ++r) {
    dist::ByteReader in(all[r], fmt::format("the chip input logs from rank {}", r));
    while (in.remaining() > 0) {
      const auto node = in.u32("a node index");
      if (node >= logs.size()) throw std::runtime_error(fmt::format("rank {} sent the input log of node {}, of {}", r, node, logs.size()));
      auto& log = logs[node];
      log.resize(in.u64("the length of an input log"));
      for (auto& e : log) {
        e.time = in.u64("the time of an input event");
        e.label = in.u16("the label of an input event");
      }
    }
  }
  return logs;
}

std::uint64_t node_value(sim::Simulation& sim, unsigned node, const std::function<std::uint64_t(sim::Node&)>& value) {
  auto* comm = sim.rank_comm();
  if (!comm) return value(sim.node(node));
  dist::ByteWriter w;
  if (sim.owns(node)) w.u64(value(sim.node(node)));
  for (const auto& b : comm->allgather(w.data()))
    if (!b.empty()) {
      dist::ByteReader in(b, fmt::format("the value of node {}", node));
      const auto v = in.u64();
      in.finish();
      return v;
    }
  throw std::logic_error(fmt::format("node {} runs on no rank", node));
}

void sum_over_ranks(sim::Simulation& sim, std::vector<std::vector<std::uint32_t>>& counts) {
  auto* comm = sim.rank_comm();
  if (!comm) return;
  dist::ByteWriter w;
  w.u64(counts.size());
  for (const auto& row : counts) {
    w.u64(row.size());
    for (auto c : row) w.u32(c);
  }
  std::vector<std::vector<std::uint32_t>> sum(counts.size());
  const auto all = comm->allgather(w.data());
  for (std::size_t r = 0; r < all.size(); ++r) {
    dist::ByteReader in(all[r], fmt::format("the counts from rank {}", r));
    const auto rows = in.u64("the number of rows");
    if (rows != counts.size())
      throw std::runtime_error(fmt::format("rank {} sent {} rows of counts, this rank has {}", r, rows, counts.size()));
    for (auto& row : sum) {
      const auto n = in.u64("the length of a row");
      if (row.size() < n) row.resize(n, 0);
      for (std::size_t k = 0; k < n; ++k) row[k] += in.u32("a count");
    }
    in.finish();
  }
  counts = std::move(sum);
}

}  // namespace nmtwin::apps
