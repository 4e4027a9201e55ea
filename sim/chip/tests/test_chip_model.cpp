#define BOOST_TEST_MODULE test_chip_model
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

#include "sim/chip/chip_model.hpp"
#include "nmtwin/random.hpp"

namespace {

namespace spec = nmtwin::spec;
namespace chip = spec::chip;
namespace nrn = spec::chip::neuron;
namespace down = spec::chip_down;
namespace up = spec::chip_up;
using nmtwin::sim::ChipModel;

constexpr double leak = -65000, threshold = -50000;  // reset values of the spec
constexpr double tau_m_default = 10000.0 / spec::cycle_ns, tau_syn_default = 5000.0 / spec::cycle_ns;
constexpr std::uint32_t enable = std::uint32_t{1} << 31;

std::vector<std::uint64_t> drain(ChipModel& m) {
  std::vector<std::uint64_t> out;
  while (m.has_output()) out.push_back(m.pop_output());
  return out;
}

up::CfgAck cfg(ChipModel& m, std::uint64_t word, std::uint64_t now) {
  m.receive(word, now);
  const auto out = drain(m);
  BOOST_TEST_REQUIRE(!out.empty());
  BOOST_TEST_REQUIRE((up::selector(out.back()) == up::ChipUpType::cfg_ack));
  return up::CfgAck::decode(out.back());
}

up::CfgAck write(ChipModel& m, std::uint32_t addr, std::uint32_t data, std::uint64_t now = 0, unsigned id = 0) {
  return cfg(m, down::CfgWrite{.id = id, .addr = addr, .data = data}.encode(), now);
}

up::CfgAck read(ChipModel& m, std::uint32_t addr, std::uint64_t now = 0, unsigned id = 0) {
  return cfg(m, down::CfgRead{.id = id, .addr = addr}.encode(), now);
}

void set(ChipModel& m, unsigned n, std::uint32_t field, std::int64_t value, std::uint64_t now = 0) {
  BOOST_TEST_REQUIRE(write(m, nrn::addr(n, field), static_cast<std::uint32_t>(value), now).error == 0u);
}

void set_weight(ChipModel& m, unsigned row, unsigned n, unsigned w) {
  BOOST_TEST_REQUIRE(write(m, chip::weight::addr(row * chip::neurons + n, 0), w).error == 0u);
}

void spike_in(ChipModel& m, unsigned label, std::uint64_t now) {
  m.receive(down::SpikeIn{.label = label}.encode(), now);
}

std::vector<std::uint64_t> spike_times(const ChipModel& m, unsigned neuron) {
  std::vector<std::uint64_t> t;
  for (const auto& s : m.spike_log())
    if (s.neuron == neuron) t.push_back(s.time);
  return t;
}

// Response of V to a unit step of I at k = 0 (closed form, written independently of the model).
double psp(double k, double tau_m, double tau_syn) {
  if (tau_m == tau_syn) return k / tau_m * std::exp(-k / tau_m);
  return tau_syn / (tau_syn - tau_m) * (std::exp(-k / tau_syn) - std::exp(-k / tau_m));
}

struct Fired {
  std::uint64_t cycle;
  unsigned neuron;
  friend bool operator==(const Fired&, const Fired&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Fired& f) {
    return os << "neuron " << f.neuron << " at " << f.cycle;
  }
};

// Brute-force reference: every neuron stepped every cycle with the exact one-cycle
// propagator. Cycle k: threshold check and loopback delivery (begin), then the inputs and
// writes of cycle k, then a step to k + 1 (end).
class Reference {
 public:
  Reference(unsigned neurons, unsigned rows) : n_(neurons), w_(rows, std::vector<double>(neurons)) {
    for (auto& r : n_) {
      for (const auto& f : nrn::fields) r.reg[f.offset] = f.reset;
      r.v = p(r, nrn::leak_uv);
    }
  }
  void set(unsigned n, std::uint32_t field, std::int64_t v) { n_[n].reg[field] = v; }
  // Signed synaptic weight; multiplied by the target's weight_scale at delivery.
  void weight(unsigned row, unsigned n, double w) { w_[row][n] = w; }

  void begin(std::uint64_t k) {
    std::vector<unsigned> looped;
    for (unsigned n = 0; n < n_.size(); ++n) {
      Neuron& r = n_[n];
      const bool may_fire = k >= r.hold_until && (!r.last || k > *r.last);
      if (!may_fire || r.v < p(r, nrn::threshold_uv)) continue;
      spikes.push_back({k, n});
      r.v = p(r, nrn::reset_uv);
      r.last = k;
      r.hold_until = k + (r.reg[nrn::refractory_ns] + spec::cycle_ns - 1) / spec::cycle_ns;
      if (r.reg[nrn::loopback] & enable) looped.push_back(r.reg[nrn::loopback] & 0xFF);
    }
    for (unsigned row : loop_) input(row);
    loop_ = looped;
  }
  void input(unsigned row) {
    for (unsigned n = 0; n < n_.size(); ++n) n_[n].i += w_[row][n] * p(n_[n], nrn::weight_scale_uv);
  }
  void end(std::uint64_t k) {
    for (Neuron& r : n_) {
      const double tm = p(r, nrn::tau_m_ns) / spec::cycle_ns, ts = p(r, nrn::tau_syn_ns) / spec::cycle_ns;
      const double rest = p(r, nrn::leak_uv) + p(r, nrn::bias_uv);
      r.v =
          k + 1 <= r.hold_until ? p(r, nrn::reset_uv) : rest + (r.v - rest) * std::exp(-1 / tm) + r.i * psp(1, tm, ts);
      r.i *= std::exp(-1 / ts);
    }
  }
  double v(unsigned n) const { return n_[n].v; }
  std::vector<Fired> spikes;

 private:
  struct Neuron {
    std::array<std::int64_t, nrn::stride> reg{};
    double v = 0, i = 0;
    std::uint64_t hold_until = 0;
    std::optional<std::uint64_t> last;
  };
  static double p(const Neuron& r, std::uint32_t f) { return static_cast<double>(r.reg[f]); }
  std::vector<Neuron> n_;
  std::vector<std::vector<double>> w_;
  std::vector<unsigned> loop_;
};

// A random network of 8 neurons on 4 rows (row 3 inhibitory, two loopbacks), a random
// input train with random labels above bit 7, and parameter writes in mid-flight.
struct Scenario {
  static constexpr unsigned neurons = 8, rows = 4, inhibitory_row = 3;
  struct Action {
    std::uint64_t cycle;
    bool is_input;
    unsigned label_or_neuron;
    std::uint32_t field;
    std::int64_t value;
  };
  std::vector<Action> actions;  // in cycle order; cycle 0 configures the neurons
  std::array<std::array<unsigned, neurons>, rows> weights{};
  std::uint64_t end = 300000;

  explicit Scenario(std::uint64_t seed) {
    nmtwin::random::SplitMix64 next(seed);
    const auto pick = [&](std::initializer_list<std::int64_t> v) { return v.begin()[next() % v.size()]; };
    const auto param = [&](unsigned n, std::uint32_t f, std::int64_t v, std::uint64_t at = 0) {
      actions.push_back({at, false, n, f, v});
    };
    for (unsigned n = 0; n < neurons; ++n) {
      param(n, nrn::tau_m_ns, pick({4000, 10000, 20000}));
      param(n, nrn::tau_syn_ns, pick({2000, 5000, 10000, 10000}));
      param(n, nrn::refractory_ns, pick({0, 803, 2000}));
      param(n, nrn::reset_uv, pick({-70000, -65000}));
      param(n, nrn::bias_uv, pick({0, 0, 0, 12000, 17000}));
      param(n, nrn::weight_scale_uv, pick({400, 700, 1000}));
      param(n, nrn::output, enable | n);
    }
    param(2, nrn::loopback, enable | 1);
    param(5, nrn::loopback, enable | inhibitory_row);
    for (auto& row : weights)
      for (auto& w : row) w = next() % 10 < 3 ? 0 : next() % 64;
    for (std::uint64_t t = 1 + next() % 300; t <= end; t += 1 + next() % 300) {
      const auto row = static_cast<unsigned>(next() % rows);
      actions.push_back({t, true, row | static_cast<unsigned>(next() % 256) << 8, 0, 0});
      if (next() % 200 == 0) {
        const auto n = static_cast<unsigned>(next() % neurons);
        switch (next() % 4) {
          case 0:
            param(n, nrn::threshold_uv, pick({-56000, -52000, -48000}), t);
            break;
          case 1:
            param(n, nrn::tau_m_ns, pick({3000, 10000, 15000}), t);
            break;
          case 2:
            param(n, nrn::tau_syn_ns, pick({1000, 5000, 10000}), t);
            break;
          default:
            param(n, nrn::bias_uv, pick({0, 16000}), t);
            break;
        }
      }
    }
  }

  void run(ChipModel& m) const {
    BOOST_TEST_REQUIRE(write(m, chip::row::addr(inhibitory_row, chip::row::inhibitory), 1).error == 0u);
    for (unsigned row = 0; row < rows; ++row)
      for (unsigned n = 0; n < neurons; ++n) set_weight(m, row, n, weights[row][n]);
    for (const Action& a : actions) {
      if (a.is_input)
        spike_in(m, a.label_or_neuron, a.cycle);
      else
        m.receive(
            down::CfgWrite{.addr = nrn::addr(a.label_or_neuron, a.field), .data = static_cast<std::uint32_t>(a.value)}
                .encode(),
            a.cycle);
    }
    m.advance(end);
  }

  Reference reference() const {
    Reference ref(neurons, rows);
    for (unsigned row = 0; row < rows; ++row)
      for (unsigned n = 0; n < neurons; ++n) ref.weight(row, n, (row == inhibitory_row ? -1.0 : 1.0) * weights[row][n]);
    auto next = actions.begin();
    for (std::uint64_t k = 0; k <= end; ++k) {
      ref.begin(k);
      for (; next != actions.end() && next->cycle == k; ++next) {
        if (next->is_input)
          ref.input(next->label_or_neuron & 0xFF);
        else
          ref.set(next->label_or_neuron, next->field, next->value);
      }
      if (k < end) ref.end(k);
    }
    return ref;
  }
};

std::vector<Fired> model_spikes(const ChipModel& m) {
  std::vector<Fired> s;
  for (const auto& e : m.spike_log()) s.push_back({e.time, e.neuron});
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(registers)

BOOST_AUTO_TEST_CASE(every_neuron_field_reads_back_its_reset_and_written_values) {
  ChipModel m;
  unsigned id = 0;
  for (const auto& f : nrn::fields) {
    BOOST_TEST_CONTEXT("field " << f.name) {
      const auto reset = read(m, nrn::addr(7, f.offset), 0, id % 16);
      BOOST_TEST(reset.error == 0u);
      BOOST_TEST(reset.id == id % 16);
      BOOST_TEST(reset.data == static_cast<std::uint32_t>(f.reset));
      for (const std::int64_t v : {f.min, f.max, (f.min + f.max) / 2}) {
        ++id;
        const auto w = write(m, nrn::addr(7, f.offset), static_cast<std::uint32_t>(v), 0, id % 16);
        BOOST_TEST(w.error == 0u);
        BOOST_TEST(w.id == id % 16);
        const auto r = read(m, nrn::addr(7, f.offset), 0, (id + 5) % 16);
        BOOST_TEST(r.id == (id + 5) % 16);
        BOOST_TEST(r.data == static_cast<std::uint32_t>(v));
      }
      // The neighbour keeps its reset value.
      BOOST_TEST(read(m, nrn::addr(6, f.offset)).data == static_cast<std::uint32_t>(f.reset));
    }
  }
}

BOOST_AUTO_TEST_CASE(out_of_range_values_are_rejected_and_leave_the_register) {
  ChipModel m;
  for (const auto& f : nrn::fields) {
    BOOST_TEST_CONTEXT("field " << f.name) {
      const auto addr = nrn::addr(3, f.offset);
      const bool is_signed = f.min < 0;
      for (const std::int64_t bad : {f.min - 1, f.max + 1}) {
        const bool representable = is_signed ? bad >= INT32_MIN && bad <= INT32_MAX : bad >= 0 && bad <= UINT32_MAX;
        if (!representable) continue;
        const auto a = write(m, addr, static_cast<std::uint32_t>(bad), 0, 9);
        BOOST_TEST(a.error == 1u);
        BOOST_TEST(a.id == 9u);
        BOOST_TEST(read(m, addr).data == static_cast<std::uint32_t>(f.reset));
      }
    }
  }
  BOOST_TEST(write(m, nrn::addr(0, nrn::tau_m_ns), 0).error == 1u);
  BOOST_TEST(write(m, nrn::addr(0, nrn::threshold_uv), static_cast<std::uint32_t>(-1000001)).error == 1u);
  BOOST_TEST(write(m, nrn::addr(0, nrn::threshold_uv), static_cast<std::uint32_t>(-1000000)).error == 0u);
  BOOST_TEST(m.counters().rejected >= 2u);
}

BOOST_AUTO_TEST_CASE(rows_and_weights_read_back_and_check_their_limits) {
  ChipModel m;
  const auto row_addr = chip::row::addr(200, chip::row::inhibitory);
  BOOST_TEST(read(m, row_addr).data == 0u);
  BOOST_TEST(write(m, row_addr, 1).error == 0u);
  BOOST_TEST(read(m, row_addr).data == 1u);
  BOOST_TEST(write(m, row_addr, 2).error == 1u);
  BOOST_TEST(read(m, row_addr).data == 1u);

  const auto w_addr = chip::weight::addr(255 * chip::neurons + 511, 0);  // last synapse
  const auto w_max = static_cast<std::uint32_t>(chip::weight::fields[0].max);
  BOOST_TEST(write(m, w_addr, w_max).error == 0u);
  BOOST_TEST(read(m, w_addr).data == w_max);
  BOOST_TEST(write(m, w_addr, w_max + 1).error == 1u);
  BOOST_TEST(read(m, w_addr).data == w_max);
  BOOST_TEST(read(m, w_addr - 1).data == 0u);
}

BOOST_AUTO_TEST_CASE(fixed_registers_unknown_addresses_and_words) {
  ChipModel m;
  const auto id = read(m, chip::chip_id, 0, 3);
  BOOST_TEST(id.error == 0u);
  BOOST_TEST(id.id == 3u);
  BOOST_TEST(id.data == chip::registers[0].reset);
  BOOST_TEST(write(m, chip::chip_id, 1, 0, 4).error == 1u);  // read-only
  BOOST_TEST(read(m, chip::chip_id).data == chip::registers[0].reset);
  BOOST_TEST(write(m, chip::neuron_reset, 1).error == 0u);
  BOOST_TEST(read(m, chip::neuron_reset).error == 1u);  // write-only

  const std::uint32_t unknown[] = {
      chip::neuron_reset + 1,
      nrn::addr(0, static_cast<std::uint32_t>(nrn::fields.size())),  // gap in a neuron's stride
      nrn::addr(chip::neurons, 0),                                   // past the last neuron
      chip::row::addr(chip::rows, 0),
      static_cast<std::uint32_t>(down::CfgWrite::addr_max),
  };
  for (const auto addr : unknown) {
    BOOST_TEST_CONTEXT("address " << std::hex << addr) {
      const auto w = write(m, addr, 0, 0, 15);
      BOOST_TEST(w.error == 1u);
      BOOST_TEST(w.id == 15u);
      BOOST_TEST(read(m, addr).error == 1u);
    }
  }
  const auto before = m.counters();
  m.receive(std::uint64_t{0xF} << down::selector_lsb, 0);
  m.receive(0, 0);
  BOOST_TEST(!m.has_output());
  BOOST_TEST(m.counters().unknown_words == before.unknown_words + 2);
  BOOST_TEST(m.counters().cfg_writes == 7u);
  BOOST_TEST(m.counters().cfg_reads == 8u);
  BOOST_TEST(m.counters().rejected == 12u);
}

BOOST_AUTO_TEST_CASE(words_in_the_past_are_refused) {
  ChipModel m;
  m.advance(100);
  BOOST_CHECK_NO_THROW(spike_in(m, 0, 100));
  BOOST_CHECK_THROW(spike_in(m, 0, 99), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

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
