#include "extoll/partition.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <utility>

namespace nmtwin::extoll {

namespace {

constexpr unsigned unset = std::numeric_limits<unsigned>::max();

// The network as a graph: vertices 0..N-1 are the nodes, N.. the switches; the links
// at every vertex in link order.
struct Wiring {
  unsigned nodes = 0;
  std::vector<std::pair<unsigned, unsigned>> ends;  // per link: its two vertices
  std::vector<std::vector<std::size_t>> links_at;   // per vertex

  explicit Wiring(const NetworkSpec& spec) : nodes(static_cast<unsigned>(spec.node_ids.size())) {
    links_at.resize(spec.node_ids.size() + spec.switch_ids.size());
    for (std::size_t i = 0; i < spec.links.size(); ++i) {
      const auto& l = spec.links[i];
      ends.emplace_back(vertex(spec, l.a, i), vertex(spec, l.b, i));
      links_at[ends.back().first].push_back(i);
      links_at[ends.back().second].push_back(i);
    }
  }
  unsigned vertices() const { return static_cast<unsigned>(links_at.size()); }
  unsigned other(std::size_t link, unsigned v) const {
    return ends[link].first == v ? ends[link].second : ends[link].first;
  }

 private:
  unsigned vertex(const NetworkSpec& spec, const LinkEnd& e, std::size_t link) const {
    const std::size_t limit = e.is_switch ? spec.switch_ids.size() : spec.node_ids.size();
    if (e.index >= limit)
      throw std::invalid_argument(fmt::format("link {} names {} {}, but the network has {} of them", link,
                                              e.is_switch ? "switch" : "node", e.index, limit));
    return e.is_switch ? nodes + e.index : e.index;
  }
};

void check_rank_count(std::size_t nodes, unsigned ranks) {
  if (ranks == 0) throw std::invalid_argument("a partition needs at least one rank");
  if (nodes < ranks)
    throw std::invalid_argument(
        fmt::format("cannot split {} nodes over {} ranks: every rank needs at least one node; use at most {} ranks",
                    nodes, ranks, nodes));
}

// Links in increasing (latency, index) order.
std::vector<std::size_t> by_latency(const NetworkSpec& spec) {
  std::vector<std::size_t> order(spec.links.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return spec.links[x].config.latency_cycles < spec.links[y].config.latency_cycles;
  });
  return order;
}

// Node i of n in blocks of near-equal size, the first n % ranks one larger.
std::vector<unsigned> blocks(unsigned n, unsigned ranks) {
  std::vector<unsigned> rank;
  const unsigned base = n / ranks, extra = n % ranks;
  for (unsigned r = 0; r < ranks; ++r) rank.insert(rank.end(), base + (r < extra ? 1 : 0), r);
  return rank;
}

// Per vertex: the nearest node in link hops (ties: the lowest index); `unset` where no
// node is reached.  Breadth-first from all nodes at once, a level at a time.
std::vector<unsigned> nearest_node(const Wiring& g) {
  std::vector<unsigned> distance(g.vertices(), unset), nearest(g.vertices(), unset);
  std::vector<unsigned> level;
  for (unsigned i = 0; i < g.nodes; ++i) {
    distance[i] = 0;
    nearest[i] = i;
    level.push_back(i);
  }
  for (unsigned d = 1; !level.empty(); ++d) {
    std::vector<unsigned> next;
    for (unsigned v : level)
      for (std::size_t l : g.links_at[v]) {
        const unsigned w = g.other(l, v);
        if (distance[w] == unset) {
          distance[w] = d;
          nearest[w] = nearest[v];
          next.push_back(w);
        } else if (distance[w] == d) {
          nearest[w] = std::min(nearest[w], nearest[v]);
        }
      }
    level = std::move(next);
  }
  return nearest;
}

Partition contiguous(const NetworkSpec& spec, unsigned ranks) {
  const Wiring g(spec);
  std::vector<unsigned> node_rank = blocks(g.nodes, ranks);
  const std::vector<unsigned> nearest = nearest_node(g);
  std::vector<unsigned> switch_rank;
  for (unsigned v = g.nodes; v < g.vertices(); ++v)
    switch_rank.push_back(nearest[v] == unset ? 0 : node_rank[nearest[v]]);
  return partition_from_map(spec, ranks, std::move(node_rank), std::move(switch_rank));
}

struct Groups {
  std::vector<unsigned> parent;
  std::vector<unsigned> nodes;  // per root: how many nodes the group has

  unsigned find(unsigned v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  }
};

// Joins the ends of the links in increasing (latency, index) order while the joined
// group has at most ceil(nodes / ranks) nodes and at least `ranks` groups with nodes
// remain; packs the groups, largest first (ties: lowest node index), onto the
// least-loaded rank (ties: lowest rank).  Joining a group without nodes never breaks
// those limits, so every switch a node reaches is in a group with nodes.
Partition locality(const NetworkSpec& spec, unsigned ranks) {
  const Wiring g(spec);
  const unsigned cap = (g.nodes + ranks - 1) / ranks;
  Groups groups{std::vector<unsigned>(g.vertices()), std::vector<unsigned>(g.vertices(), 0)};
  std::iota(groups.parent.begin(), groups.parent.end(), 0u);
  for (unsigned i = 0; i < g.nodes; ++i) groups.nodes[i] = 1;
  unsigned with_nodes = g.nodes;
  const std::vector<std::size_t> order = by_latency(spec);
  for (std::size_t l : order) {
    const unsigned a = groups.find(g.ends[l].first), b = groups.find(g.ends[l].second);
    if (a == b || groups.nodes[a] + groups.nodes[b] > cap) continue;
    const bool two_with_nodes = groups.nodes[a] > 0 && groups.nodes[b] > 0;
    if (two_with_nodes && with_nodes == ranks) continue;
    const auto [root, child] = std::minmax(a, b);
    groups.parent[child] = root;
    groups.nodes[root] += groups.nodes[child];
    if (two_with_nodes) --with_nodes;
  }

  // A group's root is its lowest vertex, so a group with nodes has its lowest node as
  // its root: the groups with nodes in the order of their lowest node, then largest first.
  std::vector<unsigned> packing;
  for (unsigned i = 0; i < g.nodes; ++i)
    if (groups.find(i) == i) packing.push_back(i);
  std::stable_sort(packing.begin(), packing.end(),
                   [&](unsigned x, unsigned y) { return groups.nodes[x] > groups.nodes[y]; });
  std::vector<unsigned> group_rank(g.vertices(), unset);
  std::vector<unsigned> load(ranks, 0);
  for (unsigned r : packing) {
    const auto least = static_cast<unsigned>(std::min_element(load.begin(), load.end()) - load.begin());
    group_rank[r] = least;
    load[least] += groups.nodes[r];
  }

  std::vector<unsigned> node_rank, switch_rank;
  for (unsigned v = 0; v < g.vertices(); ++v) {
    const unsigned r = group_rank[groups.find(v)];
    (v < g.nodes ? node_rank : switch_rank).push_back(r == unset ? 0 : r);  // a switch no node reaches
  }
  return partition_from_map(spec, ranks, std::move(node_rank), std::move(switch_rank));
}

// "0-3, 5, 7-9", or "none".
template <typename T>
std::string runs(const std::vector<T>& ascending) {
  if (ascending.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < ascending.size();) {
    std::size_t j = i;
    while (j + 1 < ascending.size() && ascending[j + 1] == ascending[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += i == j ? fmt::format("{}", ascending[i]) : fmt::format("{}-{}", ascending[i], ascending[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string Partition::describe() const {
  std::vector<std::vector<unsigned>> nodes(ranks), switches(ranks);
  for (unsigned i = 0; i < node_rank.size(); ++i) nodes.at(node_rank[i]).push_back(i);
  for (unsigned i = 0; i < switch_rank.size(); ++i) switches.at(switch_rank[i]).push_back(i);
  std::vector<std::vector<std::size_t>> cut(ranks);
  for (std::size_t i = 0; i < cut_links.size(); ++i) {
    cut.at(cut_ranks.at(i).first).push_back(cut_links[i]);
    cut.at(cut_ranks.at(i).second).push_back(cut_links[i]);
  }
  std::string out;
  for (unsigned r = 0; r < ranks; ++r)
    out += fmt::format("rank {}: nodes {} ({}), switches {} ({}), cut links {} ({}), peers {}\n", r, runs(nodes[r]),
                       nodes[r].size(), runs(switches[r]), switches[r].size(), runs(cut[r]), cut[r].size(),
                       peers.at(r).empty() ? "none" : fmt::format("{}", fmt::join(peers[r], ", ")));
  return out;
}

std::optional<Partitioner> parse_partitioner(std::string_view name) {
  if (name == "contiguous") return Partitioner::contiguous;
  if (name == "locality") return Partitioner::locality;
  if (name == "scattered") return Partitioner::scattered;
  return std::nullopt;
}

namespace {
// Indices 0..n-1 in a fixed shuffled order (Fisher-Yates with a fixed 64-bit LCG): the
// same on every rank and every run.
std::vector<unsigned> shuffled(std::size_t n, std::uint64_t seed) {
  std::vector<unsigned> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<unsigned>(i);
  for (std::size_t i = n; i > 1; --i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    std::swap(order[i - 1], order[(seed >> 33) % i]);
  }
  return order;
}

Partition scattered(const NetworkSpec& spec, unsigned ranks) {
  std::vector<unsigned> node_rank(spec.node_ids.size()), switch_rank(spec.switch_ids.size());
  const auto nodes = shuffled(node_rank.size(), 0x5eed0001);
  for (std::size_t k = 0; k < nodes.size(); ++k) node_rank[nodes[k]] = static_cast<unsigned>(k % ranks);  // each rank a node
  const auto switches = shuffled(switch_rank.size(), 0x5eed0002);
  for (std::size_t k = 0; k < switches.size(); ++k) switch_rank[switches[k]] = static_cast<unsigned>((k + 1) % ranks);
  return partition_from_map(spec, ranks, std::move(node_rank), std::move(switch_rank));
}
}  // namespace

Partition make_partition(const NetworkSpec& spec, unsigned ranks, Partitioner how) {
  check_rank_count(spec.node_ids.size(), ranks);
  switch (how) {
    case Partitioner::contiguous:
      return contiguous(spec, ranks);
    case Partitioner::locality:
      return locality(spec, ranks);
    case Partitioner::scattered:
      return scattered(spec, ranks);
  }
  throw std::logic_error("unknown partitioner");
}

Partition partition_from_map(const NetworkSpec& spec, unsigned ranks, std::vector<unsigned> node_rank,
                             std::vector<unsigned> switch_rank) {
  check_rank_count(spec.node_ids.size(), ranks);
  if (node_rank.size() != spec.node_ids.size() || switch_rank.size() != spec.switch_ids.size())
    throw std::invalid_argument(fmt::format("the map places {} nodes and {} switches, but the network has {} and {}",
                                            node_rank.size(), switch_rank.size(), spec.node_ids.size(),
                                            spec.switch_ids.size()));
  std::vector<bool> has_node(ranks, false);
  for (std::size_t i = 0; i < node_rank.size(); ++i) {
    if (node_rank[i] >= ranks)
      throw std::invalid_argument(fmt::format("node {} is on rank {}, but there are {} ranks; use 0 to {}",
                                              spec.node_ids[i], node_rank[i], ranks, ranks - 1));
    has_node[node_rank[i]] = true;
  }
  for (std::size_t i = 0; i < switch_rank.size(); ++i)
    if (switch_rank[i] >= ranks)
      throw std::invalid_argument(fmt::format("switch {} is on rank {}, but there are {} ranks; use 0 to {}",
                                              spec.switch_ids[i], switch_rank[i], ranks, ranks - 1));
  for (unsigned r = 0; r < ranks; ++r)
    if (!has_node[r])
      throw std::invalid_argument(
          fmt::format("rank {} has no node: every rank needs at least one node; move a node to it", r));

  Partition p;
  p.ranks = ranks;
  p.node_rank = std::move(node_rank);
  p.switch_rank = std::move(switch_rank);
  const Wiring checked(spec);  // link ends in range, before rank_of() looks them up
  std::vector<std::set<unsigned>> peers(ranks);
  for (std::size_t l = 0; l < spec.links.size(); ++l) {
    const unsigned a = p.rank_of(spec.links[l].a), b = p.rank_of(spec.links[l].b);
    if (a == b) continue;
    p.cut_links.push_back(l);
    p.cut_ranks.emplace_back(a, b);
    p.lookahead = std::min(p.lookahead, spec.links[l].config.latency_cycles);
    peers[a].insert(b);
    peers[b].insert(a);
  }
  for (const auto& s : peers) p.peers.emplace_back(s.begin(), s.end());
  return p;
}

}  // namespace nmtwin::extoll
