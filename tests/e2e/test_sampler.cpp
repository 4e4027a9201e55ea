// End-to-end: the membrane sampler (docs/chip.md "Sampler") from the host library through
// the in-process connection, the Verilated FPGA and the chip model and back:
// Program::received_samples() on the period grid with the closed-form membrane, spikes
// and samples of one neuron side by side, and samples a gone host leaves behind counted.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace spec = nmtwin::spec;
namespace nrn = spec::chip::neuron;
using nmtwin::hostlink::Program;
using nmtwin::hostlink::Sample;
using nmtwin::sim::InProcessConnection;
using nmtwin::sim::Simulation;

namespace {

std::uint32_t neuron_reg(unsigned n, std::uint32_t field) { return spec::chip::bus_addr(nrn::addr(n, field)); }
const std::uint32_t period_reg = spec::chip::bus_addr(spec::chip::sampler::addr(0, spec::chip::sampler::period_ns));

// Spec defaults of the neurons used here (docs/registers.md).
constexpr double leak = -65000, reset = -65000;
constexpr double tau_m = 10000.0 / spec::cycle_ns;
constexpr std::uint64_t refractory = 2000 / spec::cycle_ns;

// Closed form of a neuron driven by its bias alone, from its first spike on: held at reset
// for `refractory` cycles after each spike, then relaxing towards leak + bias.
double membrane(double bias, const std::vector<std::uint64_t>& spikes, std::uint64_t t) {
  std::uint64_t last = 0;
  for (const std::uint64_t s : spikes)
    if (s <= t) last = s;
  if (t < last + refractory) return reset;
  const double rest = leak + bias;
  return rest + (reset - rest) * std::exp(-static_cast<double>(t - last - refractory) / tau_m);
}

}  // namespace

BOOST_AUTO_TEST_CASE(sampled_neurons_report_their_membrane_on_the_period_grid_beside_their_spikes) {
  Simulation simulation;
  InProcessConnection connection(simulation);
  constexpr std::uint64_t period = 100;  // cycles: 800 ns of hardware time, 0.8 ms biological
  // Timer values of the period writes: by `on`, neuron 6 has relaxed to its rest (24 tau_m).
  constexpr std::uint64_t on = 30000, off = 50000;
  Program p;
  p.systime_sync();                             // chip time = systime: the sampling grid is one of systime
  p.write(neuron_reg(5, nrn::bias_uv), 20000);  // fires: rest -45 mV is above threshold
  p.write(neuron_reg(5, nrn::output), 0x80000000u | 0x55);
  p.write(neuron_reg(5, nrn::sample), 1);
  p.write(neuron_reg(6, nrn::bias_uv), 10000);  // rests at -55 mV, below threshold
  p.write(neuron_reg(6, nrn::sample), 1);
  p.timer_reset();
  p.wait_until(on);
  p.write(period_reg, period * spec::cycle_ns);
  p.wait_until(off);
  p.write(period_reg, 0);
  auto base_lo = p.read(spec::fpga_reg::timer_base_lo);
  auto base_hi = p.read(spec::fpga_reg::timer_base_hi);
  connection.run(p);
  const std::uint64_t base = std::uint64_t{base_hi.value()} << 32 | base_lo.value();

  // A chip write executed at t reaches the chip at t + 3 (docs/rtl.md); the sampler takes
  // the grid points after a new period's arrival up to the next write's arrival.
  std::vector<std::uint64_t> grid;
  for (std::uint64_t g = (base + on + 3) / period * period + period; g <= base + off + 3; g += period)
    grid.push_back(g);
  const std::vector<Sample>& samples = p.received_samples();
  BOOST_REQUIRE_EQUAL(samples.size(), 2 * grid.size());
  std::vector<std::uint64_t> spikes;
  for (const auto& s : p.received_spikes()) {
    BOOST_TEST(s.label == 0x55u);
    spikes.push_back(s.systime);
  }
  BOOST_REQUIRE_GE(spikes.size(), 8u);     // the sampled neuron spikes, too
  BOOST_TEST(spikes.front() < base + on);  // so the closed form holds from the window's start
  unsigned refractory_samples = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    BOOST_TEST_CONTEXT("grid point " << grid[k]) {
      const Sample& a = samples[2 * k];
      const Sample& b = samples[2 * k + 1];
      BOOST_TEST(a.neuron == 5u);  // in neuron order within a grid point
      BOOST_TEST(b.neuron == 6u);
      BOOST_TEST(a.systime == grid[k]);
      BOOST_TEST(b.systime == grid[k]);
      const double v = membrane(20000, spikes, grid[k]);
      BOOST_TEST(std::abs(a.value_uv - v) <= spec::chip::sample_lsb_uv / 2.0 + 1e-6, a.value_uv << " vs " << v);
      BOOST_TEST(a.value_uv % spec::chip::sample_lsb_uv == 0);
      BOOST_TEST(std::abs(b.value_uv - -55000.0) <= spec::chip::sample_lsb_uv / 2.0);
      refractory_samples += v == reset;
    }
  }
  BOOST_TEST(refractory_samples > 0u);
  BOOST_TEST(simulation.node(0).chip().counters().samples == samples.size());
}

// A host that leaves while the sampler runs fills the FPGA's ARQ window with samples nobody
// acknowledges: the FPGA drops the further ones and counts each in samples_to_host_dropped,
// while the chip link, and with it the next host's register accesses, never wait.
BOOST_AUTO_TEST_CASE(samples_a_gone_host_leaves_behind_are_dropped_and_counted) {
  Simulation simulation;
  {
    InProcessConnection first(simulation);
    Program p;
    for (unsigned n = 0; n < 64; ++n) p.write(neuron_reg(n, nrn::sample), 1);
    p.write(period_reg, 64 * spec::cycle_ns);  // one sample word a cycle: the up link's rate
    first.run(p);
  }  // gone without a word
  simulation.run(1'000'000);
  const auto& chip = simulation.node(0).chip();
  BOOST_REQUIRE_GT(chip.counters().samples, 900'000u);

  InProcessConnection next(simulation);
  Program p;
  p.write(period_reg, 0);
  p.barrier();  // its answer came after every sample the chip sent before it
  auto dropped = p.read(spec::fpga_reg::samples_to_host_dropped);
  auto from_chip = p.read(spec::fpga_reg::samples_from_chip);
  auto timeouts = p.read(spec::fpga_reg::bus_timeouts);
  auto chip_dropped = p.read(spec::chip::bus_addr(spec::chip::sampler_dropped));
  auto sample_bit = p.read(neuron_reg(63, nrn::sample));
  next.run(p);  // throws RunError on a bus_timeout
  BOOST_TEST(timeouts.value() == 0u);
  BOOST_TEST(sample_bit.value() == 1u);
  BOOST_TEST(from_chip.value() == chip.counters().samples);  // every sample crossed the chip link
  BOOST_TEST(chip_dropped.value() == chip.counters().samples_dropped);
  BOOST_TEST(dropped.value() > 800'000u);  // all but what the ARQ window and the queues hold
  BOOST_TEST(dropped.value() <= from_chip.value());
  BOOST_TEST_MESSAGE("samples from the chip " << from_chip.value() << ", dropped for the host " << dropped.value()
                                              << ", received by the next host " << p.received_samples().size());
}
