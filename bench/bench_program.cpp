// The reference for the Python bindings' overhead (bench/bench_python.py builds and runs
// the same program through `import nmtwin`): one program that configures a chip (10
// parameters of each of 512 neurons, 4096 weights), plays 10 000 input spikes at their
// times and reads 100 spike counters, built and run on the in-process simulator.
// Prints the time to build it, to run it, and the spikes it got back; best of N runs.
//
// usage: bench_program [runs, default 5]

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/report.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/sim.hpp"
#include "nmtwin/spec.hpp"

namespace spec = nmtwin::spec;
namespace hl = nmtwin::hostlink;
using Clock = std::chrono::steady_clock;

namespace {

std::uint32_t chip(std::uint32_t a) { return spec::chip::bus_addr(a); }

// Kept in step with bench/bench_python.py's build_program().
hl::Program build(std::vector<hl::Ticket>& counters) {
  namespace n = spec::chip::neuron;
  hl::Program p;
  for (std::uint32_t i = 0; i < spec::chip::neurons; ++i) {
    p.write(chip(n::addr(i, n::threshold_uv)), static_cast<std::uint32_t>(-50000));
    p.write(chip(n::addr(i, n::reset_uv)), static_cast<std::uint32_t>(-65000));
    p.write(chip(n::addr(i, n::leak_uv)), static_cast<std::uint32_t>(-65000));
    p.write(chip(n::addr(i, n::bias_uv)), 0);
    p.write(chip(n::addr(i, n::tau_m_ns)), 10000);
    p.write(chip(n::addr(i, n::tau_syn_ns)), 5000);
    p.write(chip(n::addr(i, n::refractory_ns)), 2000);
    p.write(chip(n::addr(i, n::weight_scale_uv)), 1000);
    p.write(chip(n::addr(i, n::output)), (1u << 31) | i);
    p.write(chip(n::addr(i, n::loopback)), 0);
  }
  for (std::uint32_t row = 0; row < 8; ++row)
    for (std::uint32_t i = 0; i < spec::chip::neurons; ++i)
      p.write(chip(spec::chip::weight::base + row * spec::chip::neurons + i), i % 8 == row ? 11 : 0);
  p.timer_reset();
  for (std::uint64_t k = 0; k < 10000; ++k) {
    p.wait_until(1000 + 50 * k);
    p.spike(static_cast<std::uint16_t>(k % 8));
  }
  p.wait_until(1000 + 50 * 10000 + 10000);  // the last spikes leave the chip before the reads
  for (std::uint32_t i = 0; i < 100; ++i) counters.push_back(p.read(chip(spec::chip::spike_counter::base + i)));
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  if (runs < 1) {
    fmt::print(stderr, "bench_program: runs '{}' must be a positive number\n", argv[1]);
    return 2;
  }
  nmtwin::bench::Report report("bench_program");
  nmtwin::sim::Simulator simulator("pair");
  auto fpga = simulator.connect(0);
  double best_build = 1e30, best_run = 1e30;
  std::size_t spikes = 0, instructions = 0;
  std::uint64_t counted = 0;
  for (int r = 0; r < runs; ++r) {
    std::vector<hl::Ticket> counters;
    const auto t0 = Clock::now();
    hl::Program p = build(counters);
    const auto t1 = Clock::now();
    fpga->run(p);
    const auto t2 = Clock::now();
    best_build = std::min(best_build, std::chrono::duration<double, std::milli>(t1 - t0).count());
    best_run = std::min(best_run, std::chrono::duration<double, std::milli>(t2 - t1).count());
    spikes = p.received_spikes().size();
    instructions = p.size();
    counted = 0;
    for (const auto& t : counters) counted += t.value();
  }
  fmt::print("bench_program: {} instructions, {} spikes back, {} counted by the first 100 counters (best of {})\n",
             instructions, spikes, counted, runs);
  fmt::print("  build  {:8.2f} ms\n  run    {:8.2f} ms\n", best_build, best_run);
  report.add("C++ program build", best_build, "ms", "lower");
  report.add("C++ program run", best_run, "ms", "lower");
  return 0;
}
