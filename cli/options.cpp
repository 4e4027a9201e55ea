#include "cli/options.hpp"

#include <fmt/format.h>

#include <iostream>

#include "experiment/output_path.hpp"
#include "experiment/runner.hpp"
#include "experiment/target.hpp"

namespace nmtwin::cli {

void add_target_option(CLI::App& command, std::string& target, std::string_view nodes_note) {
  command.add_option("--target", target,
                     fmt::format("where it runs: sim: (the in-process simulator, default) or udp://HOST:PORT (`nmtwin "
                                 "sim` or hardware{})",
                                 nodes_note));
}

void WaveArgs::add_to(CLI::App& cmd, std::string_view prefix, std::string_view file_option) {
  prefix_ = prefix;
  file_option_ = file_option;
  const auto name = [&](std::string_view what) { return fmt::format("--{}-{}", prefix, what); };
  cmd.add_option(name("start"), options_.start, "first FPGA cycle to record (default 0)");
  cmd.add_option(name("end"), options_.end, "FPGA cycle at which recording stops (exclusive; default: end of run)");
  cmd.add_flag(name("systime"), options_.systime,
               fmt::format("{} and {} are systime values, not cycle counts", name("start"), name("end")));
  cmd.add_option(name("trigger"), trigger_,
                 "record only around the first error response (error) or dropped event (drop)");
  cmd.add_option(name("pre"), options_.pre, fmt::format("with {}: cycles before it (default 2000)", name("trigger")));
  cmd.add_option(name("post"), options_.post, fmt::format("with {}: cycles after it (default 20000)", name("trigger")));
}

apps::WaveOptions WaveArgs::get(bool wanted) const {
  auto o = options_;
  o.trigger = sim::parse_trace_trigger(trigger_);
  const auto start = fmt::format("--{}-start", prefix_), end = fmt::format("--{}-end", prefix_);
  if (o.end <= o.start)
    throw CLI::ValidationError(end, fmt::format("must be after {} ({} <= {})", start, o.end, o.start));
  if (!wanted && o.shaped())
    throw CLI::ValidationError(file_option_, fmt::format("--{}-* options shape the waveform of {}; give it", prefix_,
                                                         file_option_));
  return o;
}

void ExperimentArgs::add_to(CLI::App& cmd) {
  cmd.add_option("--trace", trace, "write Verilator waveforms of the FPGA to FILE.fst (or .vcd)");
  waves.add_to(cmd, "trace", "--trace FILE");
  add_target_option(cmd, target);
}

int run_and_report(apps::Experiment experiment, const ExperimentArgs& args) {
  if (!args.output.empty()) experiment.output = args.output;
  apps::RunOptions options;
  if (!args.target.empty()) options.target = args.target;
  options.trace = args.trace;
  options.waves = args.waves.get(!args.trace.empty());
  apps::check_output_file(experiment.output, "the spike CSV (-o, or [experiment] output)");
  if (!options.trace.empty()) apps::check_output_file(options.trace, "the waveform (--trace)");
  const auto result = apps::run_experiment(experiment, options);
  apps::write_spike_csv(experiment.output, result);
  apps::print_summary(std::cout, experiment, result);
  fmt::print("spikes written to {}\n", experiment.output);
  if (!result.trace_note.empty())
    fmt::print("{}\n", result.trace_note);
  else if (!options.trace.empty())
    fmt::print("waveform written to {}\n", options.trace);
  return 0;
}

}  // namespace nmtwin::cli
