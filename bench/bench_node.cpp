// FPGA cycles per second of one node.  Stepping every cycle (warp off): bare Verilated
// loop, node idle, node under a load of one input spike per microsecond of hardware
// time.  With warp (the default, docs/performance.md "Warp"): an idle node, and an
// experiment of one second of hardware time with 10 000 input spikes and the output
// spikes they cause.  Prints figures only.
//
// usage: bench_node [millions of cycles per measurement, default 20] [bare|idle|kernel|load|warp|experiment]
// Naming one case runs only that one (handy under `valgrind --tool=callgrind`).

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>

#include "Vnmtwin_top.h"
#include "Vnmtwin_top___024root.h"
#include "bench/report.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/node.hpp"
#include "sim/simulation.hpp"
#include "sim/tests/workloads.hpp"
#include "verilated.h"

using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t hardware_hz = 1'000'000'000'000 / nmtwin::spec::cycle_ps;  // 125 MHz

// Best of three: cycles per second of `body(cycles)`.
double rate(std::uint64_t cycles, const std::function<void(std::uint64_t)>& body) {
  double best = 0;
  for (int i = 0; i < 3; ++i) {
    const auto t0 = Clock::now();
    body(cycles);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, static_cast<double>(cycles) / s);
  }
  return best;
}

double bare_loop(std::uint64_t cycles) {
  VerilatedContext context;
  Vnmtwin_top fpga(&context);
  fpga.udp_tx_tready_i = 1;
  fpga.chip_tx_ready_i = 1;
  fpga.rst_ni = 0;
  for (int i = 0; i < 4; ++i) {
    fpga.clk_i = fpga.busy_clk_i = 0;
    fpga.eval();
    fpga.clk_i = fpga.busy_clk_i = 1;
    fpga.eval();
  }
  fpga.rst_ni = 1;
  // One evaluation a cycle, at the rising edge, as the node's untraced cycle does
  // (sim/node.cpp): the clock's value at the last evaluation is set low instead; the
  // gated clock gets the edge unless the FPGA only counts (its horizon, docs/rtl.md "Gating").
  return rate(cycles, [&](std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      fpga.rootp->__Vtrigrprev__TOP__clk_i = 0;
      if (fpga.horizon_o == 0) fpga.rootp->__Vtrigrprev__TOP__busy_clk_i = 0;
      fpga.eval();
    }
  });
}

// Row 0 drives 8 neurons hard enough to fire now and then; one spike per 125 cycles.
nmtwin::hostlink::Program spike_load(std::uint64_t cycles) {
  nmtwin::hostlink::Program p;
  nmtwin::sim::workload::drive_neurons(p);
  p.timer_reset();
  for (std::uint64_t t = 125; t < cycles; t += 125) {
    p.wait_until(t);
    p.spike(0);
  }
  return p;
}

// One second of hardware time (125 M cycles) with `spikes` input spikes spread evenly
// over it; neurons 0-7 are made to answer every input spike with one of their own.
nmtwin::hostlink::Program sparse_experiment(unsigned spikes) {
  namespace spec = nmtwin::spec;
  nmtwin::hostlink::Program p;
  nmtwin::sim::workload::drive_neurons(p);
  for (unsigned n = 0; n < 8; ++n)  // 5 mV above rest: one input spike (weight 40) crosses it
    p.write(spec::chip::bus_addr(spec::chip::neuron::addr(n, spec::chip::neuron::threshold_uv)),
            static_cast<std::uint32_t>(-60'000));
  p.timer_reset();
  const std::uint64_t period = hardware_hz / spikes;
  for (std::uint64_t t = period; t <= hardware_hz; t += period) {
    p.wait_until(t);
    p.spike(0);
  }
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const double millions = argc > 1 ? std::strtod(argv[1], nullptr) : 20;
  const std::string only = argc > 2 ? argv[2] : "";
  const std::string cases[] = {"bare", "idle", "kernel", "load", "warp", "experiment"};
  if (!(millions > 0) || (!only.empty() && std::find(std::begin(cases), std::end(cases), only) == std::end(cases))) {
    fmt::print(stderr, "usage: bench_node [millions of cycles > 0] [bare|idle|kernel|load|warp|experiment]\n");
    return 2;
  }
  const auto cycles = static_cast<std::uint64_t>(millions * 1e6);
  const auto wanted = [&](const char* name) { return only.empty() || only == name; };
  fmt::print("nmtwin node benchmark: {} cycles per measurement, best of 3\n", cycles);
  nmtwin::bench::Report report("bench_node");

  double bare = 0;
  if (wanted("bare")) {
    bare = bare_loop(cycles);
    fmt::print("{:<44} {:8.2f} M cycles/s\n", "bare Verilated loop (idle FPGA)", bare / 1e6);
    report.add("bare loop", bare / 1e6, "M cycles/s");
  }
  const auto overhead = [&](double r) {
    return bare > 0 ? fmt::format("   overhead {:.2f}x the bare loop", bare / r) : "";
  };

  if (wanted("idle")) {
    nmtwin::sim::Node idle_node;
    idle_node.set_warp(false);
    const double idle = rate(cycles, [&](std::uint64_t n) { idle_node.step(n); });
    fmt::print("{:<44} {:8.2f} M cycles/s{}\n", "node idle (Node::step, stepped)", idle / 1e6, overhead(idle));
    report.add("node idle", idle / 1e6, "M cycles/s");
  }
  if (wanted("kernel")) {
    nmtwin::sim::Simulation sim_idle({.warp = false});
    const double kernel = rate(cycles, [&](std::uint64_t n) { sim_idle.run(n); });
    fmt::print("{:<44} {:8.2f} M cycles/s{}\n", "node idle via SystemC kernel (stepped)", kernel / 1e6, overhead(kernel));
    report.add("node idle via SystemC", kernel / 1e6, "M cycles/s");
  }
  if (wanted("load")) {
    double loaded = 0;
    std::size_t spikes_out = 0;
    for (int i = 0; i < 3; ++i) {
      nmtwin::sim::Simulation sim({.warp = false});
      nmtwin::sim::InProcessConnection connection(sim);
      auto program = spike_load(cycles);
      const auto t0 = Clock::now();
      connection.run(program);
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      loaded = std::max(loaded, static_cast<double>(sim.cycle()) / s);
      spikes_out = program.received_spikes().size();
    }
    fmt::print("{:<44} {:8.2f} M cycles/s{} ({} output spikes)\n", "node, 1 input spike per us (stepped)",
               loaded / 1e6, overhead(loaded), spikes_out);
    report.add("node, 1 input spike per us", loaded / 1e6, "M cycles/s");
  }
  if (wanted("warp")) {
    // Whole-system warp through an idle node (SystemC kernel, as every runner uses it).
    const std::uint64_t idle_cycles = 100 * cycles;
    nmtwin::sim::Simulation sim;
    const double warped = rate(idle_cycles, [&](std::uint64_t n) { sim.run(n); });
    fmt::print("{:<44} {:8.2f} M cycles/s   ({:.1f}x the hardware's 125 MHz)\n", "node idle with warp", warped / 1e6,
               warped / hardware_hz);
    report.add("node idle with warp", warped / 1e6, "M cycles/s");
  }
  if (wanted("experiment")) {
    // The wall time of a 1 s experiment with 10 000 input spikes, warp on, best of 3.
    constexpr unsigned input_spikes = 10'000;
    double best = 1e30;
    std::size_t spikes_out = 0;
    std::uint64_t run_cycles = 0;
    for (int i = 0; i < 3; ++i) {
      nmtwin::sim::Simulation sim;
      nmtwin::sim::InProcessConnection connection(sim);
      auto program = sparse_experiment(input_spikes);
      const auto t0 = Clock::now();
      connection.run(program);
      best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
      spikes_out = program.received_spikes().size();
      run_cycles = sim.cycle();
    }
    fmt::print("{:<44} {:8.3f} s wall   ({} input spikes, {} output spikes, {:.3f} s of hardware time)\n",
               "1 s experiment with warp", best, input_spikes, spikes_out,
               static_cast<double>(run_cycles) / hardware_hz);
    report.add("1 s experiment, 10k spikes, with warp", best, "s wall");
  }
  return 0;
}
