// fw::run on the real firmware binaries, the processor being the instruction-set model
// behind the ppu_* registers (iss_ppu.hpp): what nmtwin fw reports for hello, a trap, a
// runaway kernel and one that never returns, and that the next program runs after each.
#include <boost/test/unit_test.hpp>

#include "experiment/experiment.hpp"
#include "nmtwin/firmware.hpp"
#include "tests/unit/iss_ppu.hpp"

namespace fw = nmtwin::fw;
using nmtwin::hostlink::test::FakeFpga;

namespace {

fw::FirmwareImage elf(const std::string& name) {
  return fw::load_elf(std::string(NMTWIN_FIRMWARE_DIR) + "/" + name + ".elf");
}

struct Twin {
  FakeFpga fpga;
  fw::test::IssPpu ppu{fpga};
};

fw::RunOptions options(const std::string& name) {
  fw::RunOptions o;
  o.name = name + ".elf";
  o.max_cycles = 2'000'000;
  o.mailbox_words = 4;
  return o;
}

fw::FirmwareError failure_of(Twin& twin, const std::string& name, const fw::RunOptions& o) {
  try {
    fw::run(twin.fpga, elf(name), o);
  } catch (const fw::FirmwareError& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e;
  }
  BOOST_FAIL(name << " ran without a FirmwareError");
  throw std::logic_error("unreachable");
}

bool says(const std::exception& e, const std::string& part) {
  return std::string(e.what()).find(part) != std::string::npos;
}

void hello_runs(Twin& twin) {
  const auto r = fw::run(twin.fpga, elf("hello"), options("hello"));
  BOOST_TEST(r.exited);
  BOOST_TEST(r.exit_code == 0u);
  BOOST_TEST(r.console.starts_with("hello from the nmtwin PPU at systime "), r.console);
  BOOST_TEST(r.instret > 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(hello_prints_and_exits_0) {
  Twin twin;
  std::string streamed;
  auto o = options("hello");
  o.mailbox = {{2, 77}};
  const auto r = fw::run(twin.fpga, elf("hello"), o, [&](std::string_view s) { streamed += s; });
  BOOST_TEST(r.exit_code == 0u);
  BOOST_TEST(streamed == r.console);
  BOOST_TEST(r.mailbox.at(2) == 77u);
}

BOOST_AUTO_TEST_CASE(a_trap_names_cause_pc_function_instruction_and_backtrace) {
  Twin twin;
  const auto e = failure_of(twin, "crash", options("crash"));
  BOOST_TEST((e.failure() == fw::Failure::trap));
  BOOST_TEST(says(e, "firmware crash.elf on fake:fpga0: illegal instruction (mcause 0x2) at pc 0x"));
  BOOST_TEST(says(e, " in crash_inner+0x"));
  BOOST_TEST(says(e, "instruction 0x00000000 ("));
  BOOST_TEST(says(e, "crash: illegal instruction at depth 2"));
  BOOST_TEST_REQUIRE(e.backtrace().size() >= 3u);
  BOOST_TEST(e.backtrace()[0].starts_with("crash_inner+"));
  BOOST_TEST(e.backtrace()[1].starts_with("crash_outer+"));
  BOOST_TEST(e.backtrace()[2].starts_with("main+"));
  hello_runs(twin);
}

BOOST_AUTO_TEST_CASE(a_runaway_kernel_is_stopped_by_the_watchdog) {
  Twin twin;
  auto o = options("spin");
  o.watchdog_cycles = 20'000;
  const auto e = failure_of(twin, "spin", o);
  BOOST_TEST((e.failure() == fw::Failure::watchdog));
  BOOST_TEST(says(e, "watchdog expired after 20000 cycles at pc 0x"));
  BOOST_TEST(says(e, " in main"));
  BOOST_TEST(says(e, "spin: looping forever"));
  hello_runs(twin);
}

BOOST_AUTO_TEST_CASE(a_kernel_that_never_returns_is_held_after_max_cycles) {
  Twin twin;
  auto o = options("sleeper");
  o.max_cycles = 200'000;
  const auto e = failure_of(twin, "sleeper", o);
  BOOST_TEST((e.failure() == fw::Failure::timeout));
  BOOST_TEST(says(e, "did not finish within 200000 cycles (asleep in wfi"));
  BOOST_TEST(says(e, "sleeper: sleeping forever"));
  hello_runs(twin);
}

// The [firmware] table's program (experiment/experiment.cpp) on the same processor.
namespace {

nmtwin::apps::FirmwareOutcome run_table(Twin& twin, const std::string& table,
                                        std::vector<std::uint32_t>* reads = nullptr) {
  const auto e = nmtwin::apps::parse_experiment("[experiment]\nduration_us = 3000\n[firmware]\n" + table, "exp.toml");
  auto built = nmtwin::apps::build_program(e);
  twin.fpga.run(built.program);
  if (reads)
    for (const auto& t : built.reads) reads->push_back(t.value());
  return nmtwin::apps::firmware_outcome(*e.firmware, *built.firmware, "node 0");
}

std::string elf_key(const std::string& name) {
  return "elf = \"" + std::string(NMTWIN_FIRMWARE_DIR) + "/" + name + ".elf\"\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_experiment_starts_the_kernel_and_reads_its_mailbox) {
  Twin twin;
  std::vector<std::uint32_t> reads;
  const auto out = run_table(twin,
                             elf_key("hello") +
                                 "at_us = 5\nmailbox = { 3 = 0x10 }\nread_mailbox = [3]\n"
                                 "max_cycles = 100000\n",
                             &reads);
  BOOST_TEST(out.state == "exited with code 0");
  BOOST_TEST(out.result.console.starts_with("hello from the nmtwin PPU"), out.result.console);
  BOOST_TEST((reads == std::vector<std::uint32_t>{0, 0x10}));  // firmware.exit_code, firmware.mailbox[3]
}

BOOST_AUTO_TEST_CASE(periodic_starts_run_the_kernel_each_period_and_catch_an_overrun) {
  Twin twin;
  const auto three = run_table(twin, elf_key("hello") + "period_us = 500\ncount = 3\n");
  BOOST_TEST(three.state == "exited with code 0");
  std::size_t hellos = 0;
  for (auto at = three.result.console.find("hello"); at != std::string::npos;
       at = three.result.console.find("hello", at + 1))
    ++hellos;
  BOOST_TEST(hellos == 3u, three.result.console);
  Twin spinning;
  try {
    run_table(spinning, elf_key("spin") + "period_us = 500\ncount = 2\n");
    BOOST_FAIL("no overrun");
  } catch (const fw::FirmwareError& e) {
    BOOST_TEST((e.failure() == fw::Failure::overrun));
    BOOST_TEST(says(e, "run 1 (started at cycle 0) had not exited when run 2 began at cycle 62500"), e.what());
  }
}
