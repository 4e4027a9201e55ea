// The health firmware on the twin itself (the Verilated processor behind the chip model):
// healthy, then with stuck weight bits and a dead neuron injected through the simulation-only
// fault registers (one run: health takes some 4.4 M cycles); each fault named in the
// mailbox and on the console.
//
// usage: test_health -- FIRMWARE_DIR
#include <boost/test/unit_test.hpp>

#include <string>

#include "firmware/programs/health/health_result.h"
#include "nmtwin/elf.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace chip = nmtwin::spec::chip;
namespace fw = nmtwin::fw;

namespace {

std::string firmware_dir() {
  const auto& args = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(args.argc == 2, "usage: test_health -- FIRMWARE_DIR");
  return args.argv[1];
}

struct Outcome {
  fw::Result result;
  std::string console;
};

// Health on a fresh twin after `faults` (fault register writes) are applied.
Outcome run_health(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& faults) {
  nmtwin::sim::Simulation simulation;
  nmtwin::sim::InProcessConnection connection(simulation);
  if (!faults.empty()) {
    nmtwin::hostlink::Program p;
    for (const auto& [field, value] : faults) p.write(chip::bus_addr(chip::fault::addr(0, field)), value);
    connection.run(p);
  }
  const auto image = fw::load_elf(firmware_dir() + "/health.elf");
  fw::RunOptions options;
  options.name = "health.elf";
  Outcome out;
  out.result = fw::run(connection, image, options, [&](std::string_view text) { out.console += text; });
  return out;
}

std::uint32_t word(const fw::Result& r, std::size_t i) { return r.mailbox.at(i); }

}  // namespace

BOOST_AUTO_TEST_CASE(a_healthy_twin_passes) {
  const auto out = run_health({});
  BOOST_TEST(out.result.exit_code == 0u, out.console);
  BOOST_TEST(word(out.result, 0) == NMTWIN_HEALTH_MAGIC);
  BOOST_TEST(word(out.result, 2) == NMTWIN_HEALTH_HEALTHY);
  BOOST_TEST(word(out.result, 3) == 0u);
  BOOST_TEST(out.console.find("health: healthy") != std::string::npos, out.console);
}

BOOST_AUTO_TEST_CASE(stuck_weight_bits_and_a_dead_neuron_are_named) {
  // Row 3, neuron 17: bit 0 stuck at 1, bit 2 stuck at 0; neuron 42 never spikes.
  const auto out = run_health({{chip::fault::stuck_synapse, 3 * chip::neurons + 17},
                               {chip::fault::stuck_mask, 0b101},
                               {chip::fault::stuck_value, 0b001},
                               {chip::fault::dead_neuron, 42},
                               {chip::fault::dead_enable, 1}});
  BOOST_TEST(out.result.exit_code == 3u, out.console);
  BOOST_TEST(word(out.result, 2) == NMTWIN_HEALTH_FAULTY);
  BOOST_TEST(word(out.result, 3) == 3u);
  BOOST_TEST(out.console.find("stuck-at-1 synapse row 3 neuron 17 bit 0") != std::string::npos, out.console);
  BOOST_TEST(out.console.find("stuck-at-0 synapse row 3 neuron 17 bit 2") != std::string::npos, out.console);
  BOOST_TEST(out.console.find("dead neuron 42") != std::string::npos, out.console);
  // The fault table from word 8 on, 3 words an entry: kind, bit and row in the first word,
  // the neuron in the second. Synapse faults come first (the memory test runs first).
  BOOST_TEST((word(out.result, 8) >> 16) == 3u);
  BOOST_TEST((word(out.result, 9) & 0xFFFFu) == 17u);
  BOOST_TEST((word(out.result, 14) & 0xFFu) == NMTWIN_HEALTH_DEAD_NEURON);
  BOOST_TEST((word(out.result, 15) & 0xFFFFu) == 42u);
}
