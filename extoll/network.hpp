#pragma once
// The EXTOLL-style network of a simulated system (docs/network.md): FPGA endpoints
// (one link each) and switches (7 ports), joined by links with latency, bandwidth
// and seeded bit errors; routing tables (dimension order on a torus, shortest path
// on a listed graph), multicast trees, and the distribution tree of the global
// interrupt.  The system kernel (sim::Simulation) advances the switches a quantum at
// a time and exchanges every link's traffic at the quantum's edge.

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <span>
#include <vector>

#include "extoll/endpoint.hpp"
#include "extoll/link.hpp"
#include "extoll/switch.hpp"

namespace nmtwin::extoll {

/// One end of a link: an FPGA (node index) or a switch port (switch index, port).
struct LinkEnd {
  bool is_switch = false;
  unsigned index = 0;
  unsigned port = 0;
  static LinkEnd node(unsigned i) { return {false, i, 0}; }
  static LinkEnd switch_port(unsigned s, unsigned p) { return {true, s, p}; }
};

struct NetworkLink {
  LinkEnd a, b;
  LinkConfig config;
};

struct MulticastGroup {
  std::uint16_t group = 0;
  std::vector<unsigned> members;  ///< node indices
};

struct NetworkSpec {
  std::vector<std::uint16_t> node_ids;    ///< per FPGA: its node id (the packet header's destination)
  std::vector<std::uint16_t> switch_ids;  ///< for messages
  std::vector<NetworkLink> links;
  std::vector<MulticastGroup> groups;
  std::uint64_t switch_latency_cycles = 16;
  /// X, Y, Z when the switches form a torus built by torus(): switch x + X(y + Yz)
  /// has ports 0..5 = +x, -x, +y, -y, +z, -z and its node on port 6; routing is then
  /// dimension order.  All zero for any other network.
  std::array<unsigned, 3> torus_dims{};
  unsigned gi_root = 0;  ///< node index the global interrupt starts from

  /// `nodes` FPGAs without links (ids 0..n-1).
  static NetworkSpec unlinked(unsigned nodes);
  /// Two FPGAs back to back.
  static NetworkSpec pair(const LinkConfig& link);
  /// A torus of X*Y*Z switches, one FPGA on each (node i on switch i, ids 0..n-1,
  /// switch ids n..2n-1); a ring of n is {n, 1, 1}.  Link i gets seed link.seed + i.
  static NetworkSpec torus(std::array<unsigned, 3> dims, const LinkConfig& link, std::uint64_t switch_latency);

  /// Smallest link latency (the largest exact quantum); UINT64_MAX without links.
  std::uint64_t min_latency() const;
};

constexpr std::uint64_t unreachable = std::numeric_limits<std::uint64_t>::max();

/// What the end `from` (0: a, 1: b) of a link cut between ranks sent in one exchange,
/// as it arrives (bit errors applied at the sender, whose rank owns that direction's
/// generator): the rank of the other end delivers it (Network::deliver_cut).
struct CutTraffic {
  std::size_t link = 0;
  unsigned from = 0;
  std::vector<Symbol> symbols;
};

class Network {
 public:
  /// Throws std::invalid_argument naming the link, node or switch for ends out of
  /// range, a node with two links, a switch port linked twice, a group member out of range.
  explicit Network(const NetworkSpec& spec);

  const NetworkSpec& spec() const { return spec_; }
  std::size_t links() const { return links_.size(); }
  const Link& link(std::size_t i) const { return links_.at(i); }
  std::size_t switches() const { return switches_.size(); }
  const Switch& switch_at(std::size_t i) const { return switches_.at(i); }
  /// Cycles from the root sending a global interrupt to node i receiving it (0 for
  /// the root, `unreachable` for a node the tree does not reach).
  const std::vector<std::uint64_t>& gi_latency() const { return gi_latency_; }
  /// Link hops from node a to node b along the routes (path(a, b).size(); 0 when
  /// a == b, UINT_MAX when there is no route).
  unsigned hops(unsigned a, unsigned b) const;
  /// The links a unicast packet from node a to node b takes, in order (empty when
  /// a == b or there is no route).
  std::vector<std::size_t> path(unsigned a, unsigned b) const;

  /// Makes this network one rank's share of a partitioned system (docs/scaleout.md):
  /// only the nodes and switches marked here are simulated by this rank; the others
  /// belong to other ranks. Both vectors are per node and per switch index.
  void set_local(std::vector<bool> nodes, std::vector<bool> switches);
  bool is_local(const LinkEnd& end) const;

  /// Runs this rank's switches up to (not including) cycle `until`.
  void advance(std::uint64_t until);
  /// Carries what every end of this rank sent since the last exchange to the other end.
  /// `nodes[i]` is node i's link port (nullptr for a node of another rank). Words an
  /// unlinked node sends are counted as lost. What goes to an end of another rank is
  /// appended to `cut` (link by link, a before b); without a partition nothing is.
  void exchange(std::span<Endpoint* const> nodes, std::vector<CutTraffic>* cut = nullptr);
  /// Gives what another rank's end sent over a cut link to this rank's end of it.
  void deliver_cut(std::span<Endpoint* const> nodes, const CutTraffic& traffic);
  /// Whether this rank's switches hold nothing.
  bool idle() const;
  /// Called in exchange() for every link direction with traffic: what the end
  /// `from` (0: a, 1: b) sent, stamped at the sender, and what arrives (bit errors applied).
  using Observer = std::function<void(std::size_t link, unsigned from, std::span<const Symbol> sent,
                                      std::span<const Symbol> arriving)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  /// Symbols sent by nodes that have no link (lost, counted).
  std::uint64_t unlinked_symbols() const { return unlinked_symbols_; }

 private:
  void take(const LinkEnd& end, std::span<Endpoint* const> nodes, std::vector<Symbol>& out);
  void give(const LinkEnd& end, std::span<Endpoint* const> nodes, const Symbol& s);

  NetworkSpec spec_;
  std::vector<Switch> switches_;
  std::vector<Link> links_;
  std::vector<std::uint64_t> gi_latency_;
  std::map<std::pair<unsigned, unsigned>, std::size_t> link_at_;  // (switch, port) -> link
  std::vector<std::size_t> node_link_;                            // node -> its link (SIZE_MAX: none)
  std::uint64_t unlinked_symbols_ = 0;
  std::vector<bool> local_nodes_, local_switches_;  // empty: every end is this process's
  std::vector<Symbol> sent_, arriving_;
  Observer observer_;
};

}  // namespace nmtwin::extoll
