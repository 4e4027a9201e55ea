// Every spike accounted for (docs/network.md, "The conservation law"): every
// regression scenario and a study point end with a drained network whose counters
// balance, and the check fires on a run's real counters once one spike is made to
// vanish from them (a doctored snapshot), naming the node and the counters.
//
// usage: test_conservation -- REGRESSIONS_DIR
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "experiment/spike_ledger.hpp"
#include "experiment/topology_file.hpp"
#include "regress/scenario_run.hpp"
#include "study/latency_study.hpp"

using namespace nmtwin::apps;
namespace fs = std::filesystem;

namespace {

std::string regressions_dir() {
  const auto& args = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(args.argc == 2, "usage: test_conservation -- REGRESSIONS_DIR");
  return args.argv[1];
}

std::uint64_t losses(const SystemLedger& l) {
  std::uint64_t n = l.unroutable_events.value_or(0);
  for (const auto& x : l.nodes)
    for (unsigned s = 0; s < 2; ++s) n += x.delay_loss_expired[s] + x.delay_loss_full[s];
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_regression_scenario_passes_the_check) {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(regressions_dir()))
    if (e.path().extension() == ".toml") paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  BOOST_TEST_REQUIRE(paths.size() >= 10u);
  std::uint64_t sent = 0, lost = 0;
  unsigned multichip = 0;
  for (const auto& path : paths) {
    // The firmware scenario finds its kernel beside the nmtwin executable, not this
    // test's; `regress_firmware` runs it through the same run_scenario, hence the check.
    if (fs::path(path).filename() == "firmware_health.toml") continue;
    const auto s = load_scenario(path);
    BOOST_TEST_CONTEXT(path) {
      SystemLedger ledger;
      BOOST_CHECK_NO_THROW(run_scenario(s, {}, &ledger));
      BOOST_TEST(ledger.nodes.size() == s.nodes);
      BOOST_TEST(ledger.drain_rounds >= 1u);
      BOOST_TEST(ledger.unroutable_events.has_value());  // in-process: the switches are read
      const auto spec = s.topology.empty() ? nmtwin::extoll::NetworkSpec::unlinked(1)
                                           : simulation_config(find_topology(s.topology)).network;
      BOOST_TEST(conservation_violations(spec, ledger).empty());
      for (const auto& n : ledger.nodes) sent += n.sent();
      lost += losses(ledger);
      multichip += s.nodes > 1;
    }
  }
  // The check saw real traffic and real, counted drops (expired_and_dropped).
  BOOST_TEST(multichip >= 5u);
  BOOST_TEST(sent > 100u);
  BOOST_TEST(lost > 0u);
}

BOOST_AUTO_TEST_CASE(a_study_point_passes_the_check) {
  StudyPoint p;
  p.topology = "ring4";
  p.rate_per_us = 2;
  p.destination_delay = 300;
  p.warmup_us = 5;
  p.sample_us = 30;
  const auto r = run_point(p);
  BOOST_TEST(r.ledger.nodes.size() == 4u);
  std::uint64_t sent = 0, arrived = 0;
  for (const auto& n : r.ledger.nodes) {
    sent += n.sent();
    arrived += n.decoder_events[0] + n.decoder_events[1];
  }
  BOOST_TEST(sent > 100u);
  BOOST_TEST(sent == arrived + *r.ledger.unroutable_events);
  BOOST_TEST(conservation_violations(simulation_config(find_topology("ring4")).network, r.ledger).empty());
}

BOOST_AUTO_TEST_CASE(an_uncounted_drop_in_a_real_runs_counters_is_an_error_naming_node_and_counters) {
  const auto s = load_scenario(regressions_dir() + "/multichip_deadline.toml");
  SystemLedger ledger;
  run_scenario(s, {}, &ledger);
  const auto spec = simulation_config(find_topology(s.topology)).network;
  // The receiving node whose delay buffer released spikes to its chip: one of them vanishes.
  unsigned node = 0;
  while (node < ledger.nodes.size() && ledger.nodes[node].delay_events[0] == 0) ++node;
  BOOST_TEST_REQUIRE(node < ledger.nodes.size());
  const auto before = ledger.nodes[node].delay_events[0];
  --ledger.nodes[node].delay_events[0];
  try {
    check_conservation(spec, ledger);
    BOOST_FAIL("no ConservationError for a spike lost without a counter");
  } catch (const ConservationError& e) {
    const std::string m = e.what();
    BOOST_TEST_INFO(m);
    BOOST_TEST(m.find(fmt::format("node {}: decoder_events[0] = {}", node, ledger.nodes[node].decoder_events[0])) !=
               std::string::npos);
    BOOST_TEST(m.find(fmt::format("delay_events[0] + delay_loss_expired[0] + delay_loss_full[0] = {} + ", before - 1)) !=
               std::string::npos);
  }
  // And a spike that vanished between the nodes (decoded one fewer, nothing counted it).
  ++ledger.nodes[node].delay_events[0];
  --ledger.nodes[node].decoder_events[0];
  --ledger.nodes[node].delay_events[0];
  const auto v = conservation_violations(spec, ledger);
  BOOST_TEST_REQUIRE(v.size() == 1u);
  BOOST_TEST(v[0].find("system:") == 0u);
  BOOST_TEST(v[0].find("1 event(s) unaccounted for") != std::string::npos);
}
