// FPGA cycles per second of one node: bare Verilated loop, node idle, node under a
// load of one input spike per microsecond of hardware time.  Prints figures only.
//
// usage: bench_node [millions of cycles per measurement, default 20] [bare|idle|kernel|load]
// Naming one case runs only that one (handy under `valgrind --tool=callgrind`).

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>

#include "Vnmtwin_top.h"
#include "Vnmtwin_top___024root.h"
#include "bench/report.hpp"
#include "nmtwin/program.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/node.hpp"
#include "sim/simulation.hpp"
#include "sim/tests/workloads.hpp"
#include "verilated.h"

using Clock = std::chrono::steady_clock;

namespace {

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
    fpga.clk_i = 0;
    fpga.eval();
    fpga.clk_i = 1;
    fpga.eval();
  }
  fpga.rst_ni = 1;
  // One evaluation a cycle, at the rising edge, as the node's untraced cycle does
  // (sim/node.cpp): the clock's value at the last evaluation is set low instead.
  return rate(cycles, [&](std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      fpga.rootp->__Vtrigrprev__TOP__clk_i = 0;
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

}  // namespace

int main(int argc, char** argv) {
  const double millions = argc > 1 ? std::strtod(argv[1], nullptr) : 20;
  const std::string only = argc > 2 ? argv[2] : "";
  if (!(millions > 0) || (!only.empty() && only != "bare" && only != "idle" && only != "kernel" && only != "load")) {
    fmt::print(stderr, "usage: bench_node [millions of cycles > 0] [bare|idle|kernel|load]\n");
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
    const double idle = rate(cycles, [&](std::uint64_t n) { idle_node.step(n); });
    fmt::print("{:<44} {:8.2f} M cycles/s{}\n", "node idle (Node::step)", idle / 1e6, overhead(idle));
    report.add("node idle", idle / 1e6, "M cycles/s");
  }
  if (wanted("kernel")) {
    nmtwin::sim::Simulation sim_idle;
    const double kernel = rate(cycles, [&](std::uint64_t n) { sim_idle.run(n); });
    fmt::print("{:<44} {:8.2f} M cycles/s{}\n", "node idle via SystemC kernel", kernel / 1e6, overhead(kernel));
    report.add("node idle via SystemC", kernel / 1e6, "M cycles/s");
  }
  if (wanted("load")) {
    double loaded = 0;
    std::size_t spikes_out = 0;
    for (int i = 0; i < 3; ++i) {
      nmtwin::sim::Simulation sim;
      nmtwin::sim::InProcessConnection connection(sim);
      auto program = spike_load(cycles);
      const auto t0 = Clock::now();
      connection.run(program);
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      loaded = std::max(loaded, static_cast<double>(sim.cycle()) / s);
      spikes_out = program.received_spikes().size();
    }
    fmt::print("{:<44} {:8.2f} M cycles/s{} ({} output spikes)\n", "node, 1 input spike per us (SystemC, host)",
               loaded / 1e6, overhead(loaded), spikes_out);
    report.add("node, 1 input spike per us", loaded / 1e6, "M cycles/s");
  }
  return 0;
}
