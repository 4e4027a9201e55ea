#include "regress/scenario_run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "experiment/inprocess_run.hpp"
#include "experiment/ranks.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/topology_file.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;

namespace {

// Each chip's experiment as it runs: its node id first, the scenario's counters last.
std::vector<Experiment> experiments(const Scenario& s) {
  std::vector<Experiment> out = s.chips;
  for (unsigned i = 0; i < s.nodes; ++i) {
    auto& e = out[i];
    e.writes.insert(e.writes.begin(), {spec::fpga_reg::node_id, s.node_ids[i], "node_id"});
    for (const auto& c : s.counters) e.reads.push_back({fpga_register(c).value(), c});  // checked when parsed
  }
  return out;
}

sim::SimulationConfig system_of(const Scenario& s, const ScenarioRun& how) {
  sim::SimulationConfig config;
  if (!s.topology.empty()) config = simulation_config(find_topology(s.topology));
  for (std::size_t i = 0; i < config.network.links.size(); ++i) config.network.links[i].config.seed = how.seed * 7919 + i;
  config.threads = how.threads;
  return config;
}

std::string impairment_for(const Scenario& s, std::uint64_t seed, unsigned node) {
  if (s.impair.empty() || s.impair.find("seed=") != std::string::npos) return s.impair;
  return fmt::format("{},seed={}", s.impair, seed * 31 + node);
}

Outcome outcome_of(const Scenario& s, const std::vector<Experiment>& exps, const SystemRunResult& r) {
  Outcome o;
  for (const auto& x : r.spikes)
    o.spikes.push_back({x.node, x.label, static_cast<std::int64_t>(std::llround(x.time_us * 1000.0 / spec::cycle_ns))});
  for (unsigned i = 0; i < s.nodes; ++i)
    for (std::size_t k = 0; k < exps[i].reads.size(); ++k)
      (k < s.chips[i].reads.size() ? o.reads : o.counters).push_back({i, exps[i].reads[k].what, r.reads[i][k]});
  o.late_waits.assign(r.late_waits.begin(), r.late_waits.end());
  return o;
}

// The in-process run, with every node's waveform, the system trace and its GTKWave
// file in how.waves_dir when given.
InProcessRun in_process(const Scenario& s, const ScenarioRun& how, const std::vector<Experiment>& exps) {
  InProcessRun run{.system = system_of(s, how), .impair = {}, .node_waves = {}, .window = how.waves.window({}),
                   .system_trace = {}, .gtkw = {}, .waves_dir = {}, .synchronized = true,
                   .observe = sim::TraceTrigger::none, .fw_logs = {}};
  for (unsigned i = 0; i < s.nodes; ++i) run.impair.push_back(impairment_for(s, how.seed, i));
  // Under mpirun a system with a node for every rank is split over them; a smaller one
  // runs whole on every rank, alike (docs/scaleout.md).
  if (rank_count() > 1 && s.nodes >= rank_count()) {
    if (s.topology.empty()) {
      split_over_ranks(run.system, nullptr);
    } else {
      const auto topology = find_topology(s.topology);
      split_over_ranks(run.system, &topology);
    }
  }
  if (how.waves_dir.empty()) return run;
  if (how.waves.trigger != sim::TraceTrigger::none) {
    const auto found = trigger_window(run, exps, how.waves);
    if (!found)
      throw std::runtime_error(fmt::format("the waveform trigger (the first {}) never fired in scenario {}; no "
                                           "waveform written",
                                           sim::trace_trigger_name(how.waves.trigger), s.name));
    run.window = found->window;
  }
  const fs::path dir(how.waves_dir);
  fs::create_directories(dir);
  for (unsigned i = 0; i < s.nodes; ++i)
    run.node_waves.push_back((dir / fmt::format("node{}.{}", i, how.vcd ? "vcd" : "fst")).string());
  run.system_trace = (dir / "system.vcd").string();
  run.gtkw = (dir / (s.name + ".gtkw")).string();
  run.waves_dir = how.waves_dir;
  return run;
}

}  // namespace

std::string topology_name(const Scenario& s) { return s.topology.empty() ? "single" : s.topology; }

Outcome run_scenario(const Scenario& s, const ScenarioRun& how, SystemLedger* ledger) {
  const auto exps = experiments(s);
  const auto target = Target::parse(how.target);
  const auto done = [&](const SystemRunResult& r) {
    if (ledger) *ledger = r.ledger;
    return outcome_of(s, exps, r);
  };
  if (target.in_process()) return done(run_in_process(in_process(s, how, exps), exps).run);
  std::vector<std::unique_ptr<hostlink::Connection>> connections;
  std::vector<hostlink::Connection*> fpgas;
  for (unsigned i = 0; i < s.nodes; ++i) {
    connections.push_back(target.connect(i, impairment_for(s, how.seed, i)));
    fpgas.push_back(connections.back().get());
  }
  const extoll::Network layout(system_of(s, how).network);
  return done(run_system(fpgas, exps, layout.gi_latency(), layout.spec().gi_root, SpikeAccounting::remote(layout)));
}

}  // namespace nmtwin::apps
