#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/chip/tests/chip_test_helpers.hpp"

using namespace chip_test;

// ---------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(dynamics)

BOOST_AUTO_TEST_CASE(weak_input_stays_subthreshold_strong_input_fires_once_on_time) {
  // Defaults: tau_syn = tau_m / 2, so V - leak = I0 (x - x^2) with x = e^(-k/tau_m);
  // threshold is reached where x^2 - x + gap/I0 = 0.
  ChipModel m;
  set_weight(m, 0, 1, 20);
  set_weight(m, 1, 2, 63);
  spike_in(m, 0, 100);
  spike_in(m, 1, 100);
  m.advance(20000);
  BOOST_TEST(spike_times(m, 1).empty());
  BOOST_TEST(m.next_event() == UINT64_MAX);

  const double i0 = 63 * 1000.0, gap = threshold - leak;
  const double x = (1 + std::sqrt(1 - 4 * gap / i0)) / 2;
  const auto expected = 100 + static_cast<std::uint64_t>(std::ceil(-tau_m_default * std::log(x)));
  BOOST_TEST(spike_times(m, 2) == std::vector<std::uint64_t>{expected}, boost::test_tools::per_element());
  BOOST_TEST(m.counters().spikes == 1u);
  BOOST_TEST(m.counters().inputs == 2u);
}

BOOST_AUTO_TEST_CASE(equal_time_constants_follow_the_alpha_function) {
  ChipModel m;
  set(m, 0, nrn::tau_syn_ns, 10000);  // == tau_m
  set(m, 0, nrn::refractory_ns, 40000);
  set_weight(m, 4, 0, 63);
  spike_in(m, 4, 50);
  std::uint64_t k = 0;
  while (leak + 63000 * psp(static_cast<double>(k), tau_m_default, tau_m_default) < threshold) ++k;
  for (std::uint64_t at : {51u, 300u, 49u + static_cast<unsigned>(k)}) {
    const double v = leak + 63000 * psp(static_cast<double>(at - 50), tau_m_default, tau_m_default);
    BOOST_TEST(m.membrane_uv(0, at) == v, boost::test_tools::tolerance(1e-9));
  }
  BOOST_TEST(m.membrane_uv(0, 50 + k + 4999) == -65000);  // held at reset while refractory
  BOOST_TEST(m.membrane_uv(0, 50 + k + 5001) > -65000);
  m.advance(20000);
  BOOST_TEST(spike_times(m, 0) == std::vector<std::uint64_t>{50 + k}, boost::test_tools::per_element());
}

// Inputs whose PSP peak lands just below or just above threshold: the crossing search
// must neither miss a short excursion nor invent one.
BOOST_AUTO_TEST_CASE(grazing_inputs_fire_exactly_when_the_peak_reaches_threshold) {
  const std::pair<std::int64_t, std::int64_t> taus[] = {{10000, 5000}, {10000, 10000}, {5000, 10000}, {10000, 9992},
                                                        {800, 40000},  {8, 24}};  // peak at 1.6 cycles: the excursion
                                                                                  // above threshold is cycle 2 alone
  ChipModel m;
  struct Case {
    unsigned neuron;
    double tm, ts, i0;
  };
  std::vector<Case> cases;
  unsigned n = 0;
  for (const auto& [tau_m, tau_syn] : taus) {
    const double tm = static_cast<double>(tau_m) / spec::cycle_ns, ts = static_cast<double>(tau_syn) / spec::cycle_ns;
    double h_max = 0;
    for (double k = 0; k < 40 * std::max(tm, ts); ++k) h_max = std::max(h_max, psp(k, tm, ts));
    const double critical = (threshold - leak) / (63 * h_max);  // weight_scale that just touches
    for (int j = -8; j <= 24; ++j, ++n) {
      const auto scale = static_cast<std::int64_t>(std::round(critical * (1 + j * 0.0004)));
      set(m, n, nrn::tau_m_ns, tau_m);
      set(m, n, nrn::tau_syn_ns, tau_syn);
      set(m, n, nrn::refractory_ns, nrn::fields[nrn::refractory_ns].max);
      set(m, n, nrn::weight_scale_uv, scale);
      set_weight(m, 0, n, 63);
      cases.push_back({n, tm, ts, 63.0 * static_cast<double>(scale)});
    }
  }
  spike_in(m, 0, 10);
  m.advance(10'000'000);
  unsigned fired = 0;
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("neuron " << c.neuron << " tau_m " << c.tm << " tau_syn " << c.ts) {
      std::vector<std::uint64_t> expected;
      for (std::uint64_t k = 0; k < 40 * std::max(c.tm, c.ts); ++k)
        if (leak + c.i0 * psp(static_cast<double>(k), c.tm, c.ts) >= threshold) {
          expected.push_back(10 + k);
          break;
        }
      fired += expected.size();
      BOOST_TEST(spike_times(m, c.neuron) == expected, boost::test_tools::per_element());
    }
  }
  BOOST_TEST(fired > cases.size() / 2);
  BOOST_TEST(fired < cases.size());
}

BOOST_AUTO_TEST_CASE(bias_drive_fires_periodically_at_the_analytic_rate) {
  ChipModel m;
  set(m, 0, nrn::bias_uv, 20000);
  const double v_inf = leak + 20000, reset = -65000, t_ref = 2000.0 / spec::cycle_ns;
  const double period = t_ref + tau_m_default * std::log((v_inf - reset) / (v_inf - threshold));
  m.advance(30 * 2000);
  const auto t = spike_times(m, 0);
  BOOST_TEST_REQUIRE(t.size() >= 21u);
  const double measured = static_cast<double>(t[20] - t[0]) / 20;
  BOOST_TEST(measured == period, boost::test_tools::tolerance(0.01));
  // On the cycle grid each interval is the refractory time plus the first whole cycle above.
  const auto grid = static_cast<std::uint64_t>(t_ref + std::ceil(period - t_ref));
  for (std::size_t s = 1; s < t.size(); ++s) BOOST_TEST(t[s] - t[s - 1] == grid);
  BOOST_TEST(m.next_event() > t.back());
  BOOST_TEST(m.next_event() < UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(inhibitory_rows_pull_the_membrane_down) {
  ChipModel m;
  BOOST_TEST(write(m, chip::row::addr(9, chip::row::inhibitory), 1).error == 0u);
  set_weight(m, 8, 0, 40);
  set_weight(m, 9, 1, 40);
  spike_in(m, 8, 10);
  spike_in(m, 9 | 0x1200, 10);  // only label bits 7:0 select the row
  const double dv = 40000 * psp(300, tau_m_default, tau_syn_default);
  BOOST_TEST(m.membrane_uv(0, 310) == leak + dv, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(m.membrane_uv(1, 310) == leak - dv, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(m.membrane_uv(2, 310) == leak);
  BOOST_TEST(m.input_log().size() == 2u);
  BOOST_TEST(m.input_log()[1].label == (9 | 0x1200));
  BOOST_TEST(m.input_log()[1].time == 10u);
}

BOOST_AUTO_TEST_CASE(inhibition_cancels_a_spike) {
  ChipModel m;
  BOOST_TEST(write(m, chip::row::addr(1, chip::row::inhibitory), 1).error == 0u);
  set_weight(m, 0, 0, 63);
  set_weight(m, 1, 0, 30);
  spike_in(m, 0, 10);
  spike_in(m, 1, 200);  // before the crossing predicted at ~630
  m.advance(10000);
  BOOST_TEST(spike_times(m, 0).empty());
}

BOOST_AUTO_TEST_CASE(loopback_delivers_to_its_row_one_cycle_later) {
  ChipModel m;
  set(m, 0, nrn::bias_uv, 20000);
  set(m, 0, nrn::loopback, enable | 5);
  set_weight(m, 5, 1, 63);
  set(m, 1, nrn::tau_m_ns, 8);    // one-cycle time constants: the target fires one cycle
  set(m, 1, nrn::tau_syn_ns, 8);  // after its input arrives
  const std::uint64_t s = 1733;   // first bias spike from rest, see the test above
  BOOST_TEST(m.membrane_uv(1, s + 1) == leak);
  BOOST_TEST(spike_times(m, 0) == std::vector<std::uint64_t>{s}, boost::test_tools::per_element());
  BOOST_TEST(m.counters().loopbacks == 1u);
  m.advance(s + 2);
  BOOST_TEST(spike_times(m, 1) == std::vector<std::uint64_t>{s + 2}, boost::test_tools::per_element());
  BOOST_TEST(m.input_log().empty());  // loopback is not a spike_in
}

BOOST_AUTO_TEST_CASE(output_enable_controls_spike_out_words_not_the_log) {
  ChipModel m;
  set(m, 0, nrn::bias_uv, 20000);
  set(m, 0, nrn::output, 0xABCD);  // label set, output disabled
  set(m, 1, nrn::bias_uv, 20000);
  set(m, 1, nrn::output, enable | 0x1234);
  m.advance(1733);
  const auto out = drain(m);
  BOOST_TEST_REQUIRE(out.size() == 1u);
  BOOST_TEST((up::selector(out[0]) == up::ChipUpType::spike_out));
  BOOST_TEST(up::SpikeOut::decode(out[0]).label == 0x1234u);
  BOOST_TEST(up::SpikeOut::decode(out[0]).timestamp == 1733u);
  BOOST_TEST_REQUIRE(m.spike_log().size() == 2u);
  BOOST_TEST(m.spike_log()[0].neuron == 0u);
  BOOST_TEST(m.spike_log()[0].label == 0xABCDu);
  BOOST_TEST(m.spike_log()[1].label == 0x1234u);
}

BOOST_AUTO_TEST_CASE(timestamps_are_chip_time_low_bits_before_and_after_sync) {
  ChipModel m;
  set(m, 0, nrn::bias_uv, 20000);
  set(m, 0, nrn::output, enable | 1);
  const std::uint64_t sync_at = 100000, systime = 0x5'0000'FFF0;
  m.advance(sync_at - 1);
  m.receive(down::Sync{.systime = systime}.encode(), sync_at);
  BOOST_TEST(m.chip_time(sync_at) == systime + spec::timing::sync_latency);
  m.advance(200000);
  const auto out = drain(m);
  const auto& log = m.spike_log();
  BOOST_TEST_REQUIRE(out.size() == log.size());
  BOOST_TEST_REQUIRE(log.size() > 90u);
  bool before = false, after = false;
  for (std::size_t s = 0; s < log.size(); ++s) {
    const std::uint64_t cycle = 1733 + s * 1983;  // the bias period, see above
    const std::uint64_t chip_time = cycle <= sync_at ? cycle : systime + spec::timing::sync_latency + (cycle - sync_at);
    (cycle <= sync_at ? before : after) = true;
    BOOST_TEST(log[s].time == chip_time);
    BOOST_TEST(up::SpikeOut::decode(out[s]).timestamp == (chip_time & 0xFFFF));
  }
  BOOST_TEST((before && after));
}

BOOST_AUTO_TEST_CASE(writes_take_effect_from_their_cycle) {
  ChipModel m;
  set(m, 0, nrn::bias_uv, 20000);
  m.advance(1000);
  const double v = m.membrane_uv(0, 1000);
  set(m, 0, nrn::threshold_uv, -60000, 1000);  // already above: fires on the next cycle
  BOOST_TEST(v > -60000);
  m.advance(1001);
  BOOST_TEST(spike_times(m, 0) == std::vector<std::uint64_t>{1001}, boost::test_tools::per_element());
  set(m, 0, nrn::bias_uv, 0, 1001);  // no drive: never again
  m.advance(100000);
  BOOST_TEST(spike_times(m, 0).size() == 1u);
  BOOST_TEST(m.next_event() == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(neuron_reset_restores_rest_and_drops_loopbacks) {
  ChipModel m;
  set(m, 0, nrn::loopback, enable | 3);
  set(m, 0, nrn::bias_uv, 20000);
  set_weight(m, 3, 1, 63);
  set_weight(m, 0, 2, 50);
  spike_in(m, 0, 1000);
  m.advance(1733);  // neuron 0 fires, loopback due at 1734
  BOOST_TEST(write(m, chip::neuron_reset, 0, 1733).error == 0u);
  BOOST_TEST(m.membrane_uv(0, 1733) == leak);
  BOOST_TEST(m.membrane_uv(2, 1733) == leak);
  m.advance(3000);
  BOOST_TEST(m.counters().loopbacks == 0u);
  BOOST_TEST(m.membrane_uv(1, 3000) == leak);
  BOOST_TEST(m.membrane_uv(2, 3000) == leak);
  BOOST_TEST(spike_times(m, 0).size() == 1u);
  BOOST_TEST(m.next_event() == 1733u + 1733u);  // the bias neuron starts over from leak
}

BOOST_AUTO_TEST_SUITE_END()
