#include "cli/options.hpp"

#include <fmt/format.h>

#include <iostream>

namespace nmtwin::cli {

void add_target_option(CLI::App& command, std::string& target) {
  command.add_option("--target", target,
                     "run on this target instead of an in-process node: udp://HOST:PORT (`nmtwin sim` or "
                     "hardware) or sim:");
}

void TraceArgs::add_to(CLI::App& cmd) {
  cmd.add_option("--trace", path, "write Verilator waveforms of the FPGA to FILE.fst (or .vcd)");
  cmd.add_option("--trace-start", start, "first FPGA cycle to record (default 0)");
  cmd.add_option("--trace-end", end, "FPGA cycle at which recording stops (exclusive; default: end of run)");
  cmd.add_flag("--trace-systime", systime, "--trace-start/--trace-end are systime values, not cycle counts");
  cmd.add_option("--trace-trigger", trigger,
                 "record only around the first error response (error) or dropped event (drop)");
  cmd.add_option("--trace-pre", pre, "with --trace-trigger: cycles before it (default 2000)");
  cmd.add_option("--trace-post", post, "with --trace-trigger: cycles after it (default 20000)");
}

std::optional<sim::TraceOptions> TraceArgs::options() const {
  if (path.empty()) return std::nullopt;
  if (end <= start)
    throw CLI::ValidationError("--trace-end", fmt::format("must be after --trace-start ({} <= {})", end, start));
  return sim::TraceOptions{path, start, end, systime};
}

void TraceArgs::apply(apps::RunOptions& o) const {
  o.trace = options();
  o.trigger = sim::parse_trace_trigger(trigger);
  o.trigger_pre = pre;
  o.trigger_post = post;
}

int run_and_report(apps::Experiment experiment, const ExperimentArgs& args) {
  if (!args.output.empty()) experiment.output = args.output;
  apps::RunOptions options;
  args.trace.apply(options);
  options.target = args.target;
  const auto result = apps::run_experiment(experiment, options);
  apps::write_spike_csv(experiment.output, result);
  apps::print_summary(std::cout, experiment, result);
  fmt::print("spikes written to {}\n", experiment.output);
  if (!result.trace_note.empty())
    fmt::print("{}\n", result.trace_note);
  else if (options.trace)
    fmt::print("waveform written to {}\n", options.trace->path);
  return 0;
}

}  // namespace nmtwin::cli
