// The firmware programs on the instruction-set model (iss_runner.hpp): hello, selftest,
// crash and putchar_flood run to their end through the runtime; spin and sleeper do not.
#include <boost/test/unit_test.hpp>

#include "firmware/tests/iss_runner.hpp"

using namespace fw_test;

BOOST_AUTO_TEST_CASE(hello_prints_and_exits_0) {
  const Run r = run("hello", 100'000);
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.console.find("hello from the nmtwin PPU at systime ") == 0u, r.console);
  BOOST_TEST(r.console.find("\nprintf: -42 7 4000000000 beef BEEF 0x00020000 str c % [  -12] [34   ] [-0056] [ ab] "
                            "-2147483648 -9000000000000000000 123456789abcdef\n") != std::string::npos,
             r.console);
}

BOOST_AUTO_TEST_CASE(selftest_passes_every_check) {
  const Run r = run("selftest", 2'000'000);
  BOOST_TEST(r.fatal_cause == kNone, "fatal trap, mcause " << r.fatal_cause << "\n" << r.console);
  BOOST_TEST(r.exit_code == 0, r.console);
  BOOST_TEST(r.console.find("FAIL") == std::string::npos, r.console);
  BOOST_TEST(r.console.find("selftest: ") != std::string::npos, r.console);
}

BOOST_AUTO_TEST_CASE(crash_reports_the_illegal_instruction_as_fatal) {
  const Run r = run("crash", 100'000);
  BOOST_TEST(r.fatal_cause == 2);
  BOOST_TEST(r.exit_code == kNone);
  BOOST_TEST(r.console.find("crash: illegal instruction at depth 2") == 0u, r.console);
  // The backtrace from the stack alone (fw.h, nmtwin_fatal_frame): mepc, then the s0 chain.
  const auto image = nmtwin::fw::load_elf(std::string(NMTWIN_FIRMWARE_DIR) + "/crash.elf");
  const auto word = [&](std::uint32_t address) { return r.dmem.at((address - nmtwin::fw::dmem_base) / 4); };
  const auto frame_symbol = image.find_symbol("nmtwin_fatal_frame");
  BOOST_TEST_REQUIRE(frame_symbol.has_value());
  const std::uint32_t frame = word(frame_symbol->address);
  const std::uint32_t mepc = word(frame + 128), s0 = word(frame + 8 * 4);
  BOOST_TEST(image.symbolize(mepc).rfind("crash_inner+", 0) == 0u, image.symbolize(mepc));
  const std::uint32_t outer = word(s0 - 4), outer_s0 = word(s0 - 8);
  BOOST_TEST(image.symbolize(outer).rfind("crash_outer+", 0) == 0u, image.symbolize(outer));
  const std::uint32_t in_main = word(outer_s0 - 4);
  BOOST_TEST(image.symbolize(in_main).rfind("main+", 0) == 0u, image.symbolize(in_main));
}

BOOST_AUTO_TEST_CASE(putchar_flood_prints_10000_bytes) {
  const Run r = run("putchar_flood", 2'000'000);
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.console.size() == 10'000u);
}

BOOST_AUTO_TEST_CASE(spin_never_ends) {
  const Run r = run("spin", 200'000);
  BOOST_TEST(r.steps == 200'000u);
  BOOST_TEST(r.exit_code == kNone);
  BOOST_TEST(!r.asleep_for_good);
  BOOST_TEST(r.console == "spin: looping forever\n");
}

BOOST_AUTO_TEST_CASE(sleeper_sleeps_with_nothing_to_wake_it) {
  const Run r = run("sleeper", 200'000);
  BOOST_TEST(r.asleep_for_good);
  BOOST_TEST(r.exit_code == kNone);
  BOOST_TEST(r.console == "sleeper: sleeping forever\n");
}
