// What the embedded processor costs a node: FPGA cycles/s of an idle node without the
// processor, with it held in reset, asleep in wfi and running a kernel (chip-window loads,
// multiplies, stores), every cycle stepped (warp off), and the core's instructions per
// second; then the running kernel as a user runs it, with warp (the default: the idle
// FPGA warps while the processor steps).  Prints figures only.
//
// usage: bench_ppu [millions of cycles per measurement, default 5] [none|held|asleep|running|warp]
// Naming a case measures only that one (for a profiler: valgrind --tool=callgrind).

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/report.hpp"
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

struct Case {
  const char* name;
  std::unique_ptr<nmtwin::sim::Simulation> sim;
  Rate best;
  const char* core_figure = "core instructions (simulated)";  ///< its name in the report, one per case
};

// One run of `cycles` cycles; keeps the best rate.
void measure(Case& c, std::uint64_t cycles) {
  auto& node = c.sim->node(0);
  const auto retired = node.has_processor() ? node.ppu().stats().retired : 0;
  const auto start = Clock::now();
  c.sim->run(cycles);
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  const auto done = node.has_processor() ? node.ppu().stats().retired - retired : 0;
  if (cycles / s > c.best.cycles_per_s) c.best = {cycles / s, done / s};
}

}  // namespace

int main(int argc, char** argv) {
  const double millions = argc > 1 ? std::strtod(argv[1], nullptr) : 5;
  const std::string only = argc > 2 ? argv[2] : "";
  const std::vector<std::string> names{"none", "held", "asleep", "running", "warp"};
  if (!(millions > 0) || (!only.empty() && std::find(names.begin(), names.end(), only) == names.end())) {
    fmt::print(stderr, "usage: bench_ppu [millions of cycles > 0] [none|held|asleep|running|warp]\n");
    return 2;
  }
  const auto cycles = static_cast<std::uint64_t>(millions * 1e6);
  fmt::print("nmtwin processor benchmark: {} cycles per measurement, best of 3 interleaved rounds, one node via the "
             "SystemC kernel\n",
             cycles);

  std::vector<Case> cases;
  const auto wanted = [&](const std::string& name) { return only.empty() || only == name; };
  const nmtwin::sim::SimulationConfig stepped{.warp = false};
  const auto simulation = [](const nmtwin::sim::SimulationConfig& config) {
    return std::make_unique<nmtwin::sim::Simulation>(config);
  };
  if (wanted("none"))
    cases.push_back({"node without processor", simulation({.processors = false, .warp = false}), {}});
  if (wanted("held")) cases.push_back({"processor held in reset", simulation(stepped), {}});
  if (wanted("asleep")) {
    cases.push_back({"processor asleep (wfi)", simulation(stepped), {}});
    load_and_start(*cases.back().sim, sleeper());
  }
  if (wanted("running")) {
    cases.push_back({"processor running a kernel", simulation(stepped), {}});
    load_and_start(*cases.back().sim, kernel());
  }
  if (wanted("warp")) {
    cases.push_back({"processor running a kernel, warp", simulation({}), {}, "core instructions with warp (simulated)"});
    load_and_start(*cases.back().sim, kernel());
  }
  // Rounds interleave the cases, so that a machine whose speed drifts (a shared one) treats
  // them alike.
  for (int round = 0; round < 3; ++round)
    for (auto& c : cases) measure(c, cycles);

  nmtwin::bench::Report report("bench_ppu");
  const double base = wanted("none") ? cases.front().best.cycles_per_s : 0;
  for (const auto& c : cases) {
    const std::string versus =
        base > 0 && &c != &cases.front()
            ? fmt::format("   {:+6.1f} % against no processor", 100.0 * (c.best.cycles_per_s / base - 1))
            : "";
    fmt::print("{:<36} {:8.2f} M cycles/s{}\n", c.name, c.best.cycles_per_s / 1e6, versus);
    report.add(c.name, c.best.cycles_per_s / 1e6, "M cycles/s");
    if (c.best.instructions_per_s > 0) {
      fmt::print("{:<36} {:8.2f} M instructions/s (simulated), CPI {:.2f}\n", "  core",
                 c.best.instructions_per_s / 1e6, c.best.cycles_per_s / c.best.instructions_per_s);
      report.add(c.core_figure, c.best.instructions_per_s / 1e6, "M instructions/s");
    }
  }
  return 0;
}
