// nmtwin demo: the built-in single-chip experiment (examples/demo.toml, compiled in).

#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "experiment/demo_experiment.hpp"

namespace nmtwin::cli {

Command add_demo(CLI::App& app) {
  auto args = std::make_shared<ExperimentArgs>();
  auto* cmd = app.add_subcommand("demo", "run the built-in single-chip experiment (examples/demo.toml)");
  cmd->add_option("-o,--output", args->output, "spike CSV path (default demo_spikes.csv)");
  args->add_to(*cmd);
  return {cmd, [args] {
            return run_and_report(apps::parse_experiment(apps::demo_experiment, "examples/demo.toml"), *args);
          }};
}

}  // namespace nmtwin::cli
