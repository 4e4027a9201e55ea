// nmtwin regress: regression scenarios against the simulator or hardware
// (docs/regressions.md); the runner itself is regress/.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "cli/options.hpp"
#include "regress/regress.hpp"

namespace nmtwin::cli {

namespace {
struct RegressArgs {
  apps::RegressOptions options;
  std::uint64_t seed = 0;
  std::string topology;
  WaveArgs waves;
  CLI::Option* seed_opt = nullptr;
  CLI::Option* topology_opt = nullptr;
};
}  // namespace

Command add_regress(CLI::App& app) {
  auto args = std::make_shared<RegressArgs>();
  auto& o = args->options;
  o.paths.clear();
  auto* cmd = app.add_subcommand("regress", "run regression scenarios against the simulator or hardware "
                                            "(docs/regressions.md)");
  cmd->add_option("PATHS", o.paths, "scenario files or directories (default: regressions/ here, else the installed ones)");
  cmd->add_option("--tag", o.tags, "run the scenarios with this tag (repeat for several: any)")->allow_extra_args(false);
  add_target_option(*cmd, o.target, "; node i at PORT+2i, e.g. nmtwin sim --topology");
  cmd->add_option("-j,--jobs", o.jobs, "scenarios run at once (in-process only)")->check(CLI::Range(1, 64));
  args->seed_opt = cmd->add_option("--seed", args->seed, "replace every scenario's seed");
  cmd->add_option("--junit", o.junit, "write JUnit XML to FILE (for CI systems)");
  cmd->add_option("--waves-on-fail", o.waves_dir,
                  "run each failing scenario again with waveforms into DIR/SCENARIO/ (node FST, system VCD, .gtkw)");
  args->topology_opt = cmd->add_option("--topology", args->topology,
                                       "only the scenarios on this topology (\"single\": one FPGA without links)");
  cmd->add_flag("--list", o.list, "print the selected scenarios (name, topology, tags) and stop");
  args->waves.add_to(*cmd, "waves", "--waves-on-fail DIR");
  cmd->add_flag("--waves-vcd", o.waves_vcd, "node waveforms as VCD instead of FST");
  cmd->add_flag("--update-golden", o.update_golden, "write the golden files anew from this run (after a reviewed change)");
  return {cmd, [args] {
            auto& o = args->options;
            if (*args->seed_opt) o.seed = args->seed;
            if (*args->topology_opt) o.topology = args->topology;
            o.waves = args->waves.get(!o.waves_dir.empty());
            if (o.waves_vcd && o.waves_dir.empty())
              throw CLI::ValidationError("--waves-on-fail DIR", "--waves-vcd shapes its waveforms; give it");
            if (o.paths.empty())
              o.paths = {std::filesystem::is_directory("regressions") ? "regressions" : data_path("regressions")};
            return apps::run_regressions(o, std::cout, std::cerr);
          }};
}

}  // namespace nmtwin::cli
