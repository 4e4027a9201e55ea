// nmtwin: the one command-line tool (demo, run; later: sim, regress, study).

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>

#include "apps/experiment.hpp"
#include "apps/latency_study.hpp"
#include "apps/regress.hpp"
#include "apps/runner.hpp"
#include "apps/sim_server.hpp"
#include "apps/synfire.hpp"
#include "demo_experiment.hpp"
#include "nmtwin/connect.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/spec.hpp"
#include "sim/inprocess_connection.hpp"

namespace {

using namespace nmtwin;

std::atomic<bool> stop_requested{false};
extern "C" void request_stop(int) { stop_requested.store(true); }

// SIGINT/SIGTERM end the server loop cleanly (statistics printed, traces flushed).
void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct TraceArgs {
  std::string path;
  std::uint64_t start = 0;
  std::uint64_t end = UINT64_MAX;
  bool systime = false;
  std::string trigger = "none";
  std::uint64_t pre = 2000, post = 20000;

  void add_to(CLI::App& cmd) {
    cmd.add_option("--trace", path, "write Verilator waveforms of the FPGA to FILE.fst (or .vcd)");
    cmd.add_option("--trace-start", start, "first FPGA cycle to record (default 0)");
    cmd.add_option("--trace-end", end, "FPGA cycle at which recording stops (exclusive; default: end of run)");
    cmd.add_flag("--trace-systime", systime, "--trace-start/--trace-end are systime values, not cycle counts");
    cmd.add_option("--trace-trigger", trigger,
                   "record only around the first error response (error) or dropped event (drop)");
    cmd.add_option("--trace-pre", pre, "with --trace-trigger: cycles before it (default 2000)");
    cmd.add_option("--trace-post", post, "with --trace-trigger: cycles after it (default 20000)");
  }
  std::optional<sim::TraceOptions> options() const {
    if (path.empty()) return std::nullopt;
    if (end <= start)
      throw CLI::ValidationError("--trace-end", fmt::format("must be after --trace-start ({} <= {})", end, start));
    return sim::TraceOptions{path, start, end, systime};
  }
  void apply(apps::RunOptions& o) const {
    o.trace = options();
    o.trigger = sim::parse_trace_trigger(trigger);
    o.trigger_pre = pre;
    o.trigger_post = post;
  }
};

void run_and_report(apps::Experiment experiment, const std::string& output, const TraceArgs& trace,
                    const std::string& target) {
  if (!output.empty()) experiment.output = output;
  apps::RunOptions options;
  trace.apply(options);
  options.target = target;
  const auto result = apps::run_experiment(experiment, options);
  apps::write_spike_csv(experiment.output, result);
  apps::print_summary(std::cout, experiment, result);
  fmt::print("spikes written to {}\n", experiment.output);
  if (!result.trace_note.empty())
    fmt::print("{}\n", result.trace_note);
  else if (options.trace)
    fmt::print("waveform written to {}\n", options.trace->path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nmtwin: pre-silicon twin of an accelerated neuromorphic multi-chip system"};
  app.set_version_flag("--version", std::string(spec::version));
  app.require_subcommand(1);

  std::string output;
  std::string target;
  const auto add_target = [&target](CLI::App& cmd) {
    cmd.add_option("--target", target,
                   "run on this target instead of an in-process node: udp://HOST:PORT (`nmtwin sim` or "
                   "hardware) or sim:");
  };
  TraceArgs demo_trace;
  auto* demo = app.add_subcommand("demo", "run the built-in single-chip experiment (examples/demo.toml)");
  demo->add_option("-o,--output", output, "spike CSV path (default demo_spikes.csv)");
  demo_trace.add_to(*demo);
  add_target(*demo);

  std::string file;
  TraceArgs run_trace;
  auto* run = app.add_subcommand("run", "run an experiment file (see docs/experiments.md)");
  run->add_option("FILE", file, "experiment file (TOML)")->required();
  run->add_option("-o,--output", output, "spike CSV path (default: [experiment] output)");
  run_trace.add_to(*run);
  add_target(*run);

  apps::SimServerOptions server;
  TraceArgs sim_trace;
  auto* simcmd = app.add_subcommand("sim", "serve simulated FPGAs over UDP (ARQ), as hardware is reached");
  simcmd->add_option("--bind", server.bind_address, "address to listen on (default 127.0.0.1)");
  simcmd
      ->add_option("--port", server.port,
                   "data port of node 0 (default 5000); its reset port is PORT+1, node i uses PORT+2i")
      ->check(CLI::Range(0, 65534));
  auto* nodes_opt =
      simcmd->add_option("--nodes", server.nodes, "number of simulated FPGAs, without links (default 1)")
          ->check(CLI::Range(1, 64));
  simcmd
      ->add_option("--topology", server.topology,
                   "the system to serve: a topology file or pair, ringN, torusXxYxZ (docs/topology.md)")
      ->excludes(nodes_opt);
  simcmd
      ->add_option("--quantum", server.quantum,
                   "FPGA cycles per scheduling quantum: host datagrams enter at its edges (default 256)")
      ->check(CLI::Range(1, 1 << 20));
  simcmd->add_option("--impair", server.impairment,
                     "impair datagrams in both directions, e.g. loss=0.05,dup=0.02,reorder=0.02,seed=7");
  simcmd->add_option("--pcap", server.pcap, "write every datagram to FILE (pcap, readable by tshark/Wireshark)");
  sim_trace.add_to(*simcmd);
  simcmd->add_flag("--exit-with-parent", server.exit_with_parent,
                   "stop when the process that started the server ends (scripts/ci-gate)");

  apps::RegressOptions regress_options;
  regress_options.paths.clear();
  std::uint64_t regress_seed = 0;
  auto* regress = app.add_subcommand("regress", "run regression scenarios against the simulator or hardware "
                                                "(docs/regressions.md)");
  regress->add_option("PATHS", regress_options.paths,
                      "scenario files or directories (default: regressions/ here, else the source tree's)");
  regress->add_option("--tag", regress_options.tags, "run the scenarios with this tag (repeat for several: any)")
      ->allow_extra_args(false);
  regress
      ->add_option("--target", regress_options.target,
                   "sim (in-process, default) or udp://HOST:PORT (nmtwin sim --topology or hardware; node i at PORT+2i)");
  regress->add_option("-j,--jobs", regress_options.jobs, "scenarios run at once (in-process only)")->check(CLI::Range(1, 64));
  auto* seed_opt = regress->add_option("--seed", regress_seed, "replace every scenario's seed");
  regress->add_option("--junit", regress_options.junit, "write JUnit XML to FILE (for CI systems)");
  regress->add_option("--waves-on-fail", regress_options.waves_dir,
                      "run each failing scenario again with waveforms into DIR/SCENARIO/ (node FST, system VCD, .gtkw)");
  std::string regress_topology;
  auto* topology_opt = regress->add_option("--topology", regress_topology,
                                           "only the scenarios on this topology (\"single\": one FPGA without links)");
  regress->add_flag("--list", regress_options.list, "print the selected scenarios (name, topology, tags) and stop");
  std::string waves_trigger = "none";
  regress->add_option("--waves-trigger", waves_trigger,
                      "node waveforms only around the first error response (error) or dropped event (drop)");
  regress->add_flag("--waves-vcd", regress_options.waves_vcd, "node waveforms as VCD instead of FST");
  regress->add_option("--waves-start", regress_options.waves_start, "first cycle of the node waveforms (no trigger)");
  regress->add_option("--waves-end", regress_options.waves_end, "cycle at which node waveforms stop (exclusive)");
  regress->add_option("--waves-pre", regress_options.waves_pre, "cycles before the trigger (default 2000)");
  regress->add_option("--waves-post", regress_options.waves_post, "cycles after the trigger (default 20000)");
  regress->add_flag("--update-golden", regress_options.update_golden,
                    "write the golden files anew from this run (after a reviewed change)");

  apps::StudyOptions study;
  auto* study_cmd = app.add_subcommand("study", "latency studies over a simulated network (docs/latency.md)");
  study_cmd->require_subcommand(1);
  auto* latency = study_cmd->add_subcommand("latency", "sweep traffic and network parameters, measure chip-to-chip latency");
  latency->add_option("--topology", study.base.topology, "topology file or pair, ringN, torusXxYxZ (default ring8)");
  latency->add_option("--sweep", study.sweeps,
                      "NAME=V1,V2,...: rate, pattern, pulse_timeout, packet_timeout, destination_delay, link_latency, "
                      "switch_latency, bandwidth, bit_error_rate, nodes, seed (repeat: every combination)")
      ->allow_extra_args(false);
  latency->add_option("--set", study.sets, "NAME=VALUE for every point (the same names, and warmup_us, sample_us, drain_us)")
      ->allow_extra_args(false);
  latency->add_option("-o,--output", study.output, "directory for study.csv and the plots (default latency_study)");
  latency->add_option("-j,--jobs", study.jobs, "points at once (default: one per core)");
  latency->add_flag("!--no-plots", study.plots, "write the CSV files only");

  sim::register_sim_scheme();
  CLI11_PARSE(app, argc, argv);
  try {
    if (*demo)
      run_and_report(apps::parse_experiment(apps::demo_experiment, "examples/demo.toml"), output, demo_trace, target);
    if (*run) {
      const std::string text = apps::read_input_file(file, "experiment file");
      if (apps::is_synfire_example(text))
        apps::run_synfire_example(apps::parse_synfire_example(text, file), std::cout);
      else
        run_and_report(apps::parse_experiment(text, file), output, run_trace, target);
    }
    if (*latency) return apps::run_latency_study(study, std::cout, std::cerr);
    if (*regress) {
      if (*seed_opt) regress_options.seed = regress_seed;
      if (*topology_opt) regress_options.topology = regress_topology;
      regress_options.waves_trigger = sim::parse_trace_trigger(waves_trigger);
      if (regress_options.waves_end <= regress_options.waves_start)
        throw CLI::ValidationError("--waves-end", fmt::format("must be after --waves-start ({} <= {})",
                                                              regress_options.waves_end, regress_options.waves_start));
      const bool waves_detail = regress_options.waves_trigger != sim::TraceTrigger::none || regress_options.waves_vcd ||
                                regress_options.waves_start != 0 || regress_options.waves_end != UINT64_MAX;
      if (waves_detail && regress_options.waves_dir.empty())
        throw CLI::ValidationError("--waves-on-fail", "--waves-trigger, --waves-vcd, --waves-start and --waves-end "
                                                      "shape the waveforms of --waves-on-fail DIR; give it");
      if (regress_options.paths.empty())
        regress_options.paths = {std::filesystem::is_directory("regressions") ? "regressions" : NMTWIN_REGRESSIONS_DIR};
      return apps::run_regressions(regress_options, std::cout, std::cerr);
    }
    if (*simcmd) {
      server.trace = sim_trace.options();
      install_stop_handlers();
      apps::run_sim_server(server, stop_requested, std::cout);
    }
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    fmt::print(stderr, "nmtwin: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
