// The conservation law on counter snapshots (experiment/spike_ledger): balanced ones
// pass, a doctored one (a spike lost without a counter) is an error naming the node
// and the counters with their values.
#include <boost/test/unit_test.hpp>

#include <string>

#include "experiment/spike_ledger.hpp"

using nmtwin::apps::check_conservation;
using nmtwin::apps::ConservationError;
using nmtwin::apps::conservation_violations;
using nmtwin::apps::NodeLedger;
using nmtwin::apps::SystemLedger;
using nmtwin::extoll::NetworkSpec;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Node 0 sends `n` events through bucket 0 (split 0) to node 1, which releases `released`
// of them, drops `expired` late ones and `full` ones for a full buffer.
SystemLedger pair_ledger(std::uint64_t n, std::uint64_t released, std::uint64_t expired, std::uint64_t full) {
  SystemLedger l;
  l.nodes.resize(2);
  l.nodes[0].events_routed = n;
  l.nodes[0].bucket_events[0] = n;
  l.nodes[0].bucket_dest[0] = 1;
  l.nodes[1].decoder_events[0] = released + expired + full;
  l.nodes[1].delay_events[0] = released;
  l.nodes[1].delay_loss_expired[0] = expired;
  l.nodes[1].delay_loss_full[0] = full;
  l.unroutable_events = 0;
  return l;
}

const NetworkSpec pair = NetworkSpec::pair({});

}  // namespace

BOOST_AUTO_TEST_CASE(delivered_plus_counted_drops_balance) {
  BOOST_TEST(conservation_violations(pair, pair_ledger(10, 10, 0, 0)).empty());
  BOOST_TEST(conservation_violations(pair, pair_ledger(10, 6, 3, 1)).empty());
  BOOST_CHECK_NO_THROW(check_conservation(pair, pair_ledger(10, 6, 3, 1)));
}

BOOST_AUTO_TEST_CASE(a_spike_the_delay_buffer_lost_uncounted_names_the_node_and_its_counters) {
  auto l = pair_ledger(10, 6, 3, 1);
  --l.nodes[1].delay_events[0];  // released one fewer than decoded, no counter says why
  try {
    check_conservation(pair, l);
    BOOST_FAIL("no ConservationError");
  } catch (const ConservationError& e) {
    const std::string m = e.what();
    BOOST_TEST_INFO(m);
    BOOST_TEST(contains(m, "node 1: decoder_events[0] = 10"));
    BOOST_TEST(contains(m, "delay_events[0] + delay_loss_expired[0] + delay_loss_full[0] = 5 + 3 + 1 = 9"));
    BOOST_TEST(contains(m, "1 event(s) received and neither released"));
    BOOST_TEST(!contains(m, "node 0"));
  }
}

BOOST_AUTO_TEST_CASE(a_spike_lost_between_the_nodes_is_a_system_violation) {
  auto l = pair_ledger(10, 10, 0, 0);
  l.nodes[0].events_routed = l.nodes[0].bucket_events[0] = 11;  // one more sent than arrived anywhere
  const auto v = conservation_violations(pair, l);
  BOOST_TEST_REQUIRE(v.size() == 1u);
  BOOST_TEST_INFO(v[0]);
  BOOST_TEST(contains(v[0], "system: 11 event copies sent"));
  BOOST_TEST(contains(v[0], "(node 0 11)"));
  BOOST_TEST(contains(v[0], "10 arrived (decoder_events (node 1 10)) + 0 unroutable"));
  BOOST_TEST(contains(v[0], "1 event(s) unaccounted for"));
  l.unroutable_events = 1;  // ...unless a switch counted it
  BOOST_TEST(conservation_violations(pair, l).empty());
}

BOOST_AUTO_TEST_CASE(the_send_side_must_agree_with_the_buckets) {
  auto l = pair_ledger(10, 10, 0, 0);
  l.nodes[0].events_routed = 12;
  const auto v = conservation_violations(pair, l);
  BOOST_TEST_REQUIRE(v.size() == 1u);
  BOOST_TEST(contains(v[0], "node 0: events_routed = 12 but the buckets took 10"));
}

BOOST_AUTO_TEST_CASE(a_multicast_bucket_reaches_every_member_but_the_sender) {
  auto net = NetworkSpec::torus({2, 2, 1}, {}, 16);
  net.groups.push_back({500, {0, 1, 2, 3}});
  SystemLedger l;
  l.nodes.resize(4);
  l.unroutable_events = 0;
  l.nodes[0].events_routed = l.nodes[0].bucket_events[14] = 3;  // bucket 7, split 0
  l.nodes[0].bucket_dest[7] = (1u << 16) | 500;
  for (unsigned i = 1; i < 4; ++i) l.nodes[i].decoder_events[0] = l.nodes[i].delay_events[0] = 3;
  BOOST_TEST(conservation_violations(net, l).empty());
  l.nodes[3].decoder_events[0] = l.nodes[3].delay_events[0] = 2;
  const auto v = conservation_violations(net, l);
  BOOST_TEST_REQUIRE(v.size() == 1u);
  BOOST_TEST(contains(v[0], "system: 9 event copies sent"));
}

BOOST_AUTO_TEST_CASE(without_switch_counters_only_spikes_from_nowhere_are_errors) {
  auto l = pair_ledger(10, 8, 0, 0);
  l.unroutable_events.reset();  // a remote target: the switches cannot be read
  BOOST_TEST(conservation_violations(pair, l).empty());
  l.nodes[1].decoder_events[0] = l.nodes[1].delay_events[0] = 11;
  const auto v = conservation_violations(pair, l);
  BOOST_TEST_REQUIRE(v.size() == 1u);
  BOOST_TEST(contains(v[0], "1 event(s) from nowhere"));
}

BOOST_AUTO_TEST_CASE(events_routed_on_a_node_without_a_link_are_named) {
  SystemLedger l;
  l.nodes.resize(1);
  l.unroutable_events = 0;
  l.nodes[0].events_routed = l.nodes[0].bucket_events[3] = 4;
  const auto v = conservation_violations(NetworkSpec::unlinked(1), l);
  BOOST_TEST_REQUIRE(v.size() == 1u);
  BOOST_TEST(contains(v[0], "node 0: the buckets took 4 event(s)"));
  BOOST_TEST(contains(v[0], "no network link"));
}

BOOST_AUTO_TEST_CASE(counters_still_changing_say_so) {
  auto l = pair_ledger(10, 9, 0, 0);
  l.settled = false;
  l.drain_rounds = nmtwin::apps::max_drain_rounds;
  try {
    check_conservation(pair, l);
    BOOST_FAIL("no ConservationError");
  } catch (const ConservationError& e) {
    BOOST_TEST(contains(e.what(), "still changing"));
  }
}
