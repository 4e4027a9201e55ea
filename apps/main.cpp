// nmtwin: the one command-line tool (demo, run; later: sim, regress, study).

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

#include "apps/experiment.hpp"
#include "apps/runner.hpp"
#include "demo_experiment.hpp"
#include "hostlink/connection.hpp"
#include "nmtwin/spec.hpp"

namespace {

using namespace nmtwin;

struct TraceArgs {
  std::string path;
  std::uint64_t start = 0;
  std::uint64_t end = UINT64_MAX;

  void add_to(CLI::App& cmd) {
    cmd.add_option("--trace", path, "write Verilator waveforms of the FPGA to FILE.fst (or .vcd)");
    cmd.add_option("--trace-start", start, "first FPGA cycle to record (default 0)");
    cmd.add_option("--trace-end", end, "FPGA cycle at which recording stops (exclusive; default: end of run)");
  }
  std::optional<sim::TraceOptions> options() const {
    if (path.empty()) return std::nullopt;
    if (end <= start)
      throw CLI::ValidationError("--trace-end", fmt::format("must be after --trace-start ({} <= {})", end, start));
    return sim::TraceOptions{path, start, end};
  }
};

void run_and_report(apps::Experiment experiment, const std::string& output, const TraceArgs& trace) {
  if (!output.empty()) experiment.output = output;
  apps::RunOptions options;
  options.trace = trace.options();
  const auto result = apps::run_experiment(experiment, options);
  apps::write_spike_csv(experiment.output, result);
  apps::print_summary(std::cout, experiment, result);
  fmt::print("spikes written to {}\n", experiment.output);
  if (options.trace) fmt::print("waveform written to {}\n", options.trace->path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nmtwin: pre-silicon twin of an accelerated neuromorphic multi-chip system"};
  app.set_version_flag("--version", std::string(spec::version));
  app.require_subcommand(1);

  std::string output;
  TraceArgs demo_trace;
  auto* demo = app.add_subcommand("demo", "run the built-in single-chip experiment (examples/demo.toml)");
  demo->add_option("-o,--output", output, "spike CSV path (default demo_spikes.csv)");
  demo_trace.add_to(*demo);

  std::string file;
  TraceArgs run_trace;
  auto* run = app.add_subcommand("run", "run an experiment file (see docs/experiments.md)");
  run->add_option("FILE", file, "experiment file (TOML)")->required();
  run->add_option("-o,--output", output, "spike CSV path (default: [experiment] output)");
  run_trace.add_to(*run);

  CLI11_PARSE(app, argc, argv);
  try {
    if (*demo) run_and_report(apps::parse_experiment(apps::demo_experiment, "examples/demo.toml"), output, demo_trace);
    if (*run) run_and_report(apps::load_experiment(file), output, run_trace);
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    fmt::print(stderr, "nmtwin: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
