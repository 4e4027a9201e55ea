// nmtwin: the one command-line tool; each subcommand lives in cli/cmd_NAME.cpp.

#include <fmt/format.h>

#include <exception>

#include "cli/commands.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"

int main(int argc, char** argv) {
  using namespace nmtwin;
  CLI::App app{"nmtwin: pre-silicon twin of an accelerated neuromorphic multi-chip system"};
  app.set_version_flag("--version", std::string(spec::version));
  app.require_subcommand(1);
  bool no_warp = false;
  app.add_flag("--no-warp", no_warp,
               "Step every simulated cycle instead of warping through idle stretches (results are identical; "
               "for comparisons and for measuring the stepped speed). Same as NMTWIN_NO_WARP=1 in the environment");
  app.fallthrough();  // --no-warp also after the subcommand
  const cli::Command commands[] = {cli::add_demo(app), cli::add_run(app), cli::add_sim(app), cli::add_regress(app),
                                   cli::add_study(app), cli::add_fw(app), cli::add_health(app)};

  sim::register_sim_scheme();
  CLI11_PARSE(app, argc, argv);
  if (no_warp) setenv("NMTWIN_NO_WARP", "1", 1);  // read by every simulation, inherited by the processes it starts
  try {
    for (const auto& command : commands)
      if (*command.app) return command.run();
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    fmt::print(stderr, "nmtwin: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
