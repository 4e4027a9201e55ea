#include "experiment/topology_file.hpp"

#include <charconv>
#include <climits>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

namespace {

constexpr unsigned switch_ports = 7;
constexpr std::int64_t max_id = spec::fpga_reg::node_id_fields::id.max();

LinkParameters link_parameters(const Reader& r, const toml::table& t, LinkParameters p) {
  if (const auto* n = t.get("latency_cycles"))
    p.latency_cycles =
        static_cast<std::uint64_t>(r.integer(*n, "latency_cycles", 1, static_cast<std::int64_t>(max_link_latency_cycles)));
  if (const auto* n = t.get("bandwidth_bits_per_cycle"))
    p.bandwidth_bits_per_cycle = r.number(*n, "bandwidth_bits_per_cycle", 1, 1'000'000);
  if (const auto* n = t.get("bit_error_rate")) p.bit_error_rate = r.number(*n, "bit_error_rate", 0, 0.01);
  return p;
}

// "node 3", "switch 100", "switch 100:2".
TopologyFile::End end(const Reader& r, const toml::node& node, std::string_view key) {
  static const std::regex form(R"((node|switch) +([0-9]+)(:([0-9]+))?)");
  const std::string text = r.string(node, key);
  std::smatch m;
  if (!std::regex_match(text, m, form))
    r.fail(node, fmt::format("'{}' = \"{}\" names no end; write \"node ID\", \"switch ID\" or \"switch ID:PORT\"", key,
                             text));
  TopologyFile::End e;
  e.is_switch = m[1] == "switch";
  // The digits as a number; one too large for 64 bits counts as too large (std::stoll
  // threw std::out_of_range there: found by fuzz_files).
  const auto number = [](const std::string& digits) {
    std::uint64_t v = 0;
    return std::from_chars(digits.data(), digits.data() + digits.size(), v).ec == std::errc{} ? v : UINT64_MAX;
  };
  const std::uint64_t id = number(m[2]);
  if (id > static_cast<std::uint64_t>(max_id))
    r.fail(node, fmt::format("'{}': id {} does not fit in {} bits", key, m[2].str(),
                             spec::fpga_reg::node_id_fields::id.width));
  e.id = static_cast<unsigned>(id);
  if (m[4].matched) {
    if (!e.is_switch) r.fail(node, fmt::format("'{}': a node has one link and no port numbers", key));
    const std::uint64_t port = number(m[4]);
    if (port >= static_cast<std::uint64_t>(switch_ports))
      r.fail(node, fmt::format("'{}': switch port {} does not exist; a switch has ports 0 to {}", key, m[4].str(),
                               switch_ports - 1));
    e.port = static_cast<unsigned>(port);
  }
  return e;
}

std::string name(const TopologyFile::End& e) { return fmt::format("{} {}", e.is_switch ? "switch" : "node", e.id); }

std::vector<unsigned> ids(const Reader& r, const toml::node& node, std::string_view section, std::set<unsigned>& seen,
                          const std::set<unsigned>& other, std::string_view other_name) {
  std::vector<unsigned> out;
  for (const auto& t : r.tables(node, section)) {
    const auto& tab = *t.as_table();
    r.check_keys(tab, fmt::format("[[{}]]", section), {"id"});
    const auto& idn = r.require(tab, "id", fmt::format("[[{}]]", section));
    const auto id = static_cast<unsigned>(r.integer(idn, "id", 0, max_id));
    if (!seen.insert(id).second)
      r.fail(idn, fmt::format("{} {} is defined twice; give every {} its own id", section, id, section));
    if (other.count(id))
      r.fail(idn, fmt::format("id {} is used by a {} too; nodes and switches share one id space", id, other_name));
    out.push_back(id);
  }
  return out;
}

// Every node must reach every other (a packet, a global interrupt): the parts a walk
// over the links from the first node does not reach are refused at their first member.
void check_connected(const Reader& r, const TopologyFile& t, const toml::table& doc) {
  const auto key = [](const TopologyFile::End& e) { return std::pair{e.is_switch, e.id}; };
  std::map<std::pair<bool, unsigned>, std::vector<std::pair<bool, unsigned>>> adjacent;
  for (const auto& l : t.links) {
    adjacent[key(l.a)].push_back(key(l.b));
    adjacent[key(l.b)].push_back(key(l.a));
  }
  std::set<std::pair<bool, unsigned>> reached{{false, t.nodes.front()}};
  std::vector<std::pair<bool, unsigned>> todo{{false, t.nodes.front()}};
  while (!todo.empty()) {
    const auto v = todo.back();
    todo.pop_back();
    for (const auto& w : adjacent[v])
      if (reached.insert(w).second) todo.push_back(w);
  }
  const auto fail_unreached = [&](const toml::node& section, std::string_view kind, bool is_switch) {
    for (const auto& n : r.tables(section, kind)) {
      const auto& idn = *n.as_table()->get("id");
      const auto id = static_cast<unsigned>(*idn.value<std::int64_t>());
      if (!reached.count({is_switch, id}))
        r.fail(idn, fmt::format("{} {} is not connected to node {}: the network falls apart in separate parts; "
                                "link the parts (through a switch) or remove the {}",
                                kind, id, t.nodes.front(), kind));
    }
  };
  fail_unreached(*doc.get("node"), "node", false);
  if (const auto* switches = doc.get("switch")) fail_unreached(*switches, "switch", true);
}

void parse_graph(const Reader& r, const toml::table& doc, TopologyFile& t) {
  std::set<unsigned> node_set, switch_set;
  if (const auto* s = doc.get("switch")) t.switches = ids(r, *s, "switch", switch_set, {}, "node");
  const auto* nodes = doc.get("node");
  if (!nodes) r.fail(doc, "a graph needs [[node]] tables, one per FPGA (id = 0, ...)");
  t.nodes = ids(r, *nodes, "node", node_set, switch_set, "switch");
  if (t.nodes.size() > max_system_nodes)
    r.fail(*nodes, fmt::format("the graph has {} nodes; a simulated system has at most {} (docs/topology.md)",
                               t.nodes.size(), max_system_nodes));
  const auto* links = doc.get("link");
  if (!links) r.fail(doc, "a graph needs [[link]] tables (a = \"node 0\", b = \"switch 100\")");
  std::map<unsigned, unsigned> node_links;
  std::map<unsigned, std::set<unsigned>> used_ports;
  std::map<unsigned, unsigned> switch_links;
  for (const auto& l : r.tables(*links, "link")) {
    const auto& tab = *l.as_table();
    r.check_keys(tab, "[[link]]", {"a", "b", "latency_cycles", "bandwidth_bits_per_cycle", "bit_error_rate"});
    const toml::node& a = r.require(tab, "a", "[[link]]");
    const toml::node& b = r.require(tab, "b", "[[link]]");
    TopologyFile::Link link{end(r, a, "a"), end(r, b, "b"), link_parameters(r, tab, t.link),
                            static_cast<int>(tab.source().begin.line)};
    for (auto [e, at] : {std::pair{&link.a, &a}, std::pair{&link.b, &b}}) {
      const auto& set = e->is_switch ? switch_set : node_set;
      if (!set.count(e->id))
        r.fail(*at, fmt::format("the link names {}, which is not defined; add [[{}]] id = {}", name(*e),
                                e->is_switch ? "switch" : "node", e->id));
      if (e->is_switch) {
        if (++switch_links[e->id] > switch_ports)
          r.fail(*at, fmt::format("switch {} has more than {} links", e->id, switch_ports));
        if (e->port && !used_ports[e->id].insert(*e->port).second)
          r.fail(*at, fmt::format("port {} of switch {} is linked twice", *e->port, e->id));
      } else if (++node_links[e->id] > 1) {
        r.fail(*at, fmt::format("node {} has a second link; an FPGA has one EXTOLL link", e->id));
      }
    }
    if (link.a.is_switch == link.b.is_switch && link.a.id == link.b.id)
      r.fail(tab, fmt::format("the link connects {} to itself; join two different ends", name(link.a)));
    t.links.push_back(link);
  }
  for (unsigned n : t.nodes)
    if (!node_links.count(n))
      r.fail(*nodes, fmt::format("node {} has no link; connect it with a [[link]] (a = \"node {}\")", n, n));
  for (unsigned s : t.switches)
    if (!switch_links.count(s))
      r.fail(*doc.get("switch"), fmt::format("switch {} has no link; connect it or remove it", s));
  check_connected(r, t, doc);
}

// The rank of every id in `ids` (node or switch ids in index order) from the 'key'
// lists of the [[partition.rank]] tables; `other` are the ids of the other kind.
std::vector<unsigned> ranks_of(const Reader& r, const toml::array& tables, std::string_view kind, std::string_view key,
                               const std::vector<unsigned>& ids, const std::vector<unsigned>& other,
                               const toml::node& partition) {
  std::map<unsigned, unsigned> index;
  for (unsigned i = 0; i < ids.size(); ++i) index[ids[i]] = i;
  const std::set<unsigned> others(other.begin(), other.end());
  constexpr unsigned none = UINT_MAX;
  std::vector<unsigned> rank(ids.size(), none);
  for (unsigned k = 0; k < tables.size(); ++k) {
    const auto* list = tables.get(k)->as_table()->get(key);
    if (!list) continue;
    const auto* arr = list->as_array();
    if (!arr) r.fail(*list, fmt::format("'{}' must be a list of {} ids, e.g. [0, 1]", key, kind));
    for (const auto& x : *arr) {
      const auto id = static_cast<unsigned>(r.integer(x, key, 0, max_id));
      const auto at = index.find(id);
      if (at == index.end())
        r.fail(x, others.count(id)
                      ? fmt::format("{} is a {}, not a {}; list it in '{}'", id, kind == "node" ? "switch" : "node",
                                    kind, kind == "node" ? "switches" : "nodes")
                      : fmt::format("there is no {} {} in this network; list only its {}s", kind, id, kind));
      if (rank[at->second] == k) r.fail(x, fmt::format("{} {} is listed twice in rank {}; list it once", kind, id, k));
      if (rank[at->second] != none)
        r.fail(x, fmt::format("{} {} is on two ranks ({} and {}); put every {} on one rank", kind, id, rank[at->second],
                              k, kind));
      rank[at->second] = k;
    }
  }
  for (unsigned i = 0; i < ids.size(); ++i)
    if (rank[i] == none)
      r.fail(partition, fmt::format("{} {} is on no rank; add it to one [[partition.rank]]", kind, ids[i]));
  return rank;
}

// [partition]: ranks = R and R [[partition.rank]] tables (rank 0 first), each with the
// ids of its nodes and switches; every node and switch on exactly one rank.
std::optional<TopologyFile::PartitionMap> parse_partition(const Reader& r, const toml::table& doc,
                                                          const TopologyFile& t) {
  const auto* node = doc.get("partition");
  if (!node) return std::nullopt;
  const auto* tab = node->as_table();
  if (!tab) r.fail(*node, "'partition' must be a [partition] table with 'ranks' and one [[partition.rank]] per rank");
  r.check_keys(*tab, "[partition]", {"ranks", "rank"});
  const auto& ranks_node = r.require(*tab, "ranks", "[partition]");
  const std::vector<unsigned> nodes = t.node_ids(), switches = t.switch_ids();
  TopologyFile::PartitionMap map;
  map.line = static_cast<int>(tab->source().begin.line);
  map.ranks = static_cast<unsigned>(r.integer(ranks_node, "ranks", 1, max_system_nodes));
  if (map.ranks > nodes.size())
    r.fail(ranks_node, fmt::format("cannot split {} nodes over {} ranks: every rank needs at least one node; use at "
                                   "most {} ranks",
                                   nodes.size(), map.ranks, nodes.size()));
  const auto* rank_node = tab->get("rank");
  if (!rank_node)
    r.fail(*tab,
           "[partition] needs one [[partition.rank]] table per rank, with the ids of its nodes (nodes = [0, 1]) "
           "and switches");
  const auto& tables = r.tables(*rank_node, "partition.rank");
  if (tables.size() != map.ranks)
    r.fail(ranks_node, fmt::format("[partition] has ranks = {} but {} [[partition.rank]] tables; give one table per "
                                   "rank",
                                   map.ranks, tables.size()));
  for (unsigned k = 0; k < tables.size(); ++k) {
    const auto& rank = *tables.get(k)->as_table();
    r.check_keys(rank, "[[partition.rank]]", {"nodes", "switches"});
    const auto& list = r.require(rank, "nodes", "[[partition.rank]]");
    if (const auto* arr = list.as_array(); arr && arr->empty())
      r.fail(list, fmt::format("rank {} has no node: every rank needs at least one node; move a node to it", k));
  }
  map.node_rank = ranks_of(r, tables, "node", "nodes", nodes, switches, *tab);
  map.switch_rank = ranks_of(r, tables, "switch", "switches", switches, nodes, *tab);
  return map;
}

}  // namespace

std::vector<unsigned> TopologyFile::switch_ids() const {
  if (shape == "graph") return switches;
  if (shape == "pair") return {};
  const auto n = static_cast<unsigned>(node_ids().size());
  std::vector<unsigned> out;
  for (unsigned i = 0; i < n; ++i) out.push_back(n + i);
  return out;
}

std::vector<unsigned> TopologyFile::node_ids() const {
  if (shape == "graph") return nodes;
  const unsigned n = shape == "pair" ? 2 : shape == "ring" ? ring_size : torus[0] * torus[1] * torus[2];
  std::vector<unsigned> out;
  for (unsigned i = 0; i < n; ++i) out.push_back(i);
  return out;
}

TopologyFile parse_topology(std::string_view text, const std::string& origin) {
  const toml::table doc = parse_toml(text, origin);
  const Reader r(origin);
  r.check_keys(doc, "the topology file", {"network", "node", "switch", "link", "multicast", "partition"});
  const auto* net = doc.get_as<toml::table>("network");
  if (!net) r.fail(doc, "the file needs a [network] table with 'shape' (pair, ring, torus or graph)");
  r.check_keys(*net, "[network]",
               {"shape", "nodes", "dims", "latency_cycles", "bandwidth_bits_per_cycle", "bit_error_rate",
                "switch_latency_cycles", "seed", "quantum_cycles"});
  TopologyFile t;
  t.origin = origin;
  const auto& shape_node = r.require(*net, "shape", "[network]");
  t.shape = r.string(shape_node, "shape");
  t.link = link_parameters(r, *net, t.link);
  if (const auto* n = net->get("switch_latency_cycles"))
    t.switch_latency_cycles = static_cast<std::uint64_t>(r.integer(*n, "switch_latency_cycles", 1, 1'000'000));
  if (const auto* n = net->get("seed")) t.seed = static_cast<std::uint64_t>(r.integer(*n, "seed", 0, INT64_MAX));
  if (const auto* n = net->get("quantum_cycles"))
    t.quantum = static_cast<std::uint64_t>(r.integer(*n, "quantum_cycles", 1, 1'000'000));

  const bool graph_sections = doc.get("node") || doc.get("switch") || doc.get("link");
  if (t.shape == "pair") {
  } else if (t.shape == "ring") {
    t.ring_size = static_cast<unsigned>(
        r.integer(r.require(*net, "nodes", "[network] of a ring"), "nodes", 2, max_system_nodes));
  } else if (t.shape == "torus") {
    const auto& dims = r.require(*net, "dims", "[network] of a torus");
    const auto* arr = dims.as_array();
    if (!arr || arr->size() != 3) r.fail(dims, "'dims' must be [X, Y, Z], e.g. [2, 2, 2]");
    for (std::size_t i = 0; i < 3; ++i) t.torus[i] = static_cast<unsigned>(r.integer(*arr->get(i), "dims", 1, 64));
    if (const unsigned n = t.torus[0] * t.torus[1] * t.torus[2]; n > max_system_nodes)
      r.fail(dims, fmt::format("'dims' = [{}, {}, {}] make {} nodes; a simulated system has at most {} "
                               "(docs/topology.md)",
                               t.torus[0], t.torus[1], t.torus[2], n, max_system_nodes));
    else if (n < 2)
      r.fail(dims, "'dims' = [1, 1, 1] make a torus of one node, which has no link; give a dimension of 2 or more, "
                   "or leave out the topology for a single FPGA");
  } else if (t.shape == "graph") {
    parse_graph(r, doc, t);
  } else {
    r.fail(shape_node, fmt::format("unknown shape '{}'; use pair, ring, torus or graph", t.shape));
  }
  if (t.shape != "graph" && graph_sections)
    r.fail(doc, fmt::format("[[node]], [[switch]] and [[link]] describe a listed graph; set shape = \"graph\" or "
                            "remove them (the {} is built in)",
                            t.shape));
  if (t.shape != "graph" && net->get("nodes") && t.shape != "ring")
    r.fail(*net->get("nodes"), fmt::format("'nodes' is for a ring; a {} has its own size", t.shape));

  std::set<unsigned> known;
  for (unsigned id : t.node_ids()) known.insert(id);
  if (const auto* groups = doc.get("multicast")) {
    std::set<unsigned> seen;
    for (const auto& g : r.tables(*groups, "multicast")) {
      const auto& tab = *g.as_table();
      r.check_keys(tab, "[[multicast]]", {"group", "members"});
      const auto& gn = r.require(tab, "group", "[[multicast]]");
      TopologyFile::Multicast m;
      m.group = static_cast<unsigned>(r.integer(gn, "group", 0, max_id));
      if (!seen.insert(m.group).second) r.fail(gn, fmt::format("multicast group {} is defined twice", m.group));
      const auto& mn = r.require(tab, "members", "[[multicast]]");
      const auto* arr = mn.as_array();
      if (!arr || arr->empty()) r.fail(mn, "'members' must be a list of node ids, e.g. [0, 2]");
      for (const auto& x : *arr) {
        const auto id = static_cast<unsigned>(r.integer(x, "members", 0, max_id));
        if (!known.count(id)) r.fail(x, fmt::format("multicast member {} is not a node of this network", id));
        m.members.push_back(id);
      }
      t.multicast.push_back(std::move(m));
    }
  }
  t.partition = parse_partition(r, doc, t);
  return t;
}

TopologyFile load_topology(const std::string& path) {
  return parse_topology(read_input_file(path, "topology file"), path);
}

TopologyFile builtin_topology(std::string_view name) {
  static const std::regex ring(R"(ring([0-9]+))"), torus(R"(torus([0-9]+)x([0-9]+)x([0-9]+))");
  const std::string s(name);
  std::smatch m;
  std::string text;
  if (s == "pair")
    text = "[network]\nshape = \"pair\"\n";
  else if (std::regex_match(s, m, ring))
    text = fmt::format("[network]\nshape = \"ring\"\nnodes = {}\n", m[1].str());
  else if (std::regex_match(s, m, torus))
    text = fmt::format("[network]\nshape = \"torus\"\ndims = [{}, {}, {}]\n", m[1].str(), m[2].str(), m[3].str());
  else
    throw InputError(
        fmt::format("'{}' is no built-in topology; use pair, ringN (ring8) or torusXxYxZ (torus2x2x2)", name));
  return parse_topology(text, fmt::format("built-in topology '{}'", name));
}

TopologyFile find_topology(const std::string& name_or_path) {
  std::error_code ec;
  if (std::filesystem::exists(name_or_path, ec)) return load_topology(name_or_path);
  try {
    return builtin_topology(name_or_path);
  } catch (const InputError&) {
    throw InputError(fmt::format("'{}': there is no such topology file and no such built-in topology; give the path "
                                 "of a file, or pair, ringN (ring8) or torusXxYxZ (torus2x2x2)",
                                 name_or_path));
  }
}

namespace {

extoll::LinkConfig link_config(const LinkParameters& p, std::uint64_t seed) {
  return {.latency_cycles = p.latency_cycles,
          .bits_per_cycle = p.bandwidth_bits_per_cycle,
          .bit_error_rate = p.bit_error_rate,
          .seed = seed};
}

extoll::NetworkSpec graph_network(const TopologyFile& t) {
  extoll::NetworkSpec net;
  net.switch_latency_cycles = t.switch_latency_cycles;
  std::map<unsigned, unsigned> node_index, switch_index;
  for (unsigned id : t.nodes) {
    node_index[id] = static_cast<unsigned>(net.node_ids.size());
    net.node_ids.push_back(static_cast<std::uint16_t>(id));
  }
  for (unsigned id : t.switches) {
    switch_index[id] = static_cast<unsigned>(net.switch_ids.size());
    net.switch_ids.push_back(static_cast<std::uint16_t>(id));
  }
  // Ports named in the file first; the others take the lowest port still free.
  std::map<unsigned, std::set<unsigned>> taken;
  for (const auto& l : t.links)
    for (const auto* e : {&l.a, &l.b})
      if (e->is_switch && e->port) taken[e->id].insert(*e->port);
  const auto end = [&](const TopologyFile::End& e) {
    if (!e.is_switch) return extoll::LinkEnd::node(node_index.at(e.id));
    unsigned port = e.port.value_or(0);
    if (!e.port) {
      while (taken[e.id].count(port)) ++port;
      taken[e.id].insert(port);
    }
    return extoll::LinkEnd::switch_port(switch_index.at(e.id), port);
  };
  for (const auto& l : t.links)
    net.links.push_back({end(l.a), end(l.b), link_config(l.parameters, t.seed + net.links.size())});
  return net;
}

}  // namespace

sim::SimulationConfig simulation_config(const TopologyFile& t) {
  sim::SimulationConfig config;
  if (t.shape == "pair")
    config.network = extoll::NetworkSpec::pair(link_config(t.link, t.seed));
  else if (t.shape == "ring")
    config.network = extoll::NetworkSpec::torus({t.ring_size, 1, 1}, link_config(t.link, t.seed), t.switch_latency_cycles);
  else if (t.shape == "torus")
    config.network = extoll::NetworkSpec::torus(t.torus, link_config(t.link, t.seed), t.switch_latency_cycles);
  else
    config.network = graph_network(t);
  const auto ids = config.network.node_ids;
  for (const auto& m : t.multicast) {
    extoll::MulticastGroup g{static_cast<std::uint16_t>(m.group), {}};
    for (unsigned id : m.members)
      g.members.push_back(static_cast<unsigned>(std::find(ids.begin(), ids.end(), id) - ids.begin()));
    config.network.groups.push_back(std::move(g));
  }
  const std::uint64_t limit = config.network.min_latency();
  if (t.quantum && limit != extoll::unreachable && *t.quantum > limit)
    throw InputError(fmt::format("{}: quantum_cycles = {} exceeds the smallest link latency ({} cycles); use at most "
                                 "{}, or leave it out",
                                 t.origin, *t.quantum, limit, limit));
  config.quantum = t.quantum.value_or(0);
  return config;
}

extoll::Partition mapped_partition(const TopologyFile& t, const extoll::NetworkSpec& network) {
  if (!t.partition)
    throw InputError(
        fmt::format("{}: the topology has no [partition] map; add one (docs/topology.md, \"Partitions\") "
                    "or choose a partitioner",
                    t.origin));
  try {
    return extoll::partition_from_map(network, t.partition->ranks, t.partition->node_rank, t.partition->switch_rank);
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("{}:{}: {}", t.origin, t.partition->line, e.what()));
  }
}

}  // namespace nmtwin::apps
