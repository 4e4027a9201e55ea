// The membrane sampler of the chip model (docs/chip.md "Sampler"): sampling grid, values
// equal to the closed-form membrane, quantisation, refractoriness, enable and disable,
// period 0 = off, the up link's limit.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/chip/tests/chip_test_helpers.hpp"

using namespace chip_test;

namespace {

namespace smp = chip::sampler;

struct Taken {
  std::uint64_t timestamp;
  unsigned neuron;
  std::int16_t code;
};

std::vector<Taken> samples_of(const std::vector<std::uint64_t>& words) {
  std::vector<Taken> out;
  for (const std::uint64_t w : words) {
    if (up::selector(w) != up::ChipUpType::sample) continue;
    const auto s = up::Sample::decode(w);
    out.push_back({s.timestamp, static_cast<unsigned>(s.neuron), static_cast<std::int16_t>(s.value)});
  }
  return out;
}

void set_period(ChipModel& m, std::uint32_t ns, std::uint64_t now = 0) {
  BOOST_TEST_REQUIRE(write(m, smp::addr(0, smp::period_ns), ns, now).error == 0u);
}

// Round to nearest, halves away from zero, saturate: written independently of the model.
std::int16_t quantise(double v_uv) {
  const double c = std::round(v_uv / chip::sample_lsb_uv);
  return static_cast<std::int16_t>(c > 32767 ? 32767 : c < -32768 ? -32768 : c);
}

// A neuron driven above threshold by its bias alone: V relaxes from `from_v` at cycle t0
// towards leak + bias, is reset on every crossing and held at reset while refractory.
constexpr std::int64_t bias = 20000;  // rest -45000 uV, above threshold
constexpr std::uint64_t refractory = 2000 / spec::cycle_ns;
double closed_form(const std::vector<std::uint64_t>& spikes, std::uint64_t t) {
  const double rest = leak + bias;
  double v0 = leak;
  std::uint64_t t0 = 0;
  for (const std::uint64_t s : spikes) {
    if (s > t) break;
    if (t < s + refractory) return -65000;
    v0 = -65000;
    t0 = s + refractory;
  }
  return rest + (v0 - rest) * std::exp(-static_cast<double>(t - t0) / tau_m_default);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sampler)

BOOST_AUTO_TEST_CASE(samples_land_on_the_period_grid_with_the_closed_form_membrane) {
  ChipModel m, twin;  // twin: the same neuron, not sampled
  for (ChipModel* c : {&m, &twin}) set(*c, 3, nrn::bias_uv, bias);
  set(m, 3, nrn::sample, 1);
  set_period(m, 800);  // 100 cycles
  BOOST_TEST(m.next_event() <= 100u);
  m.advance(10000);
  const auto taken = samples_of(drain(m));
  BOOST_TEST_REQUIRE(taken.size() == 100u);  // chip times 100, 200, ..., 10000
  const auto spikes = spike_times(m, 3);
  BOOST_TEST_REQUIRE(spikes.size() >= 3u);
  unsigned refractory_samples = 0;
  for (std::size_t k = 0; k < taken.size(); ++k) {
    const std::uint64_t t = 100 * (k + 1);
    BOOST_TEST(taken[k].neuron == 3u);
    BOOST_TEST(taken[k].timestamp == t);
    const double v = closed_form(spikes, t);
    BOOST_TEST(twin.membrane_uv(3, t) == v, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(taken[k].code == quantise(twin.membrane_uv(3, t)));
    BOOST_TEST(std::abs(taken[k].code * double{chip::sample_lsb_uv} - v) <= chip::sample_lsb_uv / 2.0 + 1e-6);
    refractory_samples += v == -65000;
  }
  BOOST_TEST(refractory_samples > 0u);  // some samples fall into refractoriness: they read reset
  BOOST_TEST(spike_times(twin, 3) == spikes, boost::test_tools::per_element());  // sampling does not perturb
  BOOST_TEST(m.counters().samples == 100u);
}

BOOST_AUTO_TEST_CASE(a_neuron_that_fires_on_a_sampling_cycle_reads_reset) {
  ChipModel probe;
  set(probe, 0, nrn::bias_uv, bias);
  probe.advance(10000);
  const std::uint64_t first = spike_times(probe, 0).at(0);
  ChipModel m;
  set(m, 0, nrn::bias_uv, bias);
  set(m, 0, nrn::sample, 1);
  set_period(m, static_cast<std::uint32_t>(first * spec::cycle_ns));
  m.advance(first);
  const auto taken = samples_of(drain(m));
  BOOST_TEST_REQUIRE(taken.size() == 1u);
  BOOST_TEST(taken[0].timestamp == first);
  BOOST_TEST(taken[0].code == quantise(-65000));
}

BOOST_AUTO_TEST_CASE(quantisation_rounds_half_away_from_zero_and_saturates) {
  BOOST_TEST(ChipModel::sample_code(15.99) == 0);
  BOOST_TEST(ChipModel::sample_code(16.0) == 1);
  BOOST_TEST(ChipModel::sample_code(-16.0) == -1);
  BOOST_TEST(ChipModel::sample_code(-65000) == -2031);  // -64992 uV
  BOOST_TEST(ChipModel::sample_code(2e6) == 32767);
  BOOST_TEST(ChipModel::sample_code(-2e6) == -32768);
  ChipModel m;  // membranes beyond the code's range saturate on the wire too
  BOOST_TEST_REQUIRE(write(m, chip::fault::addr(0, chip::fault::dead_neuron), 7).error == 0u);
  BOOST_TEST_REQUIRE(write(m, chip::fault::addr(0, chip::fault::dead_enable), 1).error == 0u);
  set(m, 7, nrn::leak_uv, 1000000);  // never fires (dead): V relaxes to 2 V
  set(m, 7, nrn::bias_uv, 1000000);
  set(m, 8, nrn::leak_uv, -1000000);  // relaxes to -2 V
  set(m, 8, nrn::bias_uv, -1000000);
  set(m, 7, nrn::sample, 1);
  set(m, 8, nrn::sample, 1);
  set_period(m, 8 * 20000);
  m.advance(100000);
  const auto taken = samples_of(drain(m));
  BOOST_TEST_REQUIRE(taken.size() == 10u);
  BOOST_TEST(taken[8].code == 32767);
  BOOST_TEST(taken[9].code == -32768);
  const auto raw = up::Sample{.neuron = 7, .value = 0x8000, .timestamp = 0}.encode();
  BOOST_TEST(static_cast<std::int16_t>(up::Sample::decode(raw).value) == -32768);
}

BOOST_AUTO_TEST_CASE(enable_and_disable_per_neuron_in_neuron_order) {
  ChipModel m;
  set_period(m, 80);  // 10 cycles
  set(m, 9, nrn::sample, 1);
  set(m, 2, nrn::sample, 1);
  m.advance(20);
  auto taken = samples_of(drain(m));
  BOOST_TEST_REQUIRE(taken.size() == 4u);  // chip times 10, 20; neuron 2 before 9
  BOOST_TEST(taken[0].neuron == 2u);
  BOOST_TEST(taken[1].neuron == 9u);
  BOOST_TEST(taken[2].timestamp == 20u);
  BOOST_TEST(taken[0].code == quantise(leak));
  set(m, 2, nrn::sample, 0, 25);
  m.advance(40);
  taken = samples_of(drain(m));
  BOOST_TEST_REQUIRE(taken.size() == 2u);
  BOOST_TEST(taken[0].neuron == 9u);
  BOOST_TEST(taken[1].timestamp == 40u);
  set(m, 9, nrn::sample, 0, 45);
  BOOST_TEST(m.next_event() == 50u);  // the sampler still ticks, with nothing to send
  m.advance(100);
  BOOST_TEST(drain(m).empty());
}

BOOST_AUTO_TEST_CASE(period_zero_is_off_and_costs_no_event) {
  ChipModel m;
  set(m, 1, nrn::sample, 1);
  BOOST_TEST(m.next_event() == UINT64_MAX);  // enabled neurons alone do not sample
  set_period(m, 800, 5);
  BOOST_TEST(m.next_event() == 100u);
  set_period(m, 0, 150);  // the sample of chip time 100 left before the answer
  BOOST_TEST(m.next_event() == UINT64_MAX);
  BOOST_TEST(m.counters().samples == 1u);
  m.advance(10000);
  BOOST_TEST(drain(m).empty());
  BOOST_TEST(m.counters().samples == 1u);
}

BOOST_AUTO_TEST_CASE(a_period_between_whole_cycles_is_rejected) {
  ChipModel m;
  BOOST_TEST(write(m, smp::addr(0, smp::period_ns), 12).error == 1u);
  BOOST_TEST(write(m, smp::addr(0, smp::period_ns), 100000008).error == 1u);  // above max
  BOOST_TEST(read(m, smp::addr(0, smp::period_ns)).data == 0u);
  set_period(m, 16);
  BOOST_TEST(read(m, smp::addr(0, smp::period_ns)).data == 16u);
  BOOST_TEST(write(m, chip::sampler_dropped, 0).error == 1u);  // read-only
}

BOOST_AUTO_TEST_CASE(the_grid_follows_chip_time_after_a_sync) {
  ChipModel m;
  set(m, 0, nrn::sample, 1);
  set_period(m, 8 * 1000);
  m.receive(down::Sync{.systime = 123456}.encode(), 50);  // chip time 123457 at cycle 50
  m.advance(3000);
  const auto taken = samples_of(drain(m));
  BOOST_TEST_REQUIRE(taken.size() == 3u);  // chip times 124000, 125000, 126000
  for (std::size_t k = 0; k < taken.size(); ++k)
    BOOST_TEST(taken[k].timestamp == ((124000 + 1000 * k) & up::Sample::timestamp_max));
}

BOOST_AUTO_TEST_CASE(more_samples_than_the_up_link_carries_are_dropped_and_counted) {
  // Two samples a cycle on a link that sends one: the backlog grows by one a cycle
  // until it holds sample_fifo_depth words, then one of every two samples is dropped.
  ChipModel m;
  set(m, 0, nrn::sample, 1);
  set(m, 1, nrn::sample, 1);
  set_period(m, 8);
  const std::uint64_t ticks = 4 * chip::sample_fifo_depth;
  m.advance(ticks);
  const auto sent = samples_of(drain(m)).size();
  const auto dropped = m.counters().samples_dropped;
  BOOST_TEST(sent + dropped == 2 * ticks);
  // One word a cycle left in cycles 1 .. ticks; sample_fifo_depth - 1 wait behind the last.
  BOOST_TEST(sent == ticks + chip::sample_fifo_depth - 1);
  BOOST_TEST(read(m, chip::sampler_dropped, ticks).data == dropped);
  set_period(m, 0, ticks + 1);  // a new period restarts the count
  BOOST_TEST(read(m, chip::sampler_dropped, ticks + 1).data == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
