// The firmware programs on the instruction-set model: hello, selftest, crash and
// putchar_flood run to their end through the runtime (iss_runner.hpp).
#define BOOST_TEST_MODULE firmware_iss
#include <boost/test/unit_test.hpp>

#include "firmware/tests/iss_runner.hpp"

using namespace fw_test;

BOOST_AUTO_TEST_CASE(hello_prints_and_exits_0) {
  const Run r = run("hello", 100'000);
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.console.find("hello from the nmtwin PPU at systime ") == 0u, r.console);
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
}

BOOST_AUTO_TEST_CASE(putchar_flood_prints_10000_bytes) {
  const Run r = run("putchar_flood", 2'000'000);
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.console.size() == 10'000u);
}
