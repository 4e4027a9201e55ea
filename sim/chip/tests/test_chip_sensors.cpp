// Correlation sensors and spike counters against the brute-force reference, the kernel
// at single pairs, resets and the sensor registers.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <vector>

#include "nmtwin/random.hpp"
#include "sim/chip/tests/chip_test_helpers.hpp"
#include "sim/chip/tests/sensor_reference.hpp"

using namespace chip_test;
namespace corr = chip::corr;

namespace {

void set_params(ChipModel& m, const Params& p, std::uint64_t now) {
  for (const auto& [field, v] : {std::pair{corr::tau_causal_ns, p.tau_causal_ns},
                                 {corr::tau_acausal_ns, p.tau_acausal_ns},
                                 {corr::amp_causal, p.amp_causal},
                                 {corr::amp_acausal, p.amp_acausal}})
    BOOST_TEST_REQUIRE(write(m, corr::addr(0, field), v, now).error == 0u);
}

unsigned causal(ChipModel& m, unsigned row, unsigned n, std::uint64_t now) {
  return read(m, chip::corr_causal::addr(row * chip::neurons + n, 0), now).data;
}
unsigned acausal(ChipModel& m, unsigned row, unsigned n, std::uint64_t now) {
  return read(m, chip::corr_acausal::addr(row * chip::neurons + n, 0), now).data;
}

// A word the scenario sends: an input, a reset or new sensor parameters.
struct Word {
  std::uint64_t cycle;
  enum Kind { input, corr_reset, counter_reset, params } kind;
  unsigned arg;
  Params p{};
};

}  // namespace

// ---------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(sensors)

// Bias-driven neurons fire periodically (two fast enough to saturate their counters), one
// loops back into a row, one row drives three neurons hard (short causal pairs), inputs
// fall on random cycles and on the exact cycles of spikes and one cycle after (pairs at
// distance 0 and 1); resets of rows, neurons and everything, and a change of parameters,
// come in between.
BOOST_AUTO_TEST_CASE(sensors_and_counters_equal_the_brute_force_reference) {
  const Params settings[] = {
      {20000, 20000, 2048, 2048}, {800, 50000, 65535, 300}, {20000, 8, 0, 65535}, {1000000, 1000000, 65535, 65535}};
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    BOOST_TEST_CONTEXT("seed " << seed) {
      nmtwin::random::SplitMix64 g(seed + 1);
      const auto pick = [&](unsigned lo, unsigned hi) { return nmtwin::random::uniform_int(g, lo, hi); };
      constexpr std::uint64_t end = 60000;
      std::set<unsigned> active_set, row_set;
      while (active_set.size() < 24) active_set.insert(pick(0, chip::neurons - 1));
      while (row_set.size() < 7) row_set.insert(pick(0, chip::rows - 1));
      const std::vector<unsigned> active(active_set.begin(), active_set.end()), rows(row_set.begin(), row_set.end());
      const unsigned loop_row = rows[6], drive_row = rows[0];

      const auto configure = [&](ChipModel& m) {
        for (unsigned i = 0; i < active.size(); ++i) {
          const bool fast = i < 2;
          set(m, active[i], nrn::bias_uv, fast ? 1000000 : 16000 + 1000 * i);
          if (fast) set(m, active[i], nrn::refractory_ns, 0);
        }
        set(m, active[5], nrn::loopback, enable | loop_row);
      };
      // The same network without inputs: its spike times place the coincident inputs.
      ChipModel probe;
      configure(probe);
      probe.advance(end);

      std::vector<Word> words;
      for (unsigned r = 0; r < 6; ++r)
        for (std::uint64_t t = pick(1, 3000); t < end; t += pick(1, 3000)) words.push_back({t, Word::input, rows[r]});
      for (const auto& s : probe.spike_log())
        if (s.neuron == active[3] && s.time % 3 != 0) words.push_back({s.time + s.time % 2, Word::input, rows[1]});
      for (int i = 0; i < 8; ++i) {
        const unsigned which = pick(0, 8);
        words.push_back({pick(1000, end - 1), Word::corr_reset, which < 7 ? rows[which] : SensorReference::all});
        words.push_back({pick(1000, end - 1), Word::counter_reset, which < 7 ? active[which] : SensorReference::all});
      }
      words.push_back({end / 2, Word::params, 0, settings[(seed + 1) % 4]});
      std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.cycle < b.cycle; });

      ChipModel m;
      SensorReference ref;
      std::uint64_t seq = 0;
      set_params(m, settings[seed], 0);
      ref.params.push_back({Key{0, 2, seq++}, settings[seed]});
      configure(m);
      for (const unsigned n : {active[6], active[7], active[8]}) set_weight(m, drive_row, n, 63);
      for (const Word& w : words) {
        const Key k{w.cycle, 2, seq++};
        switch (w.kind) {
          case Word::input:
            spike_in(m, w.arg, w.cycle);
            ref.pre.push_back({k, w.arg});
            break;
          case Word::corr_reset:
            BOOST_TEST_REQUIRE(write(m, chip::corr_reset, w.arg, w.cycle).error == 0u);
            ref.corr_resets.push_back({k, w.arg});
            break;
          case Word::counter_reset:
            BOOST_TEST_REQUIRE(write(m, chip::counter_reset, w.arg, w.cycle).error == 0u);
            ref.counter_resets.push_back({k, w.arg});
            break;
          case Word::params:
            set_params(m, w.p, w.cycle);
            ref.params.push_back({k, w.p});
            break;
        }
      }
      m.advance(end);
      for (const auto& s : m.spike_log()) {
        ref.post.push_back({Key{s.time, 0, s.neuron}, s.neuron});
        if (s.neuron == active[5] && s.time + 1 <= end) ref.pre.push_back({Key{s.time + 1, 1, 0}, loop_row});
      }
      BOOST_TEST(m.counters().loopbacks > 10u);

      unsigned nonzero = 0, saturated = 0, mismatches = 0;
      std::ostringstream first;
      for (const unsigned r : rows) {
        for (const unsigned n : active) {
          const auto [c, a] = ref.sensors(r, n);
          const unsigned mc = causal(m, r, n, end), ma = acausal(m, r, n, end);
          nonzero += (c > 0) + (a > 0);
          saturated += (c == 255) + (a == 255);
          if (mc != c || ma != a) {
            if (mismatches++ == 0)
              first << "row " << r << " neuron " << n << ": model " << mc << "/" << ma << ", reference " << c << "/"
                    << a;
          }
        }
      }
      BOOST_TEST(mismatches == 0u, first.str());
      BOOST_TEST_MESSAGE("seed " << seed << ": " << nonzero << " nonzero, " << saturated << " saturated");
      BOOST_TEST(nonzero > 20u);
      if (seed == 1 || seed == 3) BOOST_TEST(saturated > 0u);
      // A synapse without pre or without post spikes has nothing to pair.
      unsigned stray = 0;
      for (unsigned r = 0; r < chip::rows; ++r)
        for (unsigned n = 0; n < chip::neurons; ++n)
          if ((!row_set.count(r) || !active_set.count(n)) && (causal(m, r, n, end) != 0 || acausal(m, r, n, end) != 0))
            ++stray;
      BOOST_TEST(stray == 0u);
      unsigned full = 0;
      for (unsigned n = 0; n < chip::neurons; ++n) {
        const unsigned got = read(m, chip::spike_counter::addr(n, 0), end).data;
        BOOST_TEST(got == ref.counter(n), "neuron " << n);
        full += got == 255;
      }
      BOOST_TEST(full > 0u);
    }
  }
}

// One pre spike, one post spike and one more pre spike: each sensor holds exactly the
// kernel of its pair, floor(amp e^(-d * 8 / tau_ns)) / 256.
BOOST_AUTO_TEST_CASE(a_single_pair_adds_the_kernel_of_its_distance) {
  ChipModel m;
  set_params(m, {16000, 40000, 65535, 30000}, 0);
  set(m, 9, nrn::weight_scale_uv, 1000000);
  set(m, 9, nrn::refractory_ns, 1000000);  // once only
  set_weight(m, 5, 9, 63);                 // an input on row 5 makes neuron 9 fire within a few cycles
  spike_in(m, 3, 100);
  spike_in(m, 5, 700);
  m.advance(720);
  const auto spikes = spike_times(m, 9);
  BOOST_TEST_REQUIRE(spikes.size() == 1u);
  const std::uint64_t post = spikes[0];
  BOOST_TEST(post > 700u);
  spike_in(m, 3, post + 50);
  const auto kernel = [](double amp, double tau_ns, std::uint64_t d) {
    return static_cast<unsigned>(std::floor(amp * std::exp(-static_cast<double>(d) * 8 / tau_ns))) / 256;
  };
  BOOST_TEST(causal(m, 3, 9, post + 50) == kernel(65535, 16000, post - 100));
  BOOST_TEST(causal(m, 5, 9, post + 50) == kernel(65535, 16000, post - 700));
  BOOST_TEST(acausal(m, 3, 9, post + 50) == kernel(30000, 40000, 50));
  BOOST_TEST(acausal(m, 5, 9, post + 50) == 0u);  // its pre spike came before the post spike
  BOOST_TEST(causal(m, 3, 8, post + 50) == 0u);   // neuron 8 never fired
  BOOST_TEST(kernel(30000, 40000, 50) > 0u);
  BOOST_TEST(read(m, chip::spike_counter::addr(9, 0), post + 50).data == 1u);
}

BOOST_AUTO_TEST_CASE(zero_amplitude_switches_a_sensor_off) {
  ChipModel m;
  set_params(m, {20000, 20000, 0, 2048}, 0);
  set(m, 4, nrn::bias_uv, 1000000);
  for (std::uint64_t t = 10; t < 5000; t += 10) spike_in(m, 7, t);
  BOOST_TEST(causal(m, 7, 4, 5000) == 0u);
  BOOST_TEST(acausal(m, 7, 4, 5000) > 0u);
}

BOOST_AUTO_TEST_CASE(sensor_registers_check_access_and_limits) {
  ChipModel m;
  for (const auto& f : corr::fields) {
    BOOST_TEST_CONTEXT("corr." << f.name) {
      BOOST_TEST(read(m, corr::addr(0, f.offset)).data == static_cast<std::uint32_t>(f.reset));
      BOOST_TEST(write(m, corr::addr(0, f.offset), static_cast<std::uint32_t>(f.max + 1)).error == 1u);
      BOOST_TEST(write(m, corr::addr(0, f.offset), static_cast<std::uint32_t>(f.max)).error == 0u);
      BOOST_TEST(read(m, corr::addr(0, f.offset)).data == static_cast<std::uint32_t>(f.max));
    }
  }
  BOOST_TEST(write(m, corr::addr(0, corr::tau_causal_ns), 7).error == 1u);
  BOOST_TEST(read(m, corr::addr(0, 4)).error == 1u);  // a gap in the block
  BOOST_TEST(read(m, corr::addr(1, 0)).error == 1u);  // one block only
  // Read-only arrays refuse writes; the write-only resets refuse reads and bad indices.
  for (const std::uint32_t a : {chip::spike_counter::addr(0, 0), chip::corr_causal::addr(77, 0),
                                chip::corr_acausal::addr(chip::weight::count - 1, 0)}) {
    BOOST_TEST(write(m, a, 0).error == 1u);
    BOOST_TEST(read(m, a).error == 0u);
  }
  BOOST_TEST(read(m, chip::spike_counter::addr(chip::neurons, 0)).error == 1u);
  BOOST_TEST(read(m, chip::corr_acausal::addr(chip::weight::count, 0)).error == 1u);
  for (const std::uint32_t a : {chip::corr_reset, chip::counter_reset}) BOOST_TEST(read(m, a).error == 1u);
  BOOST_TEST(write(m, chip::corr_reset, chip::rows - 1).error == 0u);
  BOOST_TEST(write(m, chip::corr_reset, chip::rows).error == 1u);
  BOOST_TEST(write(m, chip::corr_reset, 0xFFFFFFFE).error == 1u);
  BOOST_TEST(write(m, chip::counter_reset, chip::neurons - 1).error == 0u);
  BOOST_TEST(write(m, chip::counter_reset, chip::neurons).error == 1u);
  BOOST_TEST(write(m, chip::counter_reset, 0xFFFFFFFF).error == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
