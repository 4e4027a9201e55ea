#pragma once
// The subcommands of `nmtwin`, one file each (cli/cmd_*.cpp).  Each adds itself to the
// application and gives back what runs when it is chosen; main() only dispatches.

#include <CLI/CLI.hpp>

#include <functional>

namespace nmtwin::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  ///< the exit code
};

Command add_demo(CLI::App& app);
Command add_run(CLI::App& app);
Command add_sim(CLI::App& app);
Command add_regress(CLI::App& app);
Command add_study(CLI::App& app);
Command add_fw(CLI::App& app);
Command add_health(CLI::App& app);

}  // namespace nmtwin::cli
