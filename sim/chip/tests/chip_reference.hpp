// The brute-force reference of the chip model (every neuron stepped every cycle) and
// random scenarios run on both.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

#include "nmtwin/random.hpp"
#include "sim/chip/tests/chip_test_helpers.hpp"

namespace chip_test {

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

inline std::vector<Fired> model_spikes(const ChipModel& m) {
  std::vector<Fired> s;
  for (const auto& e : m.spike_log()) s.push_back({e.time, e.neuron});
  return s;
}

}  // namespace chip_test
