// fuzz_files: the input files of the command line, through the functions it uses on them
// (experiment/experiment.cpp, scenario.cpp, topology_file.cpp, toml_reader.cpp):
//   first byte % 4 == 0: an experiment file (parse_experiment, then build_program, as
//                        `nmtwin run` does before it runs);
//                     1: a regression scenario (parse_scenario, as `nmtwin regress`);
//                     2: a golden file (parse_golden, then golden_text/parse_golden again);
//                     3: a topology file (parse_topology, then simulation_config, as
//                        `nmtwin sim --topology` and `nmtwin run`).
// The rest of the input is the file's text. Files it names (topologies, ELFs) are looked
// up beside fuzz/corpus/fuzz_files (the working directory of the CTest replay), so names
// that exist there load and all others give their InputError.
// Expected outcome: InputError (file:line and the fix). Findings: any other exception,
// a sanitizer report, a golden file that does not read back as it was written.
#include <cstdint>
#include <string>
#include <string_view>

#include "experiment/experiment.hpp"
#include "experiment/scenario.hpp"
#include "experiment/toml_reader.hpp"
#include "experiment/topology_file.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

using namespace nmtwin;
using namespace nmtwin::apps;

void golden(std::string_view text) {
  const Outcome outcome = parse_golden(text, "fuzz.golden");
  // What parse_golden accepted reads back from the text golden_text writes for it.
  Scenario scenario;
  scenario.path = "fuzz.toml";
  const std::string written = golden_text(scenario, outcome);
  if (!(parse_golden(written, "fuzz.golden") == outcome)) fuzz::finding("golden_text/parse_golden do not round-trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 4) {
      case 0: {
        const Experiment experiment = parse_experiment(text, "fuzz.toml");
        (void)build_program(experiment);
        break;
      }
      case 1:
        (void)parse_scenario(text, "fuzz.toml");
        break;
      case 2:
        golden(text);
        break;
      default: {
        const auto topology = parse_topology(text, "fuzz.toml");
        const auto config = simulation_config(topology);
        if (topology.partition) (void)mapped_partition(topology, config.network);  // its [partition] map
        break;
      }
    }
  } catch (const InputError&) {
    // a bad file, named with its line and the fix: expected
  }
  return 0;
}
