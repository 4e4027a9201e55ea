#pragma once
// One rank's share of a system split over ranks (docs/scaleout.md): which nodes and
// switches are this rank's, and what it exchanges with the others after every quantum —
// the traffic of cut links (sent to the peers that own the far ends, point to point) and
// the datagrams its nodes sent their hosts (to every rank: each runs the same host
// program). Reductions decide idle warps and idleness from every rank's view, so all
// ranks take the same decisions and run the same quanta.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "dist/bytes.hpp"
#include "extoll/network.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

class Simulation::Ranks {
 public:
  /// Checks the share against the network (sizes, ranks in range, at least one node here)
  /// and restricts `network` to this rank's nodes and switches.
  Ranks(const RankShare& share, extoll::Network& network);

  bool owns_node(unsigned node) const { return share_.node_rank[node] == rank_; }
  /// The error for a node of another rank accessed here.
  std::string not_here(unsigned node) const;

  std::uint64_t sum(std::uint64_t v);

  /// What a rank sees of its share after a quantum's exchange: the smallest horizon of
  /// its nodes (0 while its switches hold anything), and whether all of it is idle.
  struct View {
    std::uint64_t horizon = 0;
    bool idle = false;
  };
  /// After a quantum: the network's exchange with the cut links' traffic sent to and
  /// taken from the peers; then in one gather with every rank, every node's datagrams to
  /// its host and every rank's view (`view` gives this rank's after the exchange).
  void exchange(std::span<extoll::Endpoint* const> ports, NodeThreads& threads, const std::function<View()>& view);
  /// The smallest horizon and whether every rank is idle, from the last exchange's gather
  /// while nothing changed since (valid()), else from a reduction of `mine` now.
  std::uint64_t min_horizon(std::uint64_t mine);
  bool all_idle(bool mine);
  /// The system may have changed outside a quantum (host input, the start of a run):
  /// the gathered view is stale until the next exchange. Called by every rank at the same
  /// points (each rank's host does the same), or the ranks' reductions would not match.
  void invalidate() { view_valid_ = false; }
  void take_datagrams(unsigned node, std::vector<std::vector<std::uint8_t>>& out);
  void count_warp(std::uint64_t quanta) { stats_.warped_quanta += quanta; }
  const RankStats& stats() const { return stats_; }

 private:
  unsigned rank_of(const extoll::LinkEnd& end) const;
  void exchange_cut(std::span<extoll::Endpoint* const> ports);
  void share(NodeThreads& threads, View mine);

  RankShare share_;
  extoll::Network& network_;
  unsigned rank_ = 0;
  std::vector<extoll::CutTraffic> cut_;
  std::vector<dist::Bytes> out_, in_;
  std::vector<std::vector<std::uint8_t>> drained_;
  std::vector<std::deque<std::vector<std::uint8_t>>> mirror_;  // per node: datagrams for its host
  RankStats stats_;
  bool view_valid_ = false;
  View view_;  // of every rank: the smallest horizon, all idle
  // Times a call to the communicator into stats_.exchange_seconds.
  template <class F>
  auto timed(F&& f);
};

}  // namespace nmtwin::sim
