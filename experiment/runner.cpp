#include "experiment/runner.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "experiment/inprocess_run.hpp"
#include "experiment/system_runner.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

namespace {
// Relative time in cycles as microseconds, exactly (8 ns cycles give three decimals).
std::string cycles_as_us(std::int64_t cycles) {
  const std::int64_t ns = cycles * static_cast<std::int64_t>(spec::cycle_ns);
  return fmt::format("{}{}.{:03}", ns < 0 ? "-" : "", std::abs(ns) / 1000, std::abs(ns) % 1000);
}
}  // namespace

RunResult run_experiment(const Experiment& experiment, const RunOptions& options) {
  const auto target = Target::parse(options.target);
  if (!options.trace.empty() && !target.in_process())
    throw std::invalid_argument(
        fmt::format("--trace records an in-process node; for the target '{}' start `nmtwin sim --trace FILE` instead",
                    options.target));
  const std::span<const Experiment> one(&experiment, 1);
  RunResult result;
  SystemRunResult run;
  if (target.in_process()) {
    InProcessRun how{.system = {}, .impair = {}, .node_waves = {options.trace}, .window = options.waves.window({}),
                     .system_trace = {}, .gtkw = {}, .waves_dir = {}, .synchronized = false,
                     .observe = sim::TraceTrigger::none, .fw_logs = {}};
    if (!options.trace.empty() && options.waves.trigger != sim::TraceTrigger::none) {
      const auto what = sim::trace_trigger_name(options.waves.trigger);
      if (const auto found = trigger_window(how, one, options.waves)) {
        how.window = found->window;
        result.trace_note = fmt::format("waveform written to {}: cycles {} to {}, around the first {} at cycle {}",
                                        options.trace, how.window.start_cycle, how.window.end_cycle, what, found->cycle);
      } else {
        result.trace_note = fmt::format("no {} happened: no waveform written", what);
        how.node_waves.clear();
      }
    }
    auto in_process = run_in_process(how, one);
    run = std::move(in_process.run);
    result.cycles = in_process.cycles;
    result.endpoint = in_process.endpoint;
  } else {
    auto connection = target.connect(0);
    hostlink::Connection* fpga = connection.get();
    run = run_system(std::span(&fpga, 1), one);
    result.endpoint = connection->endpoint();
  }
  result.wall_seconds = run.wall_seconds;
  result.start_systime = run.start_systime.front();
  result.spikes_before_start = run.spikes_before_start.front();
  result.late_waits = run.late_waits.front();
  result.spikes = std::move(run.node_spikes.front());
  result.reads = std::move(run.reads.front());
  result.firmware = std::move(run.firmware.front());
  return result;
}

void write_spike_csv(const std::string& path, const RunResult& result) {
  std::ofstream out(path);
  if (!out)
    throw std::runtime_error(fmt::format("cannot write spike file '{}': check the directory and permissions", path));
  out << "label,systime,time_cycles,time_us\n";
  for (const auto& s : result.spikes) {
    const auto rel = static_cast<std::int64_t>(s.systime - result.start_systime);
    fmt::print(out, "{},{},{},{}\n", s.label, s.systime, rel, cycles_as_us(rel));
  }
  if (!out.flush()) throw std::runtime_error(fmt::format("writing spike file '{}' failed (disk full?)", path));
}

void print_summary(std::ostream& out, const Experiment& e, const RunResult& r) {
  const double duration_us = static_cast<double>(e.duration) * spec::cycle_ns / 1000.0;
  fmt::print(out,
             "experiment '{}': {} register writes, {} input spikes from {} sources, {:.1f} us hardware "
             "({:.1f} ms biological)\n",
             e.name, e.writes.size(), e.input_spike_count(), e.sources.size(), duration_us, duration_us);
  if (r.cycles > 0)
    fmt::print(out, "simulated {} FPGA cycles in {:.3f} s ({:.2f} M cycles/s)\n", r.cycles, r.wall_seconds,
               r.wall_seconds > 0 ? static_cast<double>(r.cycles) / r.wall_seconds / 1e6 : 0.0);
  else
    fmt::print(out, "ran on {} in {:.3f} s\n", r.endpoint, r.wall_seconds);
  struct PerLabel {
    std::size_t count = 0;
    std::int64_t first = 0;
  };
  std::map<std::uint16_t, PerLabel> labels;
  for (const auto& s : r.spikes) {
    auto& l = labels[s.label];
    if (l.count++ == 0) l.first = static_cast<std::int64_t>(s.systime - r.start_systime);
  }
  if (r.late_waits > 0)
    fmt::print(out,
               "WARNING: {} late waits: input spikes (or firmware starts) came closer together than the FPGA plays "
               "them and went out late; space them further apart (docs/experiments.md, \"Timing\")\n",
               r.late_waits);
  fmt::print(out, "output spikes: {}\n", r.spikes.size());
  if (r.spikes_before_start > 0)
    fmt::print(out, "  (not counted: {} spikes from before the start, fired by the target's earlier configuration)\n",
               r.spikes_before_start);
  if (!labels.empty()) {
    fmt::print(out, "  {:>6}  {:>6}  {:>11}  {:>15}\n", "label", "count", "first (us)", "rate (Hz, bio)");
    for (const auto& [label, l] : labels)
      fmt::print(out, "  {:>6}  {:>6}  {:>11}  {:>15.1f}\n", label, l.count, cycles_as_us(l.first),
                 static_cast<double>(l.count) / (duration_us * 1e-3));
  }
  if (!e.reads.empty()) {
    fmt::print(out, "register reads after the run:\n");
    for (std::size_t i = 0; i < e.reads.size(); ++i) fmt::print(out, "  {:<20} = {}\n", e.reads[i].what, r.reads[i]);
  }
  if (r.firmware) {
    const auto& f = r.firmware->result;
    fmt::print(out, "firmware {}: {} ({} instructions in {} core cycles)\n", e.firmware->elf, r.firmware->state,
               f.instret, f.cycles);
    if (!f.console.empty())
      fmt::print(out, "firmware console:\n{}{}", f.console, f.console.ends_with('\n') ? "" : "\n");
  }
}

}  // namespace nmtwin::apps
