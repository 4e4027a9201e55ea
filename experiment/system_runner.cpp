#include "experiment/system_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "nmtwin/network_config.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

namespace {

using Clock = std::chrono::steady_clock;
// How long one poll of one FPGA waits before the next FPGA gets its turn.
constexpr auto poll_slice = std::chrono::microseconds(200);

// Runs programs[i] on fpgas[i], all at once; order[] says in which order they start.
void run_together(std::span<hostlink::Connection* const> fpgas, const std::vector<hostlink::Program*>& programs,
                  const std::vector<unsigned>& order) {
  for (unsigned i : order) fpgas[i]->start(*programs[i]);
  std::vector<bool> done(fpgas.size(), false);
  for (std::size_t left = fpgas.size(); left > 0;) {
    for (unsigned i : order) {
      if (done[i]) continue;
      done[i] = fpgas[i]->poll(*programs[i], poll_slice);  // errors name the FPGA's endpoint
      if (done[i]) --left;
    }
  }
}

// Runs config[i] (when there are any) and then timed[i] on every FPGA, in `order`, and
// gathers what the timed programs read and received.
SystemRunResult run_phases(std::span<hostlink::Connection* const> fpgas, std::vector<hostlink::Program>& config,
                           std::vector<ExperimentProgram>& timed, const std::vector<unsigned>& order,
                           Clock::time_point t0) {
  const std::size_t n = fpgas.size();
  std::vector<hostlink::Program*> programs;
  for (auto& p : config) programs.push_back(&p);
  if (!programs.empty()) run_together(fpgas, programs, order);
  programs.clear();
  for (auto& t : timed) programs.push_back(&t.program);
  run_together(fpgas, programs, order);

  SystemRunResult result;
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (unsigned i = 0; i < n; ++i) {
    const std::uint64_t start =
        (static_cast<std::uint64_t>(timed[i].start_hi.value()) << 32) | timed[i].start_lo.value();
    result.start_systime.push_back(start);
    // A target that ran before may still fire from its earlier configuration until this
    // experiment's writes reach it: those spikes are counted, not mixed into the results.
    std::size_t before = 0;
    auto& mine = result.node_spikes.emplace_back();
    for (const auto& s : timed[i].program.received_spikes()) {
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
  }
  std::sort(result.spikes.begin(), result.spikes.end(), [](const RasterSpike& a, const RasterSpike& b) {
    return std::tie(a.time_us, a.node, a.label) < std::tie(b.time_us, b.node, b.label);
  });
  return result;
}

}  // namespace

SystemRunResult run_system(std::span<hostlink::Connection* const> fpgas, std::span<const Experiment> experiments,
                           std::span<const std::uint64_t> gi_latency, unsigned root) {
  const std::size_t n = fpgas.size();
  if (experiments.size() != n || gi_latency.size() != n || root >= n)
    throw std::invalid_argument(fmt::format("run_system: {} FPGAs, {} experiments, {} latencies, root {}", n,
                                            experiments.size(), gi_latency.size(), root));
  // The root starts last, so every other FPGA already waits for its interrupt.
  std::vector<unsigned> order;
  for (unsigned i = 0; i < n; ++i)
    if (i != root) order.push_back(i);
  order.push_back(root);

  const auto t0 = Clock::now();
  const auto delays = hostlink::gi_delays(gi_latency);
  std::vector<hostlink::Program> config(n);
  std::vector<ExperimentProgram> timed(n);
  for (unsigned i = 0; i < n; ++i) {
    append_configuration(config[i], experiments[i]);
    hostlink::prepare_systime_sync(config[i], delays[i], 0);
    hostlink::synchronized_start(timed[i].program, i == root);
    timed[i].program.systime_sync();  // the chip adopts the synchronised systime
    append_timed_part(timed[i], experiments[i]);
  }
  return run_phases(fpgas, config, timed, order, t0);
}

SystemRunResult run_system(std::span<hostlink::Connection* const> fpgas, std::span<const Experiment> experiments) {
  const std::size_t n = fpgas.size();
  if (experiments.size() != n)
    throw std::invalid_argument(fmt::format("run_system: {} FPGAs, {} experiments", n, experiments.size()));
  const auto t0 = Clock::now();
  std::vector<hostlink::Program> config;
  std::vector<ExperimentProgram> timed;
  std::vector<unsigned> order;
  timed.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    timed.push_back(build_program(experiments[i]));
    order.push_back(i);
  }
  return run_phases(fpgas, config, timed, order, t0);
}

}  // namespace nmtwin::apps
