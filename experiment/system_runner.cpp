#include "experiment/system_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "nmtwin/spec.hpp"
#include "nmtwin/system.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::apps {

namespace {

using Clock = std::chrono::steady_clock;

// What the timed programs read and received, once they ran.
SystemRunResult gather(std::span<hostlink::Program> programs, const std::vector<ExperimentProgram>& timed,
                       std::span<const Experiment> experiments, Clock::time_point t0) {
  SystemRunResult result;
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (unsigned i = 0; i < programs.size(); ++i) {
    const std::uint64_t start =
        (static_cast<std::uint64_t>(timed[i].start_hi.value()) << 32) | timed[i].start_lo.value();
    result.start_systime.push_back(start);
    // A target that ran before may still fire from its earlier configuration until this
    // experiment's writes reach it: those spikes are counted, not mixed into the results.
    std::size_t before = 0;
    auto& mine = result.node_spikes.emplace_back();
    for (const auto& s : programs[i].received_spikes()) {
      if (s.systime < start) {
        ++before;
        continue;
      }
      mine.push_back(s);
      result.spikes.push_back({i, s.label, static_cast<double>(s.systime - start) * spec::cycle_ns / 1000.0});
    }
    result.spikes_before_start.push_back(before);
    std::vector<std::uint32_t> reads;
    for (const auto& t : timed[i].reads) reads.push_back(t.value());
    result.reads.push_back(std::move(reads));
    result.late_waits.push_back(timed[i].late_waits.value());
    const auto& f = experiments[i].firmware;
    result.firmware.push_back(f ? std::optional(firmware_outcome(*f, *timed[i].firmware, fmt::format("node {}", i)))
                                : std::nullopt);
  }
  std::sort(result.spikes.begin(), result.spikes.end(), [](const RasterSpike& a, const RasterSpike& b) {
    return std::tie(a.time_us, a.node, a.label) < std::tie(b.time_us, b.node, b.label);
  });
  return result;
}

// The programs of `parts`, moved out to run them (their tickets stay with `parts`).
std::vector<hostlink::Program> programs_of(std::vector<ExperimentProgram>& parts) {
  std::vector<hostlink::Program> programs;
  for (auto& p : parts) programs.push_back(std::move(p.program));
  return programs;
}

}  // namespace

SpikeAccounting SpikeAccounting::in_process(sim::Simulation& simulation) {
  return {&simulation.network(), [&simulation] { return simulation.unroutable_events(); }};
}

SystemRunResult run_system(std::span<hostlink::Connection* const> fpgas, std::span<const Experiment> experiments,
                           std::span<const std::uint64_t> gi_latency, unsigned root,
                           const SpikeAccounting& accounting) {
  const std::size_t n = fpgas.size();
  if (experiments.size() != n || gi_latency.size() != n || root >= n || !accounting.network ||
      accounting.network->spec().node_ids.size() != n)
    throw std::invalid_argument(fmt::format("run_system: {} FPGAs, {} experiments, {} latencies, root {}, a network "
                                            "of {} nodes",
                                            n, experiments.size(), gi_latency.size(), root,
                                            accounting.network ? accounting.network->spec().node_ids.size() : 0));
  const auto t0 = Clock::now();
  const hostlink::SynchronizedStart start(gi_latency, root);
  std::vector<hostlink::Program> setup(n);
  std::vector<ExperimentProgram> timed(n);
  for (unsigned i = 0; i < n; ++i) {
    append_configuration(setup[i], experiments[i]);
    start.begin_timed(timed[i].program, i);
    append_timed_part(timed[i], experiments[i]);
  }
  auto programs = programs_of(timed);
  start.run(fpgas, setup, programs);
  auto result = gather(programs, timed, experiments, t0);
  result.ledger = drain_and_read(fpgas, accounting.network->spec(), accounting.unroutable);
  check_conservation(accounting.network->spec(), result.ledger);
  return result;
}

SystemRunResult run_system(std::span<hostlink::Connection* const> fpgas, std::span<const Experiment> experiments) {
  const std::size_t n = fpgas.size();
  if (experiments.size() != n)
    throw std::invalid_argument(fmt::format("run_system: {} FPGAs, {} experiments", n, experiments.size()));
  const auto t0 = Clock::now();
  std::vector<ExperimentProgram> timed;
  timed.reserve(n);
  for (unsigned i = 0; i < n; ++i) timed.push_back(build_program(experiments[i]));
  auto programs = programs_of(timed);
  hostlink::run_together(fpgas, programs);
  return gather(programs, timed, experiments, t0);
}

}  // namespace nmtwin::apps
