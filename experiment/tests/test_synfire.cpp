#include <fmt/format.h>
#include <boost/test/unit_test.hpp>

#include "experiment/runner.hpp"
#include "experiment/synfire.hpp"

using namespace nmtwin::apps;

namespace {
// All links on one chip: the chain runs on the loopback alone.
std::vector<LinkActivity> run_on_one_chip(SynfireParams p) {
  p.chip_of_link.assign(p.links, 0);
  const auto net = build_synfire(p);
  const auto result = run_experiment(net.chips[0], {});
  std::vector<RasterSpike> spikes;
  for (const auto& s : result.spikes)
    spikes.push_back({0, s.label, static_cast<double>(s.systime - result.start_systime) * 0.008});
  const auto activity = analyze_synfire(net, spikes);
  for (const auto& a : activity)
    BOOST_TEST_MESSAGE(fmt::format("w_inh {:2} link {}: {:3} spikes, mean {:7.2f} us, spread {:5.2f} us", p.w_inh,
                                   a.link, a.spikes, a.mean_us, a.spread_us));
  return activity;
}

// Strong inhibition: on every link a volley of at least 5 spikes within half a microsecond.
void check_sharp(const std::vector<LinkActivity>& activity) {
  for (const auto& x : activity) {
    BOOST_TEST(x.spikes >= 5u, "link " << x.link);
    BOOST_TEST(x.spread_us < 0.5, "link " << x.link);
  }
}
}  // namespace

// The two regimes on one chip (the chain on the chip's loopback alone).
BOOST_AUTO_TEST_CASE(strong_inhibition_keeps_the_volley_sharp) {
  SynfireParams p;
  p.w_inh = 40;
  const auto a = run_on_one_chip(p);
  check_sharp(a);
  for (const auto& x : a) BOOST_TEST(x.spikes <= p.exc, "link " << x.link << ": every neuron fires at most once");
  for (std::size_t i = 1; i < a.size(); ++i) BOOST_TEST(a[i].mean_us > a[i - 1].mean_us);
}

BOOST_AUTO_TEST_CASE(weak_inhibition_lets_the_volley_disperse) {
  SynfireParams p;
  p.w_inh = 5;
  const auto a = run_on_one_chip(p);
  BOOST_TEST(a.back().spread_us > 3 * a[1].spread_us);  // 9.0 vs 2.4 us
  BOOST_TEST(a.back().spread_us > 3.0);
  BOOST_TEST(a.back().spikes > 4 * p.exc);  // neurons burst
}

BOOST_AUTO_TEST_CASE(the_network_fits_the_chips_and_routes_only_cross_chip_hops) {
  const auto net = build_synfire({});
  BOOST_REQUIRE_EQUAL(net.chips.size(), 2u);
  BOOST_TEST(net.populations.size() == 16u);
  // Links 0,1 on chip 0, 2,3 on chip 1, ...: link 1 -> 2 crosses, so chip 0 routes link 1's
  // excitatory neurons; link 0 -> 1 stays on chip 0, so link 0's neurons have no route.
  std::size_t routes0 = 0;
  for (const auto& w : net.chips[0].writes) routes0 += w.what.starts_with("route of neuron");
  BOOST_TEST(routes0 == 2 * 16u);  // links 1 and 5 leave chip 0
  SynfireParams too_long;
  too_long.links = 40;
  BOOST_CHECK_THROW(build_synfire(too_long), std::invalid_argument);
  SynfireParams mismatch;
  mismatch.chip_of_link = {0, 1};
  BOOST_CHECK_THROW(build_synfire(mismatch), std::invalid_argument);
}

// Across two chips joined back to back: the chain crosses the border back and forth.
namespace {
std::vector<LinkActivity> run_on_two_chips(const SynfireParams& p) {
  const auto run = run_synfire_on_two_chips(p, 40);
  for (const auto& a : run.activity)
    BOOST_TEST_MESSAGE(
        fmt::format("two chips, w_inh {:2} link {} (chip {}): {:3} spikes, mean {:7.2f} us, spread {:5.2f} us", p.w_inh,
                    a.link, a.chip, a.spikes, a.mean_us, a.spread_us));
  return run.activity;
}
}  // namespace

BOOST_AUTO_TEST_CASE(across_two_chips_the_regimes_hold_and_a_border_hop_takes_the_destination_delay_longer) {
  SynfireParams p;
  p.w_inh = 40;
  const auto sharp = run_on_two_chips(p);
  check_sharp(sharp);
  // Links 0,1 on chip 0, 2,3 on chip 1, ...: hops 0->1, 2->3, ... stay on a chip, 1->2, 3->4, ... cross.
  const HopLatency hop = hop_latency(sharp);
  BOOST_TEST_MESSAGE(fmt::format("on-chip hop {:.3f} us, cross-chip hop {:.3f} us", hop.on_chip_us, hop.cross_chip_us));
  BOOST_TEST(hop.on_chip_hops == 4u);
  BOOST_TEST(hop.cross_chip_hops == 3u);
  BOOST_TEST(hop.cross_chip_us > hop.on_chip_us + 0.9);  // destination_delay 125 ticks = 1 us
  p.w_inh = 5;
  const auto weak = run_on_two_chips(p);
  BOOST_TEST(weak.back().spread_us > 3 * weak[1].spread_us);
}
