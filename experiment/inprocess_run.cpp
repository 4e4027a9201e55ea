#include "experiment/inprocess_run.hpp"

#include <memory>

#include "hostlink/arq_connection.hpp"
#include "hostlink/impaired_link.hpp"
#include "sim/host/memory_link.hpp"
#include "sim/trace/system_trace.hpp"

namespace nmtwin::apps {

InProcessResult run_in_process(const InProcessRun& how, std::span<const Experiment> experiments,
                               std::uint64_t* first_trigger) {
  sim::Simulation simulation(how.system);
  const unsigned n = simulation.size();
  // Split over ranks, each rank traces its own nodes (into the same directory) and rank 0
  // writes the system trace and the GTKWave files (docs/scaleout.md).
  for (unsigned i = 0; i < how.node_waves.size() && i < n; ++i) {
    if (how.node_waves[i].empty() || !simulation.owns(i)) continue;
    auto window = how.window;
    window.path = how.node_waves[i];
    simulation.open_trace(i, window);
  }
  for (unsigned i = 0; i < how.fw_logs.size() && i < n; ++i)
    if (!how.fw_logs[i].empty() && simulation.owns(i)) simulation.open_commit_log(i, how.fw_logs[i]);
  std::unique_ptr<sim::SystemTrace> system_trace;  // from the first cycle: the handshakes too
  if (!how.system_trace.empty()) system_trace = std::make_unique<sim::SystemTrace>(simulation, how.system_trace);
  std::vector<std::unique_ptr<hostlink::Connection>> connections;
  std::vector<hostlink::Connection*> fpgas;
  for (unsigned i = 0; i < n; ++i) {
    std::unique_ptr<hostlink::DatagramLink> link = std::make_unique<sim::MemoryLink>(simulation, i);
    if (i < how.impair.size() && !how.impair[i].empty())
      link = std::make_unique<hostlink::ImpairedLink>(std::move(link), hostlink::ImpairmentConfig::parse(how.impair[i]));
    connections.push_back(std::make_unique<hostlink::ArqConnection>(std::move(link)));
    fpgas.push_back(connections.back().get());
    if (how.observe != sim::TraceTrigger::none && simulation.owns(i)) simulation.node(i).observe(true);
  }
  InProcessResult result;
  result.endpoint = connections.front()->endpoint();
  const auto finish = [&] {
    connections.clear();
    if (first_trigger) *first_trigger = sim::first_trigger(simulation, how.observe);
    if (system_trace) system_trace->close();
    for (unsigned i = 0; i < how.node_waves.size() && i < n; ++i)
      if (!how.node_waves[i].empty() && simulation.owns(i)) simulation.close_trace(i);
    // The GTKWave files name each node's waveform as written: every rank's are complete.
    simulation.min_over_ranks(0);
    if (system_trace && simulation.writes_outputs()) sim::write_gtkw(how.gtkw, simulation, how.waves_dir);
  };
  try {
    result.run = how.synchronized ? run_system(fpgas, experiments, simulation.network().gi_latency(),
                                               simulation.network().spec().gi_root,
                                               SpikeAccounting::in_process(simulation))
                                  : run_system(fpgas, experiments);
  } catch (...) {
    finish();
    throw;
  }
  finish();
  result.cycles = simulation.cycle();
  return result;
}

std::optional<TriggerWindow> trigger_window(const InProcessRun& how, std::span<const Experiment> experiments,
                                            const WaveOptions& waves) {
  InProcessRun probe{.system = how.system, .impair = how.impair, .node_waves = {}, .window = {}, .system_trace = {},
                     .gtkw = {}, .waves_dir = {}, .synchronized = how.synchronized, .observe = waves.trigger,
                     .fw_logs = {}};
  std::uint64_t t = UINT64_MAX;
  try {
    run_in_process(probe, experiments, &t);
  } catch (const std::exception&) {
    // The traced run fails the same way: the trigger found up to there counts.
  }
  if (t == UINT64_MAX) return std::nullopt;
  TriggerWindow found{.cycle = t, .window = how.window};
  found.window.around(t, waves.pre, waves.post);
  return found;
}

}  // namespace nmtwin::apps
