#pragma once
// Command-line options that several subcommands share: the target, the waveform
// options, and running an experiment with its report (demo and run).

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

#include "experiment/experiment.hpp"
#include "experiment/waves.hpp"

namespace nmtwin::cli {

/// --target: where an experiment runs (experiment/target.hpp).
void add_target_option(CLI::App& command, std::string& target, std::string_view nodes_note = "");

/// The options that shape node waveforms, one set for `run` and `sim` (--trace-*) and
/// `regress` (--waves-*).
struct WaveArgs {
  /// Adds --PREFIX-start, --PREFIX-end, --PREFIX-systime, --PREFIX-trigger, --PREFIX-pre
  /// and --PREFIX-post; `file_option` names the option that asks for the waveform.
  void add_to(CLI::App& command, std::string_view prefix, std::string_view file_option);
  /// The options, checked: the end after the start, the trigger a known one, and none
  /// of them given without the file (`wanted`: the file option was given).
  apps::WaveOptions get(bool wanted) const;

 private:
  apps::WaveOptions options_;
  std::string trigger_ = "none";
  std::string prefix_, file_option_;
};

/// What demo and run share: where spikes go, where it runs, its waveform.
struct ExperimentArgs {
  std::string output;
  std::string target;
  std::string trace;
  WaveArgs waves;

  void add_to(CLI::App& command);
};

/// Runs the experiment as `args` say, writes the spike CSV, prints the summary.
int run_and_report(apps::Experiment experiment, const ExperimentArgs& args);

}  // namespace nmtwin::cli
