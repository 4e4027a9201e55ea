// Helpers of the chip model tests: configuration words in, acknowledgements and
// spikes out, and the closed-form PSP the tests compare with.
#pragma once
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/chip/chip_model.hpp"

namespace chip_test {

namespace spec = nmtwin::spec;
namespace chip = spec::chip;
namespace nrn = spec::chip::neuron;
namespace down = spec::chip_down;
namespace up = spec::chip_up;
using nmtwin::sim::ChipModel;

constexpr double leak = -65000, threshold = -50000;  // reset values of the spec
constexpr double tau_m_default = 10000.0 / spec::cycle_ns, tau_syn_default = 5000.0 / spec::cycle_ns;
constexpr std::uint32_t enable = std::uint32_t{1} << 31;

inline std::vector<std::uint64_t> drain(ChipModel& m) {
  std::vector<std::uint64_t> out;
  while (m.has_output()) out.push_back(m.pop_output());
  return out;
}

inline up::CfgAck cfg(ChipModel& m, std::uint64_t word, std::uint64_t now) {
  m.receive(word, now);
  const auto out = drain(m);
  BOOST_TEST_REQUIRE(!out.empty());
  BOOST_TEST_REQUIRE((up::selector(out.back()) == up::ChipUpType::cfg_ack));
  return up::CfgAck::decode(out.back());
}

inline up::CfgAck write(ChipModel& m, std::uint32_t addr, std::uint32_t data, std::uint64_t now = 0, unsigned id = 0) {
  return cfg(m, down::CfgWrite{.id = id, .addr = addr, .data = data}.encode(), now);
}

inline up::CfgAck read(ChipModel& m, std::uint32_t addr, std::uint64_t now = 0, unsigned id = 0) {
  return cfg(m, down::CfgRead{.id = id, .addr = addr}.encode(), now);
}

inline void set(ChipModel& m, unsigned n, std::uint32_t field, std::int64_t value, std::uint64_t now = 0) {
  BOOST_TEST_REQUIRE(write(m, nrn::addr(n, field), static_cast<std::uint32_t>(value), now).error == 0u);
}

inline void set_weight(ChipModel& m, unsigned row, unsigned n, unsigned w) {
  BOOST_TEST_REQUIRE(write(m, chip::weight::addr(row * chip::neurons + n, 0), w).error == 0u);
}

inline void spike_in(ChipModel& m, unsigned label, std::uint64_t now) {
  m.receive(down::SpikeIn{.label = label}.encode(), now);
}

inline std::vector<std::uint64_t> spike_times(const ChipModel& m, unsigned neuron) {
  std::vector<std::uint64_t> t;
  for (const auto& s : m.spike_log())
    if (s.neuron == neuron) t.push_back(s.time);
  return t;
}

// Response of V to a unit step of I at k = 0 (closed form, written independently of the model).
inline double psp(double k, double tau_m, double tau_syn) {
  if (tau_m == tau_syn) return k / tau_m * std::exp(-k / tau_m);
  return tau_syn / (tau_syn - tau_m) * (std::exp(-k / tau_syn) - std::exp(-k / tau_m));
}

}  // namespace chip_test
