#include "apps/runner.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>

#include "nmtwin/connect.hpp"
#include "nmtwin/spec.hpp"
#include "sim/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::apps {

namespace {
// Relative time in cycles as microseconds, exactly (8 ns cycles give three decimals).
std::string cycles_as_us(std::int64_t cycles) {
  const std::int64_t ns = cycles * static_cast<std::int64_t>(spec::cycle_ns);
  return fmt::format("{}{}.{:03}", ns < 0 ? "-" : "", std::abs(ns) / 1000, std::abs(ns) % 1000);
}
}  // namespace

namespace {
// Runs the program on `connection`, returning the wall time it took.
double timed_run(hostlink::Connection& connection, hostlink::Program& program) {
  const auto t0 = std::chrono::steady_clock::now();
  connection.run(program);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

RunResult run_experiment(const Experiment& experiment, const RunOptions& options) {
  auto built = build_program(experiment);
  RunResult result;
  if (options.trace && !options.target.empty())
    throw std::invalid_argument(
        fmt::format("--trace records an in-process node; for the target '{}' start `nmtwin sim --trace FILE` instead",
                    options.target));
  std::optional<sim::TraceOptions> trace = options.trace;
  if (trace && options.trigger != sim::TraceTrigger::none) {
    // The run is deterministic: a first one finds the trigger, the second records around it.
    sim::Simulation probe;
    probe.node(0).observe(true);
    try {
      sim::InProcessConnection connection(probe);
      auto again = build_program(experiment);
      connection.run(again.program);
    } catch (const std::exception&) {
      // It fails the same way below; the trigger found up to there counts.
    }
    const std::uint64_t t = sim::first_trigger(probe, options.trigger);
    const auto what = sim::trace_trigger_name(options.trigger);
    if (t == UINT64_MAX) {
      result.trace_note = fmt::format("no {} happened: no waveform written", what);
      trace.reset();
    } else {
      trace->around(t, options.trigger_pre, options.trigger_post);
      result.trace_note = fmt::format("waveform written to {}: cycles {} to {}, around the first {} at cycle {}",
                                      trace->path, trace->start_cycle, trace->end_cycle, what, t);
    }
  }
  if (options.target.empty()) {
    sim::Simulation simulation;
    if (trace) simulation.open_trace(0, *trace);
    sim::InProcessConnection connection(simulation);
    result.wall_seconds = timed_run(connection, built.program);
    simulation.close_trace(0);
    result.cycles = simulation.cycle();
    result.endpoint = connection.endpoint();
  } else {
    auto connection = hostlink::connect(options.target);
    result.wall_seconds = timed_run(*connection, built.program);
    result.endpoint = connection->endpoint();
  }

  result.start_systime = (static_cast<std::uint64_t>(built.start_hi.value()) << 32) | built.start_lo.value();
  // A target that ran before may still fire from its earlier configuration until this
  // experiment's writes reach it: those spikes are counted, not mixed into the results.
  for (const auto& s : built.program.received_spikes()) {
    if (s.systime < result.start_systime)
      ++result.spikes_before_start;
    else
      result.spikes.push_back(s);
  }
  for (const auto& t : built.reads) result.reads.push_back(t.value());
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
}

}  // namespace nmtwin::apps
