#include <boost/test/unit_test.hpp>

#include "experiment/topology_file.hpp"

using namespace nmtwin::apps;

namespace {

// The parse fails with a message that contains `part`.
void fails_with(const std::string& text, const std::string& part) {
  try {
    parse_topology(text, "t.toml");
    BOOST_ERROR("no error; expected: " << part);
  } catch (const InputError& e) {
    BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, "got: " << e.what() << "\nexpected: " << part);
  }
}

const char* graph = R"([network]
shape = "graph"
latency_cycles = 40

[[switch]]
id = 100
[[node]]
id = 0
[[node]]
id = 1

[[link]]
a = "node 0"
b = "switch 100:0"
[[link]]
a = "node 1"
b = "switch 100"
latency_cycles = 60
bit_error_rate = 1e-6

[[multicast]]
group = 500
members = [0, 1]
)";

}  // namespace

BOOST_AUTO_TEST_CASE(a_listed_graph_with_defaults_and_overrides) {
  const auto t = parse_topology(graph, "t.toml");
  BOOST_TEST(t.shape == "graph");
  BOOST_TEST(t.node_ids() == (std::vector<unsigned>{0, 1}));
  BOOST_TEST(t.switches == (std::vector<unsigned>{100}));
  BOOST_REQUIRE_EQUAL(t.links.size(), 2u);
  BOOST_TEST(t.links[0].parameters.latency_cycles == 40u);
  BOOST_TEST(*t.links[0].b.port == 0u);
  BOOST_TEST(!t.links[1].b.port.has_value());
  BOOST_TEST(t.links[1].parameters.latency_cycles == 60u);
  BOOST_TEST(t.links[1].parameters.bit_error_rate == 1e-6);
  BOOST_TEST(t.links[1].line == 15);  // its [[link]] header
  BOOST_REQUIRE_EQUAL(t.multicast.size(), 1u);
  BOOST_TEST(t.multicast[0].members == (std::vector<unsigned>{0, 1}));
}

BOOST_AUTO_TEST_CASE(built_in_shapes) {
  BOOST_TEST(builtin_topology("pair").node_ids().size() == 2u);
  BOOST_TEST(builtin_topology("ring8").node_ids().size() == 8u);
  const auto torus = builtin_topology("torus2x3x2");
  BOOST_TEST(torus.node_ids().size() == 12u);
  BOOST_TEST(torus.torus[1] == 3u);
  BOOST_CHECK_THROW(builtin_topology("mesh4"), InputError);
}

BOOST_AUTO_TEST_CASE(errors_name_file_line_and_fix) {
  std::string g = graph;
  const auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = g;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  fails_with(replace("b = \"switch 100\"\n", "b = \"switch 101\"\n"),
             "t.toml:17: the link names switch 101, which is not defined; add [[switch]] id = 101");
  fails_with(replace("a = \"node 1\"", "a = \"node 7\""), "the link names node 7, which is not defined");
  fails_with(replace("[[node]]\nid = 1", "[[node]]\nid = 0"), "t.toml:10: node 0 is defined twice");
  fails_with(replace("latency_cycles = 60", "latency_cycles = 0"),
             "t.toml:18: 'latency_cycles' = 0 is out of range; use 1 to");
  fails_with(replace("[[node]]\nid = 1", "[[node]]\nid = 1\n[[node]]\nid = 2"),
             "node 2 has no link; connect it with a [[link]]");
  fails_with(replace("b = \"switch 100\"\n", "b = \"switch 100:0\"\n"), "port 0 of switch 100 is linked twice");
  fails_with(replace("b = \"switch 100:0\"", "b = \"switch 100:9\""), "switch port 9 does not exist");
  // Numbers beyond 64 bits (std::stoll threw std::out_of_range: found by fuzz_files).
  fails_with(replace("b = \"switch 100:0\"", "b = \"switch 100:99999999999999999999\""),
             "switch port 99999999999999999999 does not exist");
  fails_with(replace("b = \"switch 100:0\"", "b = \"switch 99999999999999999999\""),
             "id 99999999999999999999 does not fit in");
  fails_with(replace("b = \"switch 100:0\"", "b = \"node 1\""), "node 1 has a second link");
  fails_with(replace("members = [0, 1]", "members = [0, 3]"), "multicast member 3 is not a node");
  fails_with(replace("b = \"switch 100:0\"", "b = \"the switch\""), "names no end; write \"node ID\"");
  fails_with(replace("shape = \"graph\"", "shape = \"mesh\""), "t.toml:2: unknown shape 'mesh'");
  fails_with("[network]\nshape = \"ring\"\n", "[network] of a ring needs 'nodes'");
  // A torus of one node passed the parser and NetworkSpec::torus threw std::invalid_argument (found by fuzz_files).
  fails_with("[network]\nshape = \"torus\"\ndims = [1, 1, 1]\n",
             "t.toml:3: 'dims' = [1, 1, 1] make a torus of one node, which has no link");
  fails_with("[network]\nshape = \"pair\"\n[[node]]\nid = 0\n", "set shape = \"graph\"");
  fails_with("[network]\nshape = \"pair\"\nlatency = 3\n", "unknown key 'latency' in [network]");
  fails_with("[network\n", "t.toml:1:");
}

// A loop or a network in separate parts is refused at its line, not found by the network
// later (it printed an unreachable global-interrupt latency of 2^64 - 1).
BOOST_AUTO_TEST_CASE(self_loops_and_separate_parts_are_refused_at_their_line) {
  std::string g = graph;
  const auto before_multicast = [&](const std::string& text) {
    std::string s = g;
    s.insert(s.find("[[multicast]]"), text);
    return s;
  };
  fails_with(before_multicast("[[link]]\na = \"switch 100:5\"\nb = \"switch 100:6\"\n"),
             "t.toml:21: the link connects switch 100 to itself; join two different ends");
  fails_with(before_multicast("[[link]]\na = \"switch 100\"\nb = \"switch 100\"\n"),
             "t.toml:21: the link connects switch 100 to itself");
  fails_with(before_multicast("[[node]]\nid = 2\n[[node]]\nid = 3\n[[link]]\na = \"node 2\"\nb = \"node 3\"\n"),
             "t.toml:22: node 2 is not connected to node 0: the network falls apart in separate parts");
  fails_with(before_multicast("[[switch]]\nid = 101\n[[switch]]\nid = 102\n[[link]]\na = \"switch 101\"\nb = "
                              "\"switch 102\"\n"),
             "t.toml:22: switch 101 is not connected to node 0");
  // Two switches in a chain are one part.
  const auto chain = before_multicast("[[switch]]\nid = 101\n[[link]]\na = \"switch 100\"\nb = \"switch 101\"\n");
  BOOST_TEST(parse_topology(chain, "t.toml").switches.size() == 2u);
}

// One limit for every shape (max_system_nodes), stated in docs/topology.md.
BOOST_AUTO_TEST_CASE(every_shape_has_the_same_node_limit) {
  BOOST_TEST(builtin_topology("ring" + std::to_string(max_system_nodes)).node_ids().size() == max_system_nodes);
  BOOST_TEST(builtin_topology("torus16x16x16").node_ids().size() == 4096u);
  fails_with("[network]\nshape = \"ring\"\nnodes = 4097\n", "t.toml:3: 'nodes' = 4097 is out of range; use 2 to 4096");
  fails_with("[network]\nshape = \"torus\"\ndims = [17, 16, 16]\n",
             "t.toml:3: 'dims' = [17, 16, 16] make 4352 nodes; a simulated system has at most 4096");
  std::string big = "[network]\nshape = \"graph\"\n";
  for (unsigned i = 0; i <= max_system_nodes; ++i) big += "[[node]]\nid = " + std::to_string(i) + "\n";
  fails_with(big, "the graph has 4097 nodes; a simulated system has at most 4096");
}

namespace {

// A ring of 4: node ids 0..3, switch ids 4..7 (switch 4 + i carries node i).
const char* ring_in_two = R"([network]
shape = "ring"
nodes = 4
[partition]
ranks = 2
[[partition.rank]]
nodes = [0, 1]
switches = [4, 5]
[[partition.rank]]
nodes = [2, 3]
switches = [6, 7]
)";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_partition_map_of_a_built_in_ring) {
  const auto t = parse_topology(ring_in_two, "t.toml");
  BOOST_REQUIRE(t.partition.has_value());
  BOOST_TEST(t.partition->ranks == 2u);
  BOOST_TEST(t.partition->node_rank == (std::vector<unsigned>{0, 0, 1, 1}));
  BOOST_TEST(t.partition->switch_rank == (std::vector<unsigned>{0, 0, 1, 1}));
  BOOST_TEST(t.switch_ids() == (std::vector<unsigned>{4, 5, 6, 7}));
  const auto network = simulation_config(t).network;
  const auto p = mapped_partition(t, network);
  // Ring links: 0..3 node i to switch i, 4 + i switch i to switch i + 1.
  BOOST_TEST(p.cut_links == (std::vector<std::size_t>{5, 7}));
  BOOST_TEST(p.lookahead == 32u);
  BOOST_TEST(p.peers == (std::vector<std::vector<unsigned>>{{1}, {0}}));
  // Without a map there is none to take.
  BOOST_TEST(!builtin_topology("ring4").partition.has_value());
  BOOST_CHECK_THROW(mapped_partition(builtin_topology("ring4"), network), InputError);
}

// Nodes and switches in a scrambled order over three ranks, switches away from their
// nodes: taken as written.
BOOST_AUTO_TEST_CASE(a_shuffled_partition_map_is_accepted) {
  const std::string text = R"([network]
shape = "torus"
dims = [2, 2, 2]
[partition]
ranks = 3
[[partition.rank]]
nodes = [5, 0, 7]
switches = [14, 9, 11]
[[partition.rank]]
nodes = [2, 6, 3]
switches = [8, 15]
[[partition.rank]]
nodes = [4, 1]
switches = [13, 10, 12]
)";
  const auto t = parse_topology(text, "t.toml");
  BOOST_REQUIRE(t.partition.has_value());
  BOOST_TEST(t.partition->node_rank == (std::vector<unsigned>{0, 2, 1, 1, 2, 0, 1, 0}));
  BOOST_TEST(t.partition->switch_rank == (std::vector<unsigned>{1, 0, 2, 0, 2, 2, 0, 1}));
  const auto network = simulation_config(t).network;
  const auto p = mapped_partition(t, network);
  BOOST_TEST(p.node_rank == t.partition->node_rank);
  BOOST_TEST(p.switch_rank == t.partition->switch_rank);
  BOOST_TEST(p.peers == (std::vector<std::vector<unsigned>>{{1, 2}, {0, 2}, {0, 1}}));
  for (unsigned node = 0; node < 8; ++node)  // node i's link to switch i is cut where their ranks differ
    BOOST_TEST((std::count(p.cut_links.begin(), p.cut_links.end(), node) == 1) ==
               (p.node_rank[node] != p.switch_rank[node]));
}

BOOST_AUTO_TEST_CASE(a_partition_map_of_a_listed_graph) {
  const std::string text = std::string(graph) +
                           "[partition]\nranks = 2\n[[partition.rank]]\nnodes = [1]\nswitches = [100]\n"
                           "[[partition.rank]]\nnodes = [0]\n";
  const auto t = parse_topology(text, "t.toml");
  BOOST_REQUIRE(t.partition.has_value());
  BOOST_TEST(t.partition->node_rank == (std::vector<unsigned>{1, 0}));
  BOOST_TEST(t.partition->switch_rank == (std::vector<unsigned>{0}));
  const auto p = mapped_partition(t, simulation_config(t).network);
  BOOST_TEST(p.cut_links == (std::vector<std::size_t>{0}));  // node 0 to switch 100
  BOOST_TEST(p.lookahead == 40u);
}

// A pair has no switch: its ranks list nodes alone.
BOOST_AUTO_TEST_CASE(a_partition_map_of_a_pair) {
  const auto t = parse_topology(
      "[network]\nshape = \"pair\"\n[partition]\nranks = 2\n[[partition.rank]]\nnodes = [1]\n"
      "[[partition.rank]]\nnodes = [0]\n",
      "t.toml");
  const auto p = mapped_partition(t, simulation_config(t).network);
  BOOST_TEST(p.node_rank == (std::vector<unsigned>{1, 0}));
  BOOST_TEST(p.switch_rank.empty());
  BOOST_TEST(p.cut_links == (std::vector<std::size_t>{0}));
  BOOST_TEST(p.lookahead == 32u);
}

BOOST_AUTO_TEST_CASE(bad_partition_maps_name_the_line_and_the_node) {
  const std::string r = ring_in_two;
  fails_with(replaced(r, "nodes = [2, 3]", "nodes = [2, 3, 9]"),
             "t.toml:10: there is no node 9 in this network; list only its nodes");
  fails_with(replaced(r, "nodes = [2, 3]", "nodes = [2, 3, 7]"),
             "t.toml:10: 7 is a switch, not a node; list it in 'switches'");
  fails_with(replaced(r, "switches = [6, 7]", "switches = [6, 7, 3]"),
             "t.toml:11: 3 is a node, not a switch; list it in 'nodes'");
  fails_with(replaced(r, "nodes = [2, 3]", "nodes = [2, 3, 1]"),
             "t.toml:10: node 1 is on two ranks (0 and 1); put every node on one rank");
  fails_with(replaced(r, "nodes = [2, 3]", "nodes = [2, 3, 3]"),
             "t.toml:10: node 3 is listed twice in rank 1; list it once");
  fails_with(replaced(r, "switches = [6, 7]", "switches = [6, 5]"),
             "t.toml:11: switch 5 is on two ranks (0 and 1); put every switch on one rank");
  fails_with(replaced(r, "nodes = [2, 3]", "nodes = [2]"),
             "t.toml:4: node 3 is on no rank; add it to one [[partition.rank]]");
  fails_with(replaced(r, "switches = [6, 7]", "switches = [6]"),
             "t.toml:4: switch 7 is on no rank; add it to one [[partition.rank]]");
  fails_with(replaced(r, "ranks = 2", "ranks = 3"),
             "t.toml:5: [partition] has ranks = 3 but 2 [[partition.rank]] tables; give one table per rank");
  fails_with(replaced(r, "ranks = 2", "ranks = 5"),
             "t.toml:5: cannot split 4 nodes over 5 ranks: every rank needs at least one node; use at most 4 ranks");
  fails_with(replaced(r, "ranks = 2", "ranks = 0"), "t.toml:5: 'ranks' = 0 is out of range; use 1 to 4096");
  fails_with(replaced(replaced(r, "nodes = [0, 1]", "nodes = []"), "nodes = [2, 3]", "nodes = [0, 1, 2, 3]"),
             "t.toml:7: rank 0 has no node: every rank needs at least one node; move a node to it");
  fails_with(replaced(r, "switches = [4, 5]", "switch = [4, 5]"),
             "t.toml:8: unknown key 'switch' in [[partition.rank]]; allowed keys: nodes, switches");
  fails_with(replaced(r, "nodes = [0, 1]\n", ""), "t.toml:6: [[partition.rank]] needs 'nodes'");
  fails_with(replaced(r, "nodes = [0, 1]", "nodes = \"0, 1\""), "t.toml:7: 'nodes' must be a list of node ids");
  fails_with(replaced(r, "ranks = 2", "ranks = 2\nquantum = 3"), "t.toml:6: unknown key 'quantum' in [partition]");
  fails_with("[network]\nshape = \"pair\"\n[partition]\nranks = 1\n",
             "t.toml:3: [partition] needs one [[partition.rank]] table per rank");
  fails_with("partition = 2\n[network]\nshape = \"pair\"\n", "t.toml:1: 'partition' must be a [partition] table");
}
