// nmtwin run FILE: an experiment file, or the synfire example (docs/experiments.md).

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "experiment/ranks.hpp"
#include "experiment/synfire.hpp"

namespace nmtwin::cli {

Command add_run(CLI::App& app) {
  auto args = std::make_shared<ExperimentArgs>();
  auto file = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("run", "run an experiment file (see docs/experiments.md)");
  cmd->add_option("FILE", *file, "experiment file (TOML)")->required();
  cmd->add_option("-o,--output", args->output, "spike CSV path (default: [experiment] output)");
  args->add_to(*cmd);
  return {cmd, [args, file] {
            const std::string text = apps::read_input_file(*file, "experiment file");
            if (!apps::is_synfire_example(text)) {
              if (apps::rank_count() > 1)
                throw apps::InputError(fmt::format(
                    "{}: an experiment file runs on one FPGA, which cannot be split over the {} ranks of this run; "
                    "run it without mpirun (a system of several FPGAs, such as the synfire example, can be split)",
                    *file, apps::rank_count()));
              return run_and_report(apps::parse_experiment(text, *file), *args);
            }
            apps::run_synfire_example(apps::parse_synfire_example(text, *file), std::cout);
            return 0;
          }};
}

}  // namespace nmtwin::cli
