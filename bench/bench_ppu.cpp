// What the embedded processor costs a node: FPGA cycles/s of an idle node without the
// processor, with it held in reset, asleep in wfi and running a kernel (chip-window loads,
// multiplies, stores), and the core's instructions per second.  Prints figures only.
//
// usage: bench_ppu [millions of cycles per measurement, default 5] [running]
// Naming `running` measures only the running kernel (for a profiler).

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "nmtwin/program.hpp"
#include "nmtwin/riscv.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace spec = nmtwin::spec;
namespace rv = nmtwin::riscv;
using Clock = std::chrono::steady_clock;
using rv::Op;

namespace {

enum : std::uint8_t { zero = 0, t0 = 5, t1 = 6, t2 = 7, s0 = 8, s1 = 9 };

// Sleeps with no interrupt enabled: asleep for good.
std::vector<std::uint32_t> sleeper() {
  return {rv::encode({.op = Op::wfi}), rv::encode({.op = Op::jal, .imm = -4})};
}

// A plasticity-like loop: four synapses through the chip window, a multiply-accumulate,
// a store to data memory; forever.
std::vector<std::uint32_t> kernel() {
  return {
      rv::encode({.op = Op::lui, .rd = s0, .imm = static_cast<std::int32_t>(spec::ppu::window::weight >> 12)}),
      rv::encode({.op = Op::lui, .rd = s1, .imm = static_cast<std::int32_t>(spec::ppu::dmem_base >> 12)}),
      rv::encode({.op = Op::lw, .rd = t0, .rs1 = s0}),
      rv::encode({.op = Op::mul, .rd = t1, .rs1 = t0, .rs2 = t0}),
      rv::encode({.op = Op::add, .rd = t2, .rs1 = t2, .rs2 = t1}),
      rv::encode({.op = Op::sw, .rs1 = s1, .rs2 = t2}),
      rv::encode({.op = Op::jal, .imm = -16}),
  };
}

void load_and_start(nmtwin::sim::Simulation& sim, const std::vector<std::uint32_t>& code) {
  nmtwin::sim::InProcessConnection connection(sim);
  nmtwin::hostlink::Program p;
  for (std::size_t i = 0; i < code.size(); ++i) p.write(spec::chip::bus_addr(spec::chip::ppu_imem::base + i), code[i]);
  p.write(spec::chip::bus_addr(spec::chip::ppu_ctrl), 1);
  connection.run(p);
}

struct Rate {
  double cycles_per_s = 0, instructions_per_s = 0;
};

// Best of three runs of `cycles` cycles.
Rate measure(nmtwin::sim::Simulation& sim, std::uint64_t cycles) {
  Rate best;
  for (int i = 0; i < 3; ++i) {
    const auto retired = sim.node(0).has_processor() ? sim.node(0).ppu().stats().retired : 0;
    const auto start = Clock::now();
    sim.run(cycles);
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    const auto done = sim.node(0).has_processor() ? sim.node(0).ppu().stats().retired - retired : 0;
    if (cycles / s > best.cycles_per_s) best = {cycles / s, done / s};
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const double millions = argc > 1 ? std::strtod(argv[1], nullptr) : 5;
  const std::string only = argc > 2 ? argv[2] : "";
  if (!(millions > 0) || (!only.empty() && only != "running")) {
    fmt::print(stderr, "usage: bench_ppu [millions of cycles > 0] [running]\n");
    return 2;
  }
  const auto cycles = static_cast<std::uint64_t>(millions * 1e6);
  fmt::print("nmtwin processor benchmark: {} cycles per measurement, best of 3, one node via the SystemC kernel\n",
             cycles);

  Rate base;
  if (only.empty()) {
    nmtwin::sim::Simulation without({.processors = false});
    base = measure(without, cycles);
  }
  if (only.empty()) fmt::print("{:<36} {:8.2f} M cycles/s\n", "node without processor", base.cycles_per_s / 1e6);
  const auto versus = [&](const Rate& r) {
    return base.cycles_per_s > 0
               ? fmt::format("{:+6.1f} % against no processor", 100.0 * (r.cycles_per_s / base.cycles_per_s - 1))
               : std::string();
  };

  if (only.empty()) {
    nmtwin::sim::Simulation held;
    const Rate h = measure(held, cycles);
    fmt::print("{:<36} {:8.2f} M cycles/s   {}\n", "processor held in reset", h.cycles_per_s / 1e6, versus(h));
    nmtwin::sim::Simulation sleeping;
    load_and_start(sleeping, sleeper());
    const Rate s = measure(sleeping, cycles);
    fmt::print("{:<36} {:8.2f} M cycles/s   {}\n", "processor asleep (wfi)", s.cycles_per_s / 1e6, versus(s));
  }

  nmtwin::sim::Simulation running;
  load_and_start(running, kernel());
  const Rate r = measure(running, cycles);
  fmt::print("{:<36} {:8.2f} M cycles/s   {}\n", "processor running a kernel", r.cycles_per_s / 1e6, versus(r));
  fmt::print("{:<36} {:8.2f} M instructions/s (simulated), CPI {:.2f}\n", "  core", r.instructions_per_s / 1e6,
             r.cycles_per_s / r.instructions_per_s);
  return 0;
}
