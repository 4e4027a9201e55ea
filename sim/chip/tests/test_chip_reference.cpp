#include <boost/test/unit_test.hpp>

#include <chrono>
#include <vector>

#include "sim/chip/tests/chip_reference.hpp"

using namespace chip_test;

// ---------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(reference)

BOOST_AUTO_TEST_CASE(event_driven_equals_per_cycle_stepping) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    BOOST_TEST_CONTEXT("seed " << seed) {
      const Scenario scenario(seed);
      ChipModel m;
      scenario.run(m);
      const Reference ref = scenario.reference();
      BOOST_TEST(ref.spikes.size() > 100u);
      BOOST_TEST(model_spikes(m) == ref.spikes, boost::test_tools::per_element());
      for (unsigned n = 0; n < Scenario::neurons; ++n)
        BOOST_TEST(m.membrane_uv(n, scenario.end) == ref.v(n), boost::test_tools::tolerance(1e-9));
      BOOST_TEST(m.counters().loopbacks > 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(identical_runs_give_identical_words_and_logs) {
  const Scenario scenario(7);
  ChipModel a, b;
  scenario.run(a);
  scenario.run(b);
  BOOST_TEST(drain(a) == drain(b), boost::test_tools::per_element());
  BOOST_TEST(model_spikes(a) == model_spikes(b), boost::test_tools::per_element());
  BOOST_TEST(a.input_log().size() == b.input_log().size());
  BOOST_TEST(a.spike_log().size() > 100u);
}

// Not a timing assertion: prints what a typical load costs (1 input per 125 cycles into a
// row of 8 targets for 10^6 cycles), so a slow-down shows in the test log.
BOOST_AUTO_TEST_CASE(cost_of_a_typical_input_load) {
  ChipModel m;
  m.set_logging(false);
  for (unsigned n = 0; n < 8; ++n) set_weight(m, 0, n * 64, 3);
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t t = 125; t <= 1'000'000; t += 125) spike_in(m, 0, t);
  m.advance(1'000'000);
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  BOOST_TEST_MESSAGE("8000 inputs x 8 targets over 1e6 cycles: " << took.count() << " ms, " << m.counters().spikes
                                                                 << " spikes");
  BOOST_TEST(m.counters().inputs == 8000u);
  BOOST_TEST(m.counters().spikes > 0u);
  BOOST_TEST(m.spike_log().empty());
  BOOST_TEST(drain(m).empty());  // output disabled
}

BOOST_AUTO_TEST_SUITE_END()
