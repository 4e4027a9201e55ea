// `health` on the instruction-set model with the behavioural chip behind the chip window:
// healthy, with stuck weight bits, with a dead neuron; the mailbox result (health_result.h)
// and the console name each fault.
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "firmware/programs/health/health_result.h"
#include "firmware/tests/iss_runner.hpp"
#include "sim/chip/tests/chip_test_helpers.hpp"

using namespace fw_test;
using chip_test::ChipModel;
namespace chip = chip_test::chip;

namespace {

nmtwin_health_result decode(const Run& r) {
  nmtwin_health_result h{};
  BOOST_TEST_REQUIRE(r.mailbox.size() * 4 >= sizeof h);
  std::memcpy(&h, r.mailbox.data(), sizeof h);
  BOOST_TEST(h.magic == NMTWIN_HEALTH_MAGIC);
  BOOST_TEST(h.version == NMTWIN_HEALTH_VERSION);
  BOOST_TEST(h.recorded == std::min<std::uint32_t>(h.num_faults, NMTWIN_HEALTH_MAX_FAULTS));
  return h;
}

Run run_health(ChipModel& chip) {
  const Run r = run("health", 20'000'000, &chip);
  BOOST_TEST(r.fatal_cause == kNone, "fatal trap, mcause " << r.fatal_cause << "\n" << r.console);
  return r;
}

void set_fault(ChipModel& chip, std::uint32_t field, std::uint32_t value) {
  BOOST_TEST_REQUIRE(chip_test::write(chip, chip::fault::addr(0, field), value).error == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(healthy_chip_passes) {
  ChipModel chip;
  const Run r = run_health(chip);
  BOOST_TEST(r.exit_code == 0, r.console);
  const auto h = decode(r);
  BOOST_TEST(h.status == NMTWIN_HEALTH_HEALTHY);
  BOOST_TEST(h.num_faults == 0u);
  BOOST_TEST(h.march_cycles > 0u);
  BOOST_TEST(r.console.find("health: healthy") != std::string::npos, r.console);
}

BOOST_AUTO_TEST_CASE(stuck_weight_bits_are_named) {
  ChipModel chip;
  set_fault(chip, chip::fault::stuck_synapse, 3 * 512 + 17);
  set_fault(chip, chip::fault::stuck_mask, 0b000101);
  set_fault(chip, chip::fault::stuck_value, 0b000001);
  const Run r = run_health(chip);
  BOOST_TEST(r.exit_code == 2, r.console);
  const auto h = decode(r);
  BOOST_TEST(h.status == NMTWIN_HEALTH_FAULTY);
  BOOST_TEST_REQUIRE(h.recorded == 2u);
  for (const auto& f : {h.faults[0], h.faults[1]}) {
    BOOST_TEST(f.row == 3u);
    BOOST_TEST(f.neuron == 17u);
    BOOST_TEST((f.bit == 0 ? f.kind == NMTWIN_HEALTH_STUCK_AT_1 : f.bit == 2 && f.kind == NMTWIN_HEALTH_STUCK_AT_0));
  }
  BOOST_TEST(r.console.find("health: fault: stuck-at-1 synapse row 3 neuron 17 bit 0") != std::string::npos, r.console);
  BOOST_TEST(r.console.find("health: fault: stuck-at-0 synapse row 3 neuron 17 bit 2") != std::string::npos, r.console);
}

BOOST_AUTO_TEST_CASE(dead_neuron_is_named) {
  ChipModel chip;
  set_fault(chip, chip::fault::dead_enable, 1);
  set_fault(chip, chip::fault::dead_neuron, 42);
  const Run r = run_health(chip);
  BOOST_TEST(r.exit_code == 1, r.console);
  const auto h = decode(r);
  BOOST_TEST_REQUIRE(h.recorded == 1u);
  BOOST_TEST(h.faults[0].kind == NMTWIN_HEALTH_DEAD_NEURON);
  BOOST_TEST(h.faults[0].neuron == 42u);
  BOOST_TEST(r.console.find("health: fault: dead neuron 42") != std::string::npos, r.console);
}
