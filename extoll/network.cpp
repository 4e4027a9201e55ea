#include "extoll/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <stdexcept>

#include "nmtwin/spec.hpp"

namespace nmtwin::extoll {

namespace {

constexpr unsigned switch_ports = SwitchConfig::ports;
constexpr unsigned node_port = 6;  // of a torus switch
constexpr unsigned no_distance = std::numeric_limits<unsigned>::max();

// The network as a graph: vertices 0..N-1 are the nodes, N.. the switches.
struct Graph {
  struct Adjacent {
    unsigned port = 0;  // on this vertex (0 on a node)
    unsigned vertex = 0;
    std::size_t link = 0;
  };
  unsigned nodes = 0;
  std::vector<std::vector<Adjacent>> adjacent;  // by port

  bool is_switch(unsigned v) const { return v >= nodes; }
  unsigned vertex(const LinkEnd& e) const { return e.is_switch ? nodes + e.index : e.index; }

  // Breadth-first from `from`, neighbours in port order, forwarding through
  // switches only (a node does not forward): reached(v, a) for every vertex a.vertex
  // found first from v; `nodes_too` false leaves nodes other than `from` unfound.
  template <typename Reached>
  void breadth_first(unsigned from, bool nodes_too, Reached reached) const {
    std::vector<bool> seen(adjacent.size(), false);
    std::deque<unsigned> queue{from};
    seen[from] = true;
    while (!queue.empty()) {
      const unsigned v = queue.front();
      queue.pop_front();
      if (v != from && !is_switch(v)) continue;
      for (const auto& a : adjacent[v])
        if (!seen[a.vertex] && (nodes_too || is_switch(a.vertex))) {
          seen[a.vertex] = true;
          reached(v, a);
          queue.push_back(a.vertex);
        }
    }
  }

  std::vector<unsigned> distances(unsigned from) const {
    std::vector<unsigned> d(adjacent.size(), no_distance);
    d[from] = 0;
    breadth_first(from, true, [&](unsigned v, const Adjacent& a) { d[a.vertex] = d[v] + 1; });
    return d;
  }
};

std::string end_name(const NetworkSpec& spec, const LinkEnd& e) {
  if (!e.is_switch) return fmt::format("node {}", e.index < spec.node_ids.size() ? spec.node_ids[e.index] : e.index);
  return fmt::format("port {} of switch {}", e.port, e.index < spec.switch_ids.size() ? spec.switch_ids[e.index] : e.index);
}

Graph build_graph(const NetworkSpec& spec) {
  Graph g;
  g.nodes = static_cast<unsigned>(spec.node_ids.size());
  g.adjacent.resize(spec.node_ids.size() + spec.switch_ids.size());
  std::vector<std::array<bool, switch_ports>> used(spec.switch_ids.size());
  for (std::size_t i = 0; i < spec.links.size(); ++i) {
    const auto& l = spec.links[i];
    for (const LinkEnd* e : {&l.a, &l.b}) {
      const std::size_t limit = e->is_switch ? spec.switch_ids.size() : spec.node_ids.size();
      if (e->index >= limit)
        throw std::invalid_argument(fmt::format("link {} names {} {}, but the network has {} of them", i,
                                                e->is_switch ? "switch" : "node", e->index, limit));
      if (e->is_switch && e->port >= switch_ports)
        throw std::invalid_argument(fmt::format("link {}: a switch has ports 0 to {}, not {}", i, switch_ports - 1,
                                                e->port));
      const unsigned v = g.vertex(*e);
      if (!e->is_switch && !g.adjacent[v].empty())
        throw std::invalid_argument(
            fmt::format("link {}: {} has a second link; an FPGA has one", i, end_name(spec, *e)));
      if (e->is_switch && used[e->index][e->port])
        throw std::invalid_argument(fmt::format("link {}: {} is linked twice", i, end_name(spec, *e)));
      if (e->is_switch) used[e->index][e->port] = true;
    }
    const unsigned va = g.vertex(l.a), vb = g.vertex(l.b);
    if (va == vb)
      throw std::invalid_argument(fmt::format("link {} joins {} to itself", i, end_name(spec, l.a)));
    g.adjacent[va].push_back({l.a.port, vb, i});
    g.adjacent[vb].push_back({l.b.port, va, i});
  }
  for (auto& a : g.adjacent)
    std::sort(a.begin(), a.end(), [](const auto& x, const auto& y) { return x.port < y.port; });
  return g;
}

// Dimension order on a torus: x first, then y, then z, the shorter way round (+ on a tie).
unsigned torus_port(const std::array<unsigned, 3>& dims, unsigned from, unsigned to) {
  for (unsigned d = 0, stride = 1; d < 3; stride *= dims[d], ++d) {
    const unsigned a = from / stride % dims[d], b = to / stride % dims[d];
    if (a == b) continue;
    const unsigned up = (b + dims[d] - a) % dims[d];
    return up <= dims[d] - up ? 2 * d : 2 * d + 1;
  }
  return node_port;
}

// The port of switch vertex `s` on the way to node `dest`; nullopt when there is none.
std::optional<unsigned> shortest_port(const Graph& g, const std::vector<unsigned>& dist, unsigned s, unsigned dest) {
  if (dist[s] == no_distance) return std::nullopt;
  for (const auto& a : g.adjacent[s])  // lowest port first
    if (dist[a.vertex] + 1 == dist[s] && (g.is_switch(a.vertex) || a.vertex == dest)) return a.port;
  return std::nullopt;
}

// Multicast: a tree over the switches from the first member's switch, pruned to the
// branches with members; a packet goes to every tree port but the one it came in
// on.  A switch off the tree sends the group's packets towards it.
void add_group(const NetworkSpec& spec, const Graph& g, const MulticastGroup& group,
               std::vector<SwitchConfig>& configs) {
  std::vector<std::uint8_t> member_ports(spec.switch_ids.size(), 0);
  std::optional<unsigned> root;
  for (unsigned m : group.members) {
    if (m >= spec.node_ids.size())
      throw std::invalid_argument(fmt::format("multicast group {}: member {} is not a node", group.group, m));
    for (const auto& a : g.adjacent[m])
      if (g.is_switch(a.vertex)) {
        const auto& l = spec.links[a.link];
        const unsigned port = l.a.is_switch ? l.a.port : l.b.port;
        member_ports[a.vertex - g.nodes] |= static_cast<std::uint8_t>(1u << port);
        if (!root) root = a.vertex;
      }
  }
  if (!root) return;  // no member behind a switch: nothing to configure
  const std::size_t n = spec.switch_ids.size();
  std::vector<int> parent_port(n, -1), parent(n, -1);
  std::vector<unsigned> order{*root};  // breadth first: parents before children
  std::vector<std::uint8_t> child_ports(n, 0);
  g.breadth_first(*root, false, [&](unsigned v, const Graph::Adjacent& a) {
    const unsigned s = a.vertex - g.nodes;
    parent[s] = static_cast<int>(v - g.nodes);
    for (const auto& back : g.adjacent[a.vertex])
      if (back.link == a.link) parent_port[s] = static_cast<int>(back.port);
    child_ports[v - g.nodes] |= static_cast<std::uint8_t>(1u << a.port);
    order.push_back(a.vertex);
  });
  for (unsigned m : group.members)
    for (const auto& a : g.adjacent[m])
      if (g.is_switch(a.vertex) && a.vertex != *root && parent[a.vertex - g.nodes] < 0)
        throw std::invalid_argument(fmt::format("multicast group {}: member node {} cannot be reached from the group's "
                                                "first member",
                                                group.group, spec.node_ids[m]));
  std::vector<bool> keep(n, false);
  for (std::size_t k = order.size(); k-- > 0;) {
    const unsigned s = order[k] - g.nodes;
    if (member_ports[s]) keep[s] = true;
    if (keep[s] && parent[s] >= 0) keep[static_cast<unsigned>(parent[s])] = true;
  }
  for (unsigned v : order) {
    const unsigned s = v - g.nodes;
    std::uint8_t mask = member_ports[s];
    if (keep[s]) {
      if (parent_port[s] >= 0) mask |= static_cast<std::uint8_t>(1u << parent_port[s]);
      for (const auto& a : g.adjacent[v])
        if ((child_ports[s] >> a.port & 1u) && keep[a.vertex - g.nodes]) mask |= static_cast<std::uint8_t>(1u << a.port);
    } else {
      mask = static_cast<std::uint8_t>(1u << parent_port[s]);
    }
    configs[s].groups[group.group] = mask;
  }
}

}  // namespace

NetworkSpec NetworkSpec::unlinked(unsigned nodes) {
  NetworkSpec s;
  for (unsigned i = 0; i < nodes; ++i) s.node_ids.push_back(static_cast<std::uint16_t>(i));
  return s;
}

NetworkSpec NetworkSpec::pair(const LinkConfig& link) {
  NetworkSpec s = unlinked(2);
  s.links.push_back({LinkEnd::node(0), LinkEnd::node(1), link});
  return s;
}

NetworkSpec NetworkSpec::torus(std::array<unsigned, 3> dims, const LinkConfig& link, std::uint64_t switch_latency) {
  const unsigned n = dims[0] * dims[1] * dims[2];
  if (n < 2 || n > 0x7FFF)
    throw std::invalid_argument(fmt::format("a torus of {}x{}x{} has {} switches; use 2 to 32767", dims[0], dims[1],
                                            dims[2], n));
  NetworkSpec s = unlinked(n);
  s.torus_dims = dims;
  s.switch_latency_cycles = switch_latency;
  for (unsigned i = 0; i < n; ++i) s.switch_ids.push_back(static_cast<std::uint16_t>(n + i));
  auto add = [&](LinkEnd a, LinkEnd b) {
    LinkConfig c = link;
    c.seed = link.seed + s.links.size();
    s.links.push_back({a, b, c});
  };
  for (unsigned i = 0; i < n; ++i) add(LinkEnd::node(i), LinkEnd::switch_port(i, node_port));
  for (unsigned i = 0; i < n; ++i)
    for (unsigned d = 0, stride = 1; d < 3; stride *= dims[d], ++d) {
      if (dims[d] < 2) continue;
      const unsigned c = i / stride % dims[d];
      const unsigned next = i - c * stride + (c + 1) % dims[d] * stride;
      add(LinkEnd::switch_port(i, 2 * d), LinkEnd::switch_port(next, 2 * d + 1));
    }
  return s;
}

std::uint64_t NetworkSpec::min_latency() const {
  std::uint64_t m = unreachable;
  for (const auto& l : links) m = std::min(m, l.config.latency_cycles);
  return m;
}

Network::Network(const NetworkSpec& spec) : spec_(spec) {
  if (spec.node_ids.empty()) throw std::invalid_argument("a network needs at least one node");
  const Graph g = build_graph(spec);
  const bool torus = spec.torus_dims[0] != 0;
  const unsigned nodes = g.nodes;

  std::vector<SwitchConfig> configs(spec.switch_ids.size());
  for (std::size_t s = 0; s < configs.size(); ++s) {
    configs[s].id = spec.switch_ids[s];
    configs[s].latency_cycles = spec.switch_latency_cycles;
    for (const auto& a : g.adjacent[nodes + s]) {
      configs[s].connected[a.port] = true;
      configs[s].bits_per_cycle[a.port] = spec.links[a.link].config.bits_per_cycle;
      if (torus && a.port < node_port) configs[s].dimension[a.port] = static_cast<int>(a.port / 2);
    }
  }
  // Unicast routes to every node.
  for (unsigned d = 0; d < nodes; ++d) {
    const auto dist = g.distances(d);
    for (std::size_t s = 0; s < configs.size(); ++s) {
      const auto port = torus ? std::optional<unsigned>(torus_port(spec.torus_dims, static_cast<unsigned>(s), d))
                              : shortest_port(g, dist, nodes + static_cast<unsigned>(s), d);
      if (port) configs[s].routes[spec.node_ids[d]] = *port;
    }
  }
  for (std::size_t i = 0; i < spec.groups.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (spec.groups[i].group == spec.groups[j].group)
        throw std::invalid_argument(fmt::format("multicast group {} is defined twice", spec.groups[i].group));
  for (const auto& group : spec.groups) add_group(spec, g, group, configs);
  // A link whose round trip reaches the link layer's timeout would resend every
  // packet before its acknowledgement could come back.
  for (std::size_t i = 0; i < spec.links.size(); ++i) {
    const auto l = spec.links[i].config.latency_cycles;
    const std::uint64_t limit = (nmtwin::spec::net::link_timeout_cycles - 2 * nmtwin::spec::net::max_packet_words) / 2;
    if (l > limit)
      throw std::invalid_argument(fmt::format("link {} ({} to {}): a latency of {} cycles makes the round trip reach "
                                              "the link timeout ({} cycles); use at most {}",
                                              i, end_name(spec, spec.links[i].a), end_name(spec, spec.links[i].b), l,
                                              nmtwin::spec::net::link_timeout_cycles, limit));
  }

  // Global interrupt: a breadth-first tree from the root.
  gi_latency_.assign(nodes, unreachable);
  if (spec.gi_root >= nodes) throw std::invalid_argument(fmt::format("the global interrupt root {} is not a node", spec.gi_root));
  std::vector<std::uint64_t> at(g.adjacent.size(), unreachable);
  at[spec.gi_root] = 0;
  g.breadth_first(spec.gi_root, true, [&](unsigned v, const Graph::Adjacent& a) {
    at[a.vertex] = at[v] + (g.is_switch(v) ? Switch::pulse_latency : 0) + spec.links[a.link].config.latency_cycles;
    if (g.is_switch(v)) configs[v - nodes].gi_children |= static_cast<std::uint8_t>(1u << a.port);
  });
  for (unsigned i = 0; i < nodes; ++i) gi_latency_[i] = at[i];

  for (const auto& c : configs) switches_.emplace_back(c);
  for (const auto& l : spec.links) links_.emplace_back(l.config);
  node_link_.assign(nodes, SIZE_MAX);
  for (std::size_t i = 0; i < spec.links.size(); ++i)
    for (const LinkEnd* e : {&spec.links[i].a, &spec.links[i].b}) {
      if (e->is_switch)
        link_at_[{e->index, e->port}] = i;
      else
        node_link_[e->index] = i;
    }
}

unsigned Network::hops(unsigned a, unsigned b) const {
  if (a == b) return 0;
  const auto links = path(a, b);
  return links.empty() ? std::numeric_limits<unsigned>::max() : static_cast<unsigned>(links.size());
}

std::vector<std::size_t> Network::path(unsigned a, unsigned b) const {
  std::vector<std::size_t> out;
  if (a == b || a >= node_link_.size() || node_link_[a] == SIZE_MAX) return out;
  const auto other = [&](std::size_t l, const LinkEnd& from) {
    const auto& link = spec_.links[l];
    const bool at_a = link.a.is_switch == from.is_switch && link.a.index == from.index && (!from.is_switch || link.a.port == from.port);
    return at_a ? link.b : link.a;
  };
  LinkEnd here = LinkEnd::node(a);
  std::size_t l = node_link_[a];
  for (std::size_t guard = 0; guard <= spec_.links.size(); ++guard) {
    out.push_back(l);
    const LinkEnd next = other(l, here);
    if (!next.is_switch) return next.index == b ? out : std::vector<std::size_t>{};
    const auto& routes = switches_[next.index].config().routes;
    const auto r = routes.find(spec_.node_ids[b]);
    if (r == routes.end()) return {};
    const auto it = link_at_.find({next.index, r->second});
    if (it == link_at_.end()) return {};
    here = LinkEnd::switch_port(next.index, r->second);
    l = it->second;
  }
  return {};
}

void Network::set_local(std::vector<bool> nodes, std::vector<bool> switches) {
  if (nodes.size() != spec_.node_ids.size() || switches.size() != switches_.size())
    throw std::invalid_argument(fmt::format("a rank's share names {} nodes and {} switches of a network of {} and {}",
                                            nodes.size(), switches.size(), spec_.node_ids.size(), switches_.size()));
  local_nodes_ = std::move(nodes);
  local_switches_ = std::move(switches);
}

bool Network::is_local(const LinkEnd& end) const {
  const auto& local = end.is_switch ? local_switches_ : local_nodes_;
  return local.empty() || local[end.index];
}

void Network::advance(std::uint64_t until) {
  for (std::size_t i = 0; i < switches_.size(); ++i)
    if (local_switches_.empty() || local_switches_[i]) switches_[i].advance(until);
}

void Network::take(const LinkEnd& end, std::span<Endpoint* const> nodes, std::vector<Symbol>& out) {
  if (end.is_switch)
    switches_[end.index].take_sent(end.port, out);
  else
    nodes[end.index]->take_sent(out);
}

void Network::give(const LinkEnd& end, std::span<Endpoint* const> nodes, const Symbol& s) {
  if (end.is_switch)
    switches_[end.index].deliver(end.port, s);
  else
    nodes[end.index]->deliver(s);
}

void Network::exchange(std::span<Endpoint* const> nodes, std::vector<CutTraffic>* cut) {
  if (nodes.size() != spec_.node_ids.size())
    throw std::invalid_argument(fmt::format("exchange with {} node ports for {} nodes", nodes.size(), spec_.node_ids.size()));
  for (std::size_t i = 0; i < links_.size(); ++i) {
    const LinkEnd ends[2] = {spec_.links[i].a, spec_.links[i].b};
    for (unsigned from = 0; from < 2; ++from) {
      if (!is_local(ends[from])) continue;  // the rank of that end carries it
      sent_.clear();
      arriving_.clear();
      take(ends[from], nodes, sent_);
      links_[i].carry(from, sent_, arriving_);
      if (observer_ && !sent_.empty()) observer_(i, from, sent_, arriving_);
      if (is_local(ends[1 - from])) {
        for (const auto& s : arriving_) give(ends[1 - from], nodes, s);
      } else if (!arriving_.empty()) {
        if (!cut) throw std::logic_error(fmt::format("link {} is cut between ranks, but the exchange has no outbox", i));
        cut->push_back({i, from, arriving_});
      }
    }
  }
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (node_link_[i] == SIZE_MAX && is_local(LinkEnd::node(static_cast<unsigned>(i)))) {
      sent_.clear();
      nodes[i]->take_sent(sent_);
      unlinked_symbols_ += sent_.size();
    }
}

void Network::deliver_cut(std::span<Endpoint* const> nodes, const CutTraffic& traffic) {
  if (traffic.link >= links_.size() || traffic.from > 1)
    throw std::invalid_argument(fmt::format("traffic for link {} (end {}) of a network of {} links", traffic.link,
                                            traffic.from, links_.size()));
  const auto& link = spec_.links[traffic.link];
  const LinkEnd to = traffic.from == 0 ? link.b : link.a;
  if (!is_local(to))
    throw std::invalid_argument(fmt::format("traffic for link {} arrived at a rank that does not own its end {}",
                                            traffic.link, end_name(spec_, to)));
  for (const auto& s : traffic.symbols) give(to, nodes, s);
}

bool Network::idle() const {
  for (std::size_t i = 0; i < switches_.size(); ++i)
    if ((local_switches_.empty() || local_switches_[i]) && !switches_[i].idle()) return false;
  return true;
}

}  // namespace nmtwin::extoll
