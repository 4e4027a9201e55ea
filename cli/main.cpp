// nmtwin: the one command-line tool; each subcommand lives in cli/cmd_NAME.cpp.

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "dist/comm.hpp"
#include "experiment/ranks.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"

namespace {

// Under mpirun (docs/scaleout.md): every rank runs the same command on its share of the
// system; rank 0 alone prints and writes. An error on any rank ends the whole job, named.
int run_command(int argc, char** argv) {
  using namespace nmtwin;
  std::unique_ptr<dist::Comm> ranks;
  try {
    ranks = dist::make_comm(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "nmtwin: error: {}\n", e.what());
    return 1;
  }
  const bool split = ranks->size() > 1;
  CLI::App app{"nmtwin: pre-silicon twin of an accelerated neuromorphic multi-chip system"};
  app.set_version_flag("--version", std::string(spec::version));
  app.require_subcommand(1);
  bool no_warp = false;
  app.add_flag("--no-warp", no_warp,
               "Step every simulated cycle instead of warping through idle stretches (results are identical; "
               "for comparisons and for measuring the stepped speed). Same as NMTWIN_NO_WARP=1 in the environment");
  std::string partitioner;
  app.add_option("--partition", partitioner,
                 "Under mpirun: how the system is split over the ranks, contiguous (blocks of nodes in order), "
                 "locality (short links kept inside a rank) or scattered (a fixed shuffle: the most links cut, for "
                 "tests); default: the topology's [partition] map, else contiguous (docs/scaleout.md)")
      ->check(CLI::IsMember({"contiguous", "locality", "scattered"}));
  std::uint64_t quantum = 0;
  app.add_option("--quantum", quantum,
                 "Under mpirun: the cycles between two exchanges of the ranks, at most the smallest link latency "
                 "(default: the topology's quantum); results are the same for any (docs/scaleout.md)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000}));
  app.fallthrough();  // --no-warp also after the subcommand
  const cli::Command commands[] = {cli::add_demo(app), cli::add_run(app), cli::add_sim(app), cli::add_regress(app),
                                   cli::add_study(app), cli::add_fw(app), cli::add_health(app)};

  sim::register_sim_scheme();
  if (split && ranks->rank() != 0) std::freopen("/dev/null", "w", stdout);  // rank 0 prints for all
  CLI11_PARSE(app, argc, argv);
  if (no_warp) setenv("NMTWIN_NO_WARP", "1", 1);  // read by every simulation, inherited by the processes it starts
  try {
    if (split) {
      std::string command_line = std::string(spec::version);
      for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
      dist::check_agreement(*ranks, "the nmtwin version and command line", command_line);
      apps::run_on_ranks(*ranks, extoll::parse_partitioner(partitioner),
                         quantum ? std::optional<std::uint64_t>(quantum) : std::nullopt);
      // The commands whose systems are split so far (docs/scaleout.md); the others would
      // run whole on every rank and write the same files at once.
      for (const auto& command : commands)
        if (*command.app && command.app->get_name() != "run" && command.app->get_name() != "study" &&
            command.app->get_name() != "regress" && command.app->get_name() != "sim")
          throw std::invalid_argument(fmt::format(
              "`nmtwin {}` runs in one process only; run it without mpirun (docs/scaleout.md lists what runs "
              "over MPI ranks: `nmtwin run` of a multi-chip example, `nmtwin study latency`, `nmtwin regress`, `nmtwin sim`)",
              command.app->get_name()));
    }
    if (!split && quantum)
      throw std::invalid_argument(fmt::format(
          "--quantum {}: the quantum of a run split over MPI ranks; this run is one process (its quantum is the "
          "topology's): leave it out, or start the run with mpirun",
          quantum));
    for (const auto& command : commands)
      if (*command.app) return command.run();
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    if (split) {
      // Most errors here (input files, options) are found by every rank alike, and the
      // first rank to abort ends the others, message printed or not: rank 0 goes first.
      if (ranks->rank() != 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ranks->abort(fmt::format("error: {}", e.what()), 1);
    }
    fmt::print(stderr, "nmtwin: error: {}\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return run_command(argc, argv); }
