// The regression runner's costs: the smoke set's wall time (in-process, as
// `nmtwin regress --tag smoke` runs it, without the process start), and the tracing
// slowdown: the same scenario with and without waveforms (every node's FST plus the
// system VCD, as --waves-on-fail writes them).  A waveform's window is stepped cycle by
// cycle, so the slowdown is taken against the untraced run stepped as well (warp off:
// what writing the waveform costs a cycle); the untraced run with warp, the default, is
// printed beside it.  Prints figures only.
//
// usage: bench_regress [REGRESSIONS_DIR] [SCENARIO for the tracing figure, default timed_spikes]

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include "bench/report.hpp"
#include "experiment/scenario.hpp"
#include "regress/scenario_run.hpp"

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {
double seconds(const std::function<void()>& body) {
  const auto t0 = Clock::now();
  body();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// In-process, as `nmtwin regress` runs it; with waveforms into `waves_dir` when given.
nmtwin::apps::ScenarioRun run_of(const nmtwin::apps::Scenario& s, const std::string& waves_dir = {}) {
  nmtwin::apps::ScenarioRun how;
  how.seed = s.seed;
  how.waves_dir = waves_dir;
  return how;
}
}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : NMTWIN_REGRESSIONS_DIR;
  const std::string traced_name = argc > 2 ? argv[2] : "timed_spikes";
  const auto scenarios = nmtwin::apps::load_scenarios({dir});
  std::size_t smoke = 0;
  double smoke_s = 0;
  for (const auto& s : scenarios)
    if (s.has_tag("smoke")) {
      smoke_s += seconds([&] { nmtwin::apps::run_scenario(s, run_of(s)); });
      ++smoke;
    }
  fmt::print("smoke set: {} scenarios in {:.2f} s wall time (in-process, one at a time)\n", smoke, smoke_s);
  nmtwin::bench::Report report("bench_regress");
  report.add(fmt::format("smoke set ({} scenarios)", smoke), smoke_s, "s", "lower");

  const nmtwin::apps::Scenario* traced = nullptr;
  for (const auto& s : scenarios)
    if (s.name == traced_name) traced = &s;
  if (!traced) {
    fmt::print(stderr, "bench_regress: no scenario '{}' in {}\n", traced_name, dir);
    return 1;
  }
  const auto waves = fs::temp_directory_path() / "nmtwin_bench_regress";
  // Best of 10: the untraced run lasts milliseconds, and on a virtual machine a single
  // one of them may take twice as long (best of 3 gave 5.5 or 9.5 ms from run to run).
  constexpr int rounds = 10;
  double plain = 1e9, stepped = 1e9, with_waves = 1e9;
  for (int round = 0; round < rounds; ++round) {
    plain = std::min(plain, seconds([&] { nmtwin::apps::run_scenario(*traced, run_of(*traced)); }));
    setenv("NMTWIN_NO_WARP", "1", 1);  // what --no-warp does
    stepped = std::min(stepped, seconds([&] { nmtwin::apps::run_scenario(*traced, run_of(*traced)); }));
    unsetenv("NMTWIN_NO_WARP");
    with_waves = std::min(with_waves, seconds([&] {
      nmtwin::apps::run_scenario(*traced, run_of(*traced, waves.string()));
    }));
  }
  std::uintmax_t bytes = 0;
  for (const auto& e : fs::directory_iterator(waves)) bytes += e.file_size();
  fmt::print("scenario {}: {:.4f} s untraced ({:.4f} s stepped, --no-warp), {:.3f} s with waveforms (FST per node + "
             "system VCD, {:.1f} MB): slowdown {:.1f}x against stepped, {:.0f}x against warp (best of {})\n",
             traced->name, plain, stepped, with_waves, static_cast<double>(bytes) / 1e6, with_waves / stepped,
             with_waves / plain, rounds);
  report.add(fmt::format("scenario {} untraced", traced->name), plain, "s", "lower");
  report.add(fmt::format("scenario {} untraced, stepped", traced->name), stepped, "s", "lower");
  report.add(fmt::format("scenario {} with waveforms", traced->name), with_waves, "s", "lower");
  report.add("tracing slowdown", with_waves / stepped, "x", "lower");  // against stepped, as before warp existed
  report.add("tracing slowdown against warp", with_waves / plain, "x", "lower");
  fs::remove_all(waves);
  return 0;
}
