// The partition of a system over MPI ranks: the contiguous and the locality
// partitioner on rings and tori, explicit maps, the cut links, lookahead and peers, and
// the refusals.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "extoll/partition.hpp"

using namespace nmtwin::extoll;

namespace {

constexpr std::uint64_t latency = 32;

NetworkSpec ring(unsigned n) { return NetworkSpec::torus({n, 1, 1}, {.latency_cycles = latency}, 16); }
NetworkSpec torus64() { return NetworkSpec::torus({4, 4, 4}, {.latency_cycles = latency}, 16); }

// The 4x4x4 torus with short links along z (8 cycles) and 32 cycles everywhere else:
// the 16 z-rings of 4 switches are the parts to keep whole.
NetworkSpec torus64_short_z() {
  NetworkSpec s = torus64();
  for (auto& l : s.links)
    if (l.a.is_switch && l.b.is_switch && l.a.port / 2 == 2) l.config.latency_cycles = 8;
  return s;
}

std::vector<unsigned> sizes(const Partition& p) {
  std::vector<unsigned> n(p.ranks, 0);
  for (unsigned r : p.node_rank) ++n.at(r);
  return n;
}

// Everything a partition must be, recomputed here from the network: every node and
// switch on one rank of 0..ranks-1, every rank with a node, the cut links, their
// ranks, the lookahead and the peers.
void check_consistent(const NetworkSpec& spec, const Partition& p, unsigned ranks) {
  BOOST_TEST(p.ranks == ranks);
  BOOST_REQUIRE_EQUAL(p.node_rank.size(), spec.node_ids.size());
  BOOST_REQUIRE_EQUAL(p.switch_rank.size(), spec.switch_ids.size());
  for (unsigned r : p.node_rank) BOOST_TEST(r < ranks);
  for (unsigned r : p.switch_rank) BOOST_TEST(r < ranks);
  for (unsigned n : sizes(p)) BOOST_TEST(n > 0u);
  std::vector<std::size_t> cut;
  std::vector<std::pair<unsigned, unsigned>> cut_ranks;
  std::uint64_t lookahead = unreachable;
  std::vector<std::set<unsigned>> peers(ranks);
  for (std::size_t l = 0; l < spec.links.size(); ++l) {
    const auto& link = spec.links[l];
    const unsigned a = link.a.is_switch ? p.switch_rank[link.a.index] : p.node_rank[link.a.index];
    const unsigned b = link.b.is_switch ? p.switch_rank[link.b.index] : p.node_rank[link.b.index];
    BOOST_TEST(p.rank_of(link.a) == a);
    if (a == b) continue;
    cut.push_back(l);
    cut_ranks.emplace_back(a, b);
    lookahead = std::min(lookahead, link.config.latency_cycles);
    peers[a].insert(b);
    peers[b].insert(a);
  }
  BOOST_TEST(p.cut_links == cut);
  BOOST_TEST((p.cut_ranks == cut_ranks));
  BOOST_TEST(p.lookahead == lookahead);
  BOOST_REQUIRE_EQUAL(p.peers.size(), ranks);
  for (unsigned r = 0; r < ranks; ++r) {
    BOOST_TEST(p.peers[r] == std::vector<unsigned>(peers[r].begin(), peers[r].end()));
    for (unsigned q : p.peers[r]) {
      BOOST_TEST(q != r);
      BOOST_TEST(std::count(p.peers[q].begin(), p.peers[q].end(), r) == 1);  // symmetric
    }
  }
}

bool same(const Partition& x, const Partition& y) {
  return x.ranks == y.ranks && x.node_rank == y.node_rank && x.switch_rank == y.switch_rank &&
         x.cut_links == y.cut_links && x.cut_ranks == y.cut_ranks && x.lookahead == y.lookahead && x.peers == y.peers &&
         x.describe() == y.describe();
}

void fails_with(const std::function<void()>& f, const std::string& message) {
  try {
    f();
    BOOST_ERROR("no error; expected: " << message);
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()) == message);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(partitioner_names) {
  BOOST_TEST((parse_partitioner("contiguous") == Partitioner::contiguous));
  BOOST_TEST((parse_partitioner("locality") == Partitioner::locality));
  BOOST_TEST((parse_partitioner("scattered") == Partitioner::scattered));
  BOOST_TEST(!parse_partitioner("metis").has_value());
  BOOST_TEST(!parse_partitioner("").has_value());
}

BOOST_AUTO_TEST_CASE(one_rank_cuts_nothing) {
  for (auto how : {Partitioner::contiguous, Partitioner::locality, Partitioner::scattered}) {
    const auto p = make_partition(torus64(), 1, how);
    check_consistent(torus64(), p, 1);
    BOOST_TEST(p.cut_links.empty());
    BOOST_TEST(p.lookahead == unreachable);
    BOOST_TEST(p.peers == std::vector<std::vector<unsigned>>{{}});
  }
}

// Ring links: 0..7 node i to switch i, 8 + i switch i to switch i + 1.
BOOST_AUTO_TEST_CASE(contiguous_blocks_on_a_ring_of_8) {
  const auto spec = ring(8);
  const auto two = make_partition(spec, 2, Partitioner::contiguous);
  check_consistent(spec, two, 2);
  BOOST_TEST(two.node_rank == (std::vector<unsigned>{0, 0, 0, 0, 1, 1, 1, 1}));
  BOOST_TEST(two.switch_rank == two.node_rank);  // switch i carries node i
  BOOST_TEST(two.cut_links == (std::vector<std::size_t>{11, 15}));
  BOOST_TEST(two.lookahead == latency);
  BOOST_TEST(two.peers == (std::vector<std::vector<unsigned>>{{1}, {0}}));
  BOOST_TEST(two.describe() ==
             "rank 0: nodes 0-3 (4), switches 0-3 (4), cut links 11, 15 (2), peers 1\n"
             "rank 1: nodes 4-7 (4), switches 4-7 (4), cut links 11, 15 (2), peers 0\n");

  const auto three = make_partition(spec, 3, Partitioner::contiguous);
  check_consistent(spec, three, 3);
  BOOST_TEST(three.node_rank == (std::vector<unsigned>{0, 0, 0, 1, 1, 1, 2, 2}));  // the first 8 % 3 blocks larger
  BOOST_TEST(three.cut_links == (std::vector<std::size_t>{10, 13, 15}));
  BOOST_TEST(three.peers == (std::vector<std::vector<unsigned>>{{1, 2}, {0, 2}, {0, 1}}));
  BOOST_TEST(three.describe() ==
             "rank 0: nodes 0-2 (3), switches 0-2 (3), cut links 10, 15 (2), peers 1, 2\n"
             "rank 1: nodes 3-5 (3), switches 3-5 (3), cut links 10, 13 (2), peers 0, 2\n"
             "rank 2: nodes 6-7 (2), switches 6-7 (2), cut links 13, 15 (2), peers 0, 1\n");

  const auto four = make_partition(spec, 4, Partitioner::contiguous);
  check_consistent(spec, four, 4);
  BOOST_TEST(four.node_rank == (std::vector<unsigned>{0, 0, 1, 1, 2, 2, 3, 3}));
  BOOST_TEST(four.peers == (std::vector<std::vector<unsigned>>{{1, 3}, {0, 2}, {1, 3}, {0, 2}}));
}

BOOST_AUTO_TEST_CASE(locality_on_a_ring_of_8_keeps_neighbours_together) {
  const auto spec = ring(8);
  for (unsigned ranks : {2u, 3u, 4u}) {
    const auto p = make_partition(spec, ranks, Partitioner::locality);
    check_consistent(spec, p, ranks);
    // Equal latencies: the links join in index order, so the groups are runs of the ring.
    BOOST_TEST(p.node_rank == make_partition(spec, ranks, Partitioner::contiguous).node_rank);
    BOOST_TEST(p.switch_rank == p.node_rank);
  }
}

BOOST_AUTO_TEST_CASE(both_partitioners_on_a_torus_of_64) {
  const auto spec = torus64();
  const std::vector<std::vector<unsigned>> contiguous_sizes{{64}, {32, 32}, {22, 21, 21}, {16, 16, 16, 16}};
  const std::vector<std::vector<unsigned>> locality_sizes{{64}, {32, 32}, {22, 22, 20}, {16, 16, 16, 16}};
  for (unsigned ranks = 1; ranks <= 4; ++ranks) {
    const auto c = make_partition(spec, ranks, Partitioner::contiguous);
    check_consistent(spec, c, ranks);
    BOOST_TEST(sizes(c) == contiguous_sizes[ranks - 1]);
    BOOST_TEST(c.switch_rank == c.node_rank);  // switch i carries node i
    const auto l = make_partition(spec, ranks, Partitioner::locality);
    check_consistent(spec, l, ranks);
    BOOST_TEST(l.switch_rank == l.node_rank);
    BOOST_TEST(sizes(l) == locality_sizes[ranks - 1]);
  }
}

// Short links along z: contiguous blocks of nodes (planes of z) cut them, the
// locality partitioner keeps every z-ring on one rank.
BOOST_AUTO_TEST_CASE(locality_keeps_short_links_inside_a_rank) {
  const auto spec = torus64_short_z();
  for (unsigned ranks = 2; ranks <= 4; ++ranks) {
    const auto c = make_partition(spec, ranks, Partitioner::contiguous);
    const auto l = make_partition(spec, ranks, Partitioner::locality);
    check_consistent(spec, c, ranks);
    check_consistent(spec, l, ranks);
    BOOST_TEST(c.lookahead == 8u);
    BOOST_TEST(l.lookahead == latency);
    BOOST_TEST(l.lookahead >= c.lookahead);
    for (std::size_t i : l.cut_links) BOOST_TEST(spec.links[i].config.latency_cycles == latency);
    // Whole z-rings of 4 cannot be spread evenly over 3 ranks: the lookahead wins.
    BOOST_TEST(sizes(l) == (ranks == 3 ? std::vector<unsigned>{24, 20, 20} : std::vector<unsigned>(ranks, 64 / ranks)));
  }
}

// The guarantee docs/topology.md states: if the parts the links shorter than L make
// have at most ceil(N/R) nodes each and at least R of them have nodes, the lookahead
// is at least L; and a rank has at most N/R + ceil(N/R) nodes.  Checked on tori with
// scrambled link latencies.
BOOST_AUTO_TEST_CASE(locality_keeps_every_link_its_guarantee_covers) {
  for (const std::array<unsigned, 3> dims : {std::array<unsigned, 3>{8, 1, 1}, {4, 4, 2}, {4, 4, 4}, {6, 5, 1}})
    for (unsigned pattern = 1; pattern <= 3; ++pattern) {
      NetworkSpec spec = NetworkSpec::torus(dims, {.latency_cycles = latency}, 16);
      for (std::size_t l = 0; l < spec.links.size(); ++l)
        spec.links[l].config.latency_cycles = 1 + (l * 7919 * pattern) % 5 * 8;
      const auto n = static_cast<unsigned>(spec.node_ids.size());
      const unsigned vertices = n + static_cast<unsigned>(spec.switch_ids.size());
      for (unsigned ranks = 2; ranks <= 4; ++ranks) {
        const unsigned cap = (n + ranks - 1) / ranks;
        // The largest L (a latency of the network) the guarantee covers.
        std::uint64_t covered = 0;
        for (const auto& candidate : spec.links) {
          const std::uint64_t L = candidate.config.latency_cycles;
          std::vector<unsigned> part(vertices);
          for (unsigned v = 0; v < vertices; ++v) part[v] = v;
          const auto find = [&](unsigned v) {
            while (part[v] != v) v = part[v];
            return v;
          };
          const auto vertex = [&](const LinkEnd& e) { return e.is_switch ? n + e.index : e.index; };
          for (const auto& link : spec.links)
            if (link.config.latency_cycles < L) part[find(vertex(link.a))] = find(vertex(link.b));
          std::vector<unsigned> nodes(vertices, 0);
          for (unsigned i = 0; i < n; ++i) ++nodes[find(i)];
          const auto with_nodes = std::count_if(nodes.begin(), nodes.end(), [](unsigned x) { return x > 0; });
          if (*std::max_element(nodes.begin(), nodes.end()) <= cap && with_nodes >= ranks)
            covered = std::max(covered, L);
        }
        const auto p = make_partition(spec, ranks, Partitioner::locality);
        check_consistent(spec, p, ranks);
        BOOST_TEST(p.lookahead >= covered, dims[0] << "x" << dims[1] << "x" << dims[2] << " pattern " << pattern
                                                   << " at " << ranks << " ranks");
        for (unsigned x : sizes(p)) BOOST_TEST(x * ranks <= n + cap * ranks);
      }
    }
}

BOOST_AUTO_TEST_CASE(partitions_are_deterministic) {
  for (const auto& spec : {ring(8), torus64(), torus64_short_z()})
    for (auto how : {Partitioner::contiguous, Partitioner::locality, Partitioner::scattered})
      for (unsigned ranks = 1; ranks <= 4; ++ranks)
        BOOST_TEST(same(make_partition(spec, ranks, how), make_partition(spec, ranks, how)));
}

// Scattered: every rank gets nodes (as evenly as round robin deals them), neighbours land
// apart, and a switch is seldom with its node: far more links cut than contiguous blocks.
BOOST_AUTO_TEST_CASE(scattered_deals_nodes_out_evenly_and_cuts_most_links) {
  const auto spec = torus64();
  const std::vector<std::vector<unsigned>> sizes_by_ranks{{64}, {32, 32}, {22, 21, 21}, {16, 16, 16, 16}};
  for (unsigned ranks = 2; ranks <= 4; ++ranks) {
    const auto s = make_partition(spec, ranks, Partitioner::scattered);
    check_consistent(spec, s, ranks);
    BOOST_TEST(sizes(s) == sizes_by_ranks[ranks - 1]);
    const auto c = make_partition(spec, ranks, Partitioner::contiguous);
    BOOST_TEST(s.cut_links.size() > 2 * c.cut_links.size());
    BOOST_TEST(s.node_rank != c.node_rank);
  }
  const auto pair = make_partition(NetworkSpec::pair({}), 2, Partitioner::scattered);  // no switch
  check_consistent(NetworkSpec::pair({}), pair, 2);
}

// A switch with no node of its own goes with its nearest node (ties: the lowest index).
BOOST_AUTO_TEST_CASE(contiguous_places_a_switch_without_nodes_by_its_nearest_node) {
  NetworkSpec s = NetworkSpec::unlinked(4);
  s.switch_ids = {100, 101, 102, 103};
  const auto link = [&](LinkEnd a, LinkEnd b) { s.links.push_back({a, b, {.latency_cycles = latency}}); };
  link(LinkEnd::node(2), LinkEnd::switch_port(0, 0));  // switch 100: nodes 2 and 3
  link(LinkEnd::node(3), LinkEnd::switch_port(0, 1));
  link(LinkEnd::node(0), LinkEnd::switch_port(1, 0));  // switch 101: nodes 0 and 1
  link(LinkEnd::node(1), LinkEnd::switch_port(1, 1));
  link(LinkEnd::switch_port(0, 2), LinkEnd::switch_port(2, 0));  // switch 102 between them: nodes 0..3 two hops
  link(LinkEnd::switch_port(1, 2), LinkEnd::switch_port(2, 1));
  link(LinkEnd::switch_port(0, 3), LinkEnd::switch_port(3, 0));  // switch 103 behind 100: nodes 2, 3 two hops
  const auto p = make_partition(s, 2, Partitioner::contiguous);
  check_consistent(s, p, 2);
  BOOST_TEST(p.node_rank == (std::vector<unsigned>{0, 0, 1, 1}));
  BOOST_TEST(p.switch_rank == (std::vector<unsigned>{1, 0, 0, 1}));
  BOOST_TEST(p.cut_links == (std::vector<std::size_t>{4}));

  const auto l = make_partition(s, 2, Partitioner::locality);
  check_consistent(s, l, 2);
  BOOST_TEST(sizes(l) == (std::vector<unsigned>{2, 2}));
}

// A map in scrambled order is taken as it is and completed.
BOOST_AUTO_TEST_CASE(an_explicit_shuffled_map_is_completed) {
  const auto spec = torus64();
  std::vector<unsigned> node_rank(64), switch_rank(64);
  for (unsigned i = 0; i < 64; ++i) {
    node_rank[i] = (i * 37 + 11) % 64 % 3;  // a scrambled but even spread over 3 ranks
    switch_rank[i] = (i * 13 + 5) % 64 % 3;
  }
  const auto p = partition_from_map(spec, 3, node_rank, switch_rank);
  check_consistent(spec, p, 3);
  BOOST_TEST(p.node_rank == node_rank);
  BOOST_TEST(p.switch_rank == switch_rank);
  BOOST_TEST(p.lookahead == latency);
  BOOST_TEST(p.peers == (std::vector<std::vector<unsigned>>{{1, 2}, {0, 2}, {0, 1}}));
}

BOOST_AUTO_TEST_CASE(bad_partitions_are_refused_naming_the_node_or_switch) {
  const auto spec = ring(8);  // node ids 0..7, switch ids 8..15
  fails_with([&] { make_partition(spec, 9, Partitioner::contiguous); },
             "cannot split 8 nodes over 9 ranks: every rank needs at least one node; use at most 8 ranks");
  fails_with([&] { make_partition(spec, 9, Partitioner::locality); },
             "cannot split 8 nodes over 9 ranks: every rank needs at least one node; use at most 8 ranks");
  fails_with([&] { make_partition(spec, 0, Partitioner::contiguous); }, "a partition needs at least one rank");
  std::vector<unsigned> nodes{0, 0, 0, 0, 1, 1, 1, 1}, switches = nodes;
  BOOST_TEST(partition_from_map(spec, 2, nodes, switches).cut_links.size() == 2u);
  fails_with([&] { partition_from_map(spec, 9, nodes, switches); },
             "cannot split 8 nodes over 9 ranks: every rank needs at least one node; use at most 8 ranks");
  fails_with([&] { partition_from_map(spec, 3, nodes, switches); },
             "rank 2 has no node: every rank needs at least one node; move a node to it");
  auto far = nodes;
  far[5] = 2;
  fails_with([&] { partition_from_map(spec, 2, far, switches); },
             "node 5 is on rank 2, but there are 2 ranks; use 0 to 1");
  fails_with([&] { partition_from_map(spec, 2, nodes, far); },
             "switch 13 is on rank 2, but there are 2 ranks; use 0 to 1");
  const std::vector<unsigned> two{0, 1};
  fails_with([&] { partition_from_map(spec, 2, two, switches); },
             "the map places 2 nodes and 8 switches, but the network has 8 and 8");
}
