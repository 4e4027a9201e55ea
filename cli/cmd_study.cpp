// nmtwin study latency: chip-to-chip latency over a simulated network (docs/latency.md).

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "study/latency_study.hpp"

namespace nmtwin::cli {

Command add_study(CLI::App& app) {
  auto study = std::make_shared<apps::StudyOptions>();
  auto* cmd = app.add_subcommand("study", "latency studies over a simulated network (docs/latency.md)");
  cmd->require_subcommand(1);
  auto* latency = cmd->add_subcommand("latency", "sweep traffic and network parameters, measure chip-to-chip latency");
  latency->add_option("--topology", study->base.topology, "topology file or pair, ringN, torusXxYxZ (default ring8)");
  latency->add_option("--sweep", study->sweeps,
                      "NAME=V1,V2,...: rate, pattern, pulse_timeout, packet_timeout, destination_delay, link_latency, "
                      "switch_latency, bandwidth, bit_error_rate, nodes, seed (repeat: every combination)")
      ->allow_extra_args(false);
  latency->add_option("--set", study->sets, "NAME=VALUE for every point (the same names, and warmup_us, sample_us, drain_us)")
      ->allow_extra_args(false);
  latency->add_option("-o,--output", study->output, "directory for study.csv and the plots (default latency_study)");
  latency->add_option("-j,--jobs", study->jobs, "points at once (default: one per core)");
  latency->add_flag("!--no-plots", study->plots, "write the CSV files only");
  return {cmd, [study, latency] { return *latency ? apps::run_latency_study(*study, std::cout, std::cerr) : 0; }};
}

}  // namespace nmtwin::cli
