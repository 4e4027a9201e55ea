// The co-design check on the instruction-set model: the firmware kernel
// (build/firmware/rstdp.elf) runs on sim/ppu/iss with the behavioural chip behind its
// chip window, one instruction per cycle, after every presentation of the plasticity task;
// the host reference, fed the sensor and counter values the kernel copied into the
// mailbox, must give the weights read back from the chip, bit for bit, every trial.
#include <boost/test/unit_test.hpp>

#include <string>

#include "firmware/tests/iss_runner.hpp"
#include "kernel_mailbox.hpp"
#include "model_harness.hpp"
#include "rstdp/rstdp_mailbox.h"

using namespace nmtwin::plasticity;

namespace {

// The kernel on the ISS; the mailbox (and so the rule's state) persists between runs.
class IssKernel {
 public:
  explicit IssKernel(const TaskParams& p) : p_(p), image_(nmtwin::fw::load_elf(NMTWIN_FIRMWARE_DIR "/rstdp.elf")) {
    iss_.load(image_);
    const auto words = mailbox_setup(p);
    std::copy(words.begin(), words.end(), iss_.mailbox().begin());
  }

  // Runs the kernel from reset at cycle `now`; returns its exit code (console in console()).
  std::int64_t run(nmtwin::sim::ChipModel& chip, std::uint64_t now, unsigned pattern) {
    io_.systime = now;
    io_.exit_code.reset();
    io_.console.clear();
    fw_test::ChipWindow window(chip, io_.systime);
    iss_.attach(&io_, &window);
    iss_.mailbox()[RSTDP_PATTERN] = pattern;
    iss_.reset();
    for (std::uint64_t steps = 0; !iss_.halted() && steps < max_steps; ++steps)
      if (iss_.step()) ++io_.systime;
    BOOST_TEST_REQUIRE(iss_.halted(), "the kernel did not exit within " << max_steps << " instructions");
    BOOST_TEST_REQUIRE(!io_.fatal_cause, "the kernel trapped, mcause " << *io_.fatal_cause << "\n" << io_.console);
    cycles_ = io_.systime - now;
    return io_.exit_code ? std::int64_t{*io_.exit_code} : fw_test::kNone;
  }

  ModelKernel as_model_kernel() {
    return [this](nmtwin::sim::ChipModel& chip, std::uint64_t now, unsigned trial, unsigned pattern) {
      const auto code = run(chip, now, pattern);
      BOOST_TEST_REQUIRE(code == RSTDP_EXIT_OK, "trial " << trial << ": exit code " << code << "\n" << io_.console);
      last_ = read_report(iss_.mailbox(), p_, trial);
      return last_.record;
    };
  }

  const KernelReport& last() const { return last_; }
  std::uint64_t cycles() const { return cycles_; }
  const std::string& console() const { return io_.console; }
  std::vector<std::uint32_t>& mailbox() { return iss_.mailbox(); }

 private:
  static constexpr std::uint64_t max_steps = 200'000;
  TaskParams p_;
  nmtwin::fw::FirmwareImage image_;
  fw_test::Iss iss_;
  fw_test::PpuIo io_{iss_};
  KernelReport last_;
  std::uint64_t cycles_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(kernel_and_reference_agree_bit_for_bit_every_trial) {
  TaskParams p;
  p.trials = 120;
  IssKernel kernel(p);
  CoDesignCheck reference(p);
  unsigned checked = 0, lost = 0, changed_rows = 0;
  std::uint64_t longest = 0;
  Weights before = initial_weights(p);
  const auto run = run_on_chip_model(p, kernel.as_model_kernel(), [&](nmtwin::sim::ChipModel& chip, std::uint64_t now) {
    const Weights chip_weights = read_weights(chip, now, p);
    const std::string diff = reference.after_trial(kernel.last(), chip_weights);
    BOOST_TEST(diff.empty(), "trial " << kernel.last().record.trial << ": " << diff);
    ++checked;
    lost += kernel.last().record.reward < 0 ? 1 : 0;
    for (unsigned q = 0; q < outputs; ++q)
      for (unsigned r = 0; r < p.rows; ++r) changed_rows += chip_weights[q][r] != before[q][r] ? 1 : 0;
    before = chip_weights;
    longest = std::max(longest, kernel.cycles());
  });
  BOOST_TEST(checked == p.trials);
  // The check means something: weights moved both ways and some trials were lost.
  BOOST_TEST(changed_rows > p.trials);
  BOOST_TEST(lost > 0u);
  BOOST_TEST(run.weights == reference.weights());
  BOOST_TEST_MESSAGE("longest kernel run: " << longest << " cycles");
  BOOST_TEST(p.kernel_at + longest < p.period, "the kernel must finish before the next trial");
}

BOOST_AUTO_TEST_CASE(the_firmware_learns_the_task) {
  for (std::uint64_t seed : {1, 2, 3}) {
    TaskParams p;
    p.seed = seed;
    IssKernel kernel(p);
    const auto run = run_on_chip_model(p, kernel.as_model_kernel());
    const int reached = target_reached(run.records);
    BOOST_TEST_MESSAGE("seed " << seed << ": target reached at trial " << reached);
    BOOST_TEST(reached >= 0);
    BOOST_TEST(run.records.back().recent_correct >= 19u);
  }
}

BOOST_AUTO_TEST_CASE(an_unconfigured_or_misconfigured_mailbox_is_named) {
  TaskParams p;
  nmtwin::sim::ChipModel chip;
  IssKernel kernel(p);
  kernel.mailbox()[RSTDP_MAGIC] = 0;
  BOOST_TEST(kernel.run(chip, 10, 0) == RSTDP_EXIT_NOT_CONFIGURED);
  BOOST_TEST(kernel.console().find("MAGIC") != std::string::npos, kernel.console());
  kernel.mailbox()[RSTDP_MAGIC] = RSTDP_MAGIC_VALUE;
  kernel.mailbox()[RSTDP_ROWS] = 0;
  BOOST_TEST(kernel.run(chip, 100'000, 0) == RSTDP_EXIT_BAD_CONFIG);
  BOOST_TEST(kernel.console().find("ROWS = 0") != std::string::npos, kernel.console());
  kernel.mailbox()[RSTDP_ROWS] = p.rows;
  kernel.mailbox()[RSTDP_NEURON1] = 4;  // not in neuron 0's word
  BOOST_TEST(kernel.run(chip, 200'000, 0) == RSTDP_EXIT_BAD_CONFIG);
  BOOST_TEST(kernel.console().find("NEURON1 = 4") != std::string::npos, kernel.console());
  kernel.mailbox()[RSTDP_NEURON1] = p.neuron[1];
  kernel.mailbox()[RSTDP_PATTERN] = 2;
  BOOST_TEST(kernel.run(chip, 300'000, 2) == RSTDP_EXIT_BAD_CONFIG);
  BOOST_TEST(kernel.console().find("PATTERN = 2") != std::string::npos, kernel.console());
}
