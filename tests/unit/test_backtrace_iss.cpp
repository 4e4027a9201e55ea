// The host's trap backtrace (hostlink/fw/backtrace.cpp) on the real crash program: run on
// the instruction-set model to its fatal trap, the data memory it leaves gives
// crash_inner <- crash_outer <- main. The trap PC is taken from the runtime's
// nmtwin_fatal_frame pointer, independent of how the backtrace finds the frame.
#include <boost/test/unit_test.hpp>

#include <span>

#include "firmware/tests/iss_runner.hpp"
#include "hostlink/fw/trap_frame.hpp"
#include "nmtwin/spec.hpp"

namespace fw = nmtwin::fw;
namespace ppu = nmtwin::spec::ppu;

BOOST_AUTO_TEST_CASE(crash_gives_inner_outer_main) {
  const auto image = fw::load_elf(std::string(NMTWIN_FIRMWARE_DIR) + "/crash.elf");
  const auto run = fw_test::run("crash", 1'000'000);
  BOOST_TEST_REQUIRE(run.fatal_cause == 2);  // illegal instruction, reported by the runtime
  const auto pointer = image.find_symbol("nmtwin_fatal_frame");
  BOOST_TEST_REQUIRE(pointer.has_value());
  const std::uint32_t frame = run.dmem.at((pointer->address - ppu::dmem_base) / 4);
  const std::uint32_t pc = run.dmem.at((frame - ppu::dmem_base) / 4 + fw::frame_mepc);
  const auto stack = std::span(run.dmem).last(fw::stack_read_words);
  bool found = false;
  const auto frames = fw::backtrace(image, pc, 2, stack, found);
  BOOST_TEST(found);
  BOOST_TEST_REQUIRE(frames.size() >= 3u);
  BOOST_TEST(frames[0].starts_with("crash_inner+"), frames[0]);
  BOOST_TEST(frames[1].starts_with("crash_outer+"), frames[1]);
  BOOST_TEST(frames[2].starts_with("main+"), frames[2]);
  for (const auto& f : frames) BOOST_TEST_MESSAGE(f);
  bool wrong_cause = true;
  BOOST_TEST(fw::backtrace(image, pc, 5, stack, wrong_cause).size() == 1u);  // no frame of that trap: the PC alone
  BOOST_TEST(!wrong_cause);
}
