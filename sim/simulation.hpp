#pragma once
// The system kernel: SystemC schedules the system; each quantum every node runs its
// cycles in a tight C++ loop (the nodes on several threads at once), then the
// network's switches catch up and every link's traffic is exchanged (see
// docs/architecture.md: "Time and scheduling").

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "extoll/network.hpp"
#include "sim/fault.hpp"
#include "sim/node.hpp"

namespace nmtwin::dist {
class Comm;
}

namespace nmtwin::sim {

class NodeThreads;
class Simulation;

/// The first cycle on which any node observed an event of `trigger` since the last
/// call (the nodes observe while Node::observe is on); UINT64_MAX when none did. On a
/// split system every rank's nodes (collective).
std::uint64_t first_trigger(Simulation& simulation, TraceTrigger trigger);

/// Whether simulations warp unless told otherwise: true, or false when the environment
/// variable NMTWIN_NO_WARP is set to anything but "0" (the CLI's --no-warp sets it, so
/// that processes it starts inherit the choice).
bool warp_by_default();

/// This process's share of a system split over ranks (docs/scaleout.md): it simulates
/// the nodes and switches the partition gives `comm->rank()`, and exchanges the traffic
/// of cut links, the hosts' datagrams and the idle horizon with the other ranks every
/// quantum. Every rank runs the same host program (inputs and outputs stay identical):
/// run(), idle(), push_datagram(), take_datagrams() and unroutable_events() are
/// collective and must be called by every rank in the same order.
struct RankShare {
  dist::Comm* comm = nullptr;         ///< every rank of the system; must outlive the simulation
  std::vector<unsigned> node_rank;    ///< per node index
  std::vector<unsigned> switch_rank;  ///< per switch index
  std::vector<unsigned> peers;        ///< the ranks this one shares a cut link with, ascending
};

/// What a rank of a split system spent on the others (for benchmarks; not an output).
struct RankStats {
  std::uint64_t exchanges = 0;      ///< quantum boundaries (exchanges with the peers)
  std::uint64_t warped_quanta = 0;  ///< quanta skipped in warps agreed by every rank
  double exchange_seconds = 0;      ///< wall time in exchanges, gathers and reductions
};

struct SimulationConfig {
  extoll::NetworkSpec network = extoll::NetworkSpec::unlinked(1);
  /// FPGA cycles the nodes run between two exchanges over their links: at most the
  /// smallest link latency, so that nothing arrives inside a quantum already run.
  /// 0: that largest exact quantum (1024 without links).
  std::uint64_t quantum = 0;
  /// Threads stepping the nodes; 0: one per core, at most one per node.
  unsigned threads = 0;
  /// Every chip carries its embedded processor (docs/firmware.md); false only to measure
  /// what it costs (bench_node).
  bool processors = true;
  /// Exact idle warp (docs/performance.md, "Warp"): stretches in which nothing but
  /// counters can change are not stepped cycle by cycle.  Results are identical either
  /// way; false (`--no-warp`) steps every cycle.
  bool warp = warp_by_default();
  /// Injected faults (sim/fault.hpp, `--fault`): stuck chip register bits, dead and
  /// lossy links. Simulation only; none by default.
  std::vector<Fault> faults{};
  /// Set: this process simulates one rank's share of the system (sim/rank_share.cpp).
  std::optional<RankShare> share{};
};

class Simulation {
 public:
  /// Throws std::invalid_argument for a broken network or a quantum above the smallest link latency.
  explicit Simulation(const SimulationConfig& config = {});
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Nodes of the whole system (of every rank).
  unsigned size() const;
  /// Node `index`; std::out_of_range when the system has no such node or it runs on another rank.
  Node& node(unsigned index);
  const Node& node(unsigned index) const;
  /// Whether node `index` is simulated by this process (always, unless the system is split over ranks).
  bool owns(unsigned index) const;
  /// A host datagram for node `index` (dropped by the ranks that do not own it: each rank's
  /// host sends the same).
  void push_datagram(unsigned index, bool reset_port, std::vector<std::uint8_t> bytes);
  /// Moves what node `index` sent to its host since the last call into `out`, in order; on a
  /// split system every rank gets every node's datagrams (exchanged every quantum).
  void take_datagrams(unsigned index, std::vector<std::vector<std::uint8_t>>& out);
  /// Events the switches could not route (every rank's switches).
  std::uint64_t unroutable_events() const;
  /// Whether this process simulates one rank's share of a split system (SimulationConfig::share).
  bool rank_split() const { return ranks_ != nullptr; }
  /// The ranks of a split system (nullptr in one process).
  dist::Comm* rank_comm() const { return comm_; }
  /// Whether this process writes what is written once for the system: always, unless it is
  /// a rank other than 0 of a split system.
  bool writes_outputs() const;
  /// The smallest of every rank's `value` (collective on a split system; `value` in one process).
  std::uint64_t min_over_ranks(std::uint64_t value);
  /// Whether every chip carries its embedded processor (SimulationConfig::processors).
  bool processors() const { return processors_; }
  /// A split system's exchanges so far (all zero for a system in one process).
  RankStats rank_stats() const;
  std::uint64_t quantum() const { return quantum_; }
  unsigned threads() const;
  const extoll::Network& network() const { return *network_; }
  extoll::Network& network() { return *network_; }
  const extoll::Link& link(unsigned index) const { return network_->link(index); }

  /// Advances simulated time by at least `cycles` FPGA cycles (whole quanta).
  void run(std::uint64_t cycles);
  /// True when nothing can happen without host input: every node and switch idle.
  bool idle() const;
  /// Cycles simulated so far (every node has run exactly this many).
  std::uint64_t cycle() const;

  /// Called after every quantum with the cycle it ended on (the system trace uses it).
  void set_quantum_hook(std::function<void(std::uint64_t cycle)> hook) { hook_ = std::move(hook); }

  /// Node waveforms, opened and closed on the node's own thread (Verilator's rule).
  void open_trace(unsigned node, const TraceOptions& options);
  /// Writes node `node`'s processor commit log to `path` (docs/firmware.md); empty: stop.
  void open_commit_log(unsigned node, const std::string& path);
  void close_trace(unsigned node);

 private:
  struct Kernel;
  class Ranks;  // the exchange with the other ranks of a split system (sim/rank_share.cpp)
  int local(unsigned index) const;  // index among this process's nodes, -1 for another rank's
  std::uint64_t local_horizon() const;
  bool local_idle() const;
  std::uint64_t quantum_step();  // one quantum (or whole quanta in a warp): nodes, switches, exchange; the cycles run
  std::uint64_t quantum_;
  std::unique_ptr<extoll::Network> network_;
  std::unique_ptr<NodeThreads> threads_;
  std::vector<extoll::Endpoint*> ports_;  // per node; nullptr for another rank's
  std::vector<int> local_;                 // per node: its index in threads_, -1 for another rank's
  std::unique_ptr<Ranks> ranks_;
  std::unique_ptr<Kernel> kernel_;
  std::function<void(std::uint64_t)> hook_;
  std::uint64_t run_end_ = 0;  ///< the cycle run() stops at (0 outside run(): no system warp)
  dist::Comm* comm_ = nullptr;
  bool processors_ = true;
};

}  // namespace nmtwin::sim
