// Same inputs -> byte-identical spike CSV and waveforms.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiment/demo_experiment.hpp"
#include "experiment/experiment.hpp"
#include "experiment/runner.hpp"

namespace fs = std::filesystem;
using namespace nmtwin;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("nmtwin-determinism-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

// Runs the demo with a waveform of cycles [start, end) and returns (csv, waveform) bytes.
std::pair<std::string, std::string> run_demo(const fs::path& dir, const std::string& tag, const std::string& ext) {
  auto e = apps::parse_experiment(apps::demo_experiment, "demo");
  e.output = (dir / (tag + ".csv")).string();
  apps::RunOptions options;
  options.trace = (dir / (tag + ext)).string();
  options.waves.start = 1000;
  options.waves.end = 9000;
  const auto result = apps::run_experiment(e, options);
  apps::write_spike_csv(e.output, result);
  return {slurp(e.output), slurp(options.trace)};
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_runs_give_identical_csv_and_fst) {
  TempDir tmp;
  const auto a = run_demo(tmp.path, "a", ".fst");
  const auto b = run_demo(tmp.path, "b", ".fst");
  BOOST_TEST(a.first.size() > 100u);  // the demo produces spikes
  BOOST_TEST(a.first == b.first);
  BOOST_TEST(a.second.size() > 1000u);
  BOOST_TEST(a.second == b.second);
}

BOOST_AUTO_TEST_CASE(two_runs_give_identical_vcd) {
  TempDir tmp;
  const auto a = run_demo(tmp.path, "a", ".vcd");
  const auto b = run_demo(tmp.path, "b", ".vcd");
  BOOST_TEST(a.second.find("$enddefinitions") != std::string::npos);
  BOOST_TEST(a.second == b.second);
  // The window starts at cycle 1000: 8000 ps per cycle.
  BOOST_TEST(a.second.find("#8000000") != std::string::npos);
}
