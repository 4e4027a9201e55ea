// Bench for gi_unit: firing gi_delay cycles after the interrupt on the exact cycle,
// the root's own interrupt, systime load, latency measurement and reflection.
#include <boost/test/unit_test.hpp>

#include "Vgi_unit.h"
#include "tb_harness.hpp"

using nmtwin::tb::Harness;

namespace {
struct Gi {
  explicit Gi(const std::string& name) : h(name) {}
  Harness<Vgi_unit> h;
  std::vector<std::uint64_t> fires, loads, gi_out, meas_out;
  void step() {
    h.settle();
    if (h->fire_o) fires.push_back(h.cycle());
    if (h->load_o) loads.push_back(h.cycle());
    if (h->gi_o) gi_out.push_back(h.cycle());
    if (h->meas_o) meas_out.push_back(h.cycle());
    h.rise();
  }
  void pulse(unsigned char& pin) {
    pin = 1;
    step();
    pin = 0;
  }
  void run(int n) {
    for (int i = 0; i < n; ++i) step();
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(fires_delay_cycles_after_the_interrupt_arrives) {
  for (unsigned delay : {0u, 1u, 37u}) {
    Gi g("fire" + std::to_string(delay));
    g.h->delay_i = delay;
    g.run(3);
    const std::uint64_t t = g.h.cycle();
    g.pulse(g.h->gi_i);
    g.run(60);
    BOOST_REQUIRE_EQUAL(g.fires.size(), 1u);
    BOOST_TEST(g.fires[0] == t + 1 + delay);
    BOOST_TEST(g.loads.empty());  // gi_mode 0: systime untouched
    BOOST_TEST(g.gi_out.empty());
  }
}

BOOST_AUTO_TEST_CASE(the_root_sends_and_fires_and_loads_systime_in_mode_1) {
  Gi g("root");
  g.h->delay_i = 10;
  g.h->mode_i = 1;
  const std::uint64_t s = g.h.cycle();
  g.pulse(g.h->send_i);
  g.run(30);
  BOOST_TEST(g.gi_out == std::vector<std::uint64_t>{s});
  BOOST_TEST(g.fires == std::vector<std::uint64_t>{s + 11});
  BOOST_TEST(g.loads == std::vector<std::uint64_t>{s + 11});
  BOOST_TEST(g.h->idle_o);
}

BOOST_AUTO_TEST_CASE(a_measurement_counts_the_round_trip_and_a_partner_pulse_is_reflected) {
  Gi g("measure");
  // A partner L = 9 cycles away that reflects on the next cycle: back on m + 2L + 1.
  const unsigned L = 9;
  std::vector<std::uint64_t> back;
  const std::uint64_t m = g.h.cycle();
  g.h->measure_i = 1;
  for (int c = 0; c < 60; ++c) {
    const std::uint64_t now = g.h.cycle();
    g.h->meas_i = !back.empty() && back.front() == now;
    if (g.h->meas_i) back.erase(back.begin());
    g.h.settle();
    if (g.h->meas_o) back.push_back(now + L + 1 + L);  // there, reflected, back
    g.step();
    g.h->measure_i = 0;
  }
  BOOST_TEST(g.h->measured_o == 2 * L + 1);
  BOOST_TEST(g.meas_out == std::vector<std::uint64_t>{m});
  // Reflection of the partner's pulse.
  g.meas_out.clear();
  const std::uint64_t p = g.h.cycle();
  g.pulse(g.h->meas_i);
  g.run(3);
  BOOST_TEST(g.meas_out == std::vector<std::uint64_t>{p + 1});
}
