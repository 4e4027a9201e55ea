// The demo experiment on a SystemC system a user builds in their own sc_main: the
// control FPGA (nmtwin::systemc::Fpga, the Verilated RTL) with a chip module behind it
// -- this example's LifChip, or nmtwin's behavioural model for comparison -- and the
// unchanged host library running the experiment through the `systemc:` URL scheme.
//
// usage: systemc_chip_demo [--chip lif|behavioural] [EXPERIMENT.toml] [-o SPIKES.csv]
//   defaults: --chip lif, examples/demo.toml, the experiment's output file

#include <fmt/format.h>

#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <systemc>

#include "experiment/experiment.hpp"
#include "experiment/runner.hpp"
#include "lif_chip.hpp"
#include "sim/systemc/behavioural_chip.hpp"
#include "sim/systemc/fpga.hpp"
#include "sim/systemc/host_link.hpp"
#include "sim/systemc/host_thread.hpp"

namespace {

struct Args {
  std::string chip = "lif";
  std::string experiment = "examples/demo.toml";
  std::string output;
};

Args parse(int argc, char* argv[]) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--chip" && has_value)
      a.chip = argv[++i];
    else if (arg == "-o" && has_value)
      a.output = argv[++i];
    else if (!arg.starts_with("-"))
      a.experiment = arg;
    else
      throw std::invalid_argument(fmt::format(
          "unknown argument '{}'; usage: systemc_chip_demo [--chip lif|behavioural] [EXPERIMENT.toml] [-o SPIKES.csv]",
          arg));
  }
  if (a.chip != "lif" && a.chip != "behavioural")
    throw std::invalid_argument(fmt::format("--chip '{}': use lif (this example's chip module) or behavioural", a.chip));
  return a;
}

// Binds any chip module with the chip link sockets and (if it has one) a clock input.
template <typename Chip>
std::unique_ptr<Chip> chip_behind(nmtwin::systemc::Fpga& fpga, sc_core::sc_clock& clock) {
  auto chip = std::make_unique<Chip>("chip");
  fpga.chip_down.bind(chip->chip_down);
  chip->chip_up.bind(fpga.chip_up);
  if constexpr (requires { chip->clk_i; }) chip->clk_i(clock);
  return chip;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  try {
    const Args args = parse(argc, argv);
    const auto experiment = nmtwin::apps::load_experiment(args.experiment);

    sc_core::sc_clock clock("clock", nmtwin::systemc::cycle_period());  // rising edge at 0
    nmtwin::systemc::Fpga fpga("fpga");
    fpga.clk_i(clock);
    std::unique_ptr<sc_core::sc_module> chip;
    if (args.chip == "lif")
      chip = chip_behind<example::LifChip>(fpga, clock);
    else
      chip = chip_behind<nmtwin::systemc::BehaviouralChip>(fpga, clock);

    // The host program: the same runner `nmtwin run --target URL` uses.
    nmtwin::systemc::register_systemc_scheme();
    nmtwin::apps::RunResult result;
    nmtwin::apps::RunOptions options;
    options.target = std::string("systemc:") + fpga.name();
    nmtwin::systemc::HostThread host("host", [&] { result = nmtwin::apps::run_experiment(experiment, options); });
    sc_core::sc_start();
    host.rethrow();

    const std::string output = args.output.empty() ? experiment.output : args.output;
    nmtwin::apps::print_summary(std::cout, experiment, result);
    fmt::print("chip module: {} ({}), {} FPGA cycles in {} of SystemC time\n", chip->name(), args.chip,
               fpga.node().cycle(), sc_core::sc_time_stamp().to_string());
    nmtwin::apps::write_spike_csv(output, result);
    fmt::print("spikes written to {}\n", output);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "systemc_chip_demo: " << e.what() << "\n";
    return 1;
  }
}
