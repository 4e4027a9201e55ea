#pragma once
// Command-line options that several subcommands share: the target, the waveform
// options, and running an experiment with its report (demo and run).

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "experiment/experiment.hpp"
#include "experiment/runner.hpp"
#include "sim/node.hpp"

namespace nmtwin::cli {

/// --target: where an experiment runs.
void add_target_option(CLI::App& command, std::string& target);

/// --trace FILE and the options that shape its window.
struct TraceArgs {
  std::string path;
  std::uint64_t start = 0;
  std::uint64_t end = UINT64_MAX;
  bool systime = false;
  std::string trigger = "none";
  std::uint64_t pre = 2000, post = 20000;

  void add_to(CLI::App& command);
  std::optional<sim::TraceOptions> options() const;
  void apply(apps::RunOptions& options) const;
};

/// What demo and run share: where spikes go, where it runs, its waveform.
struct ExperimentArgs {
  std::string output;
  std::string target;
  TraceArgs trace;
};

/// Runs the experiment as `args` say, writes the spike CSV, prints the summary.
int run_and_report(apps::Experiment experiment, const ExperimentArgs& args);

}  // namespace nmtwin::cli
