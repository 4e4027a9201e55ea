// nmtwin/firmware.hpp against the words a Program gets and a scripted PPU behind the fake
// FPGA (fake_ppu.hpp): loading, starts, periodic runs, the blocking runner and every error.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "hostlink/tests/fw/fake_ppu.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/riscv.hpp"

namespace fw = nmtwin::fw;
namespace spec = nmtwin::spec;
namespace instr = nmtwin::spec::instr;
namespace chip = nmtwin::spec::chip;
using fw::test::FakePpu;
using fw::test::Kernel;
using nmtwin::hostlink::Program;
using nmtwin::hostlink::test::FakeFpga;

namespace {

// A predicate for BOOST_CHECK_EXCEPTION: the message contains every part (a missing one is logged).
auto message_contains(std::vector<std::string> parts) {
  return [parts](const std::exception& e) {
    const std::string what = e.what();
    for (const auto& part : parts)
      if (what.find(part) == std::string::npos) {
        BOOST_TEST_MESSAGE("missing '" << part << "' in: " << what);
        return false;
      }
    return true;
  };
}

std::uint32_t jal_ra(std::int32_t offset) {
  return nmtwin::riscv::encode({.op = nmtwin::riscv::Op::jal, .rd = 1, .rs1 = 0, .rs2 = 0, .imm = offset});
}

// main (0x00) calls crash_outer (0x20) at 0x08, which calls crash_inner (0x40) at 0x24;
// crash_inner calls puts (0x60) at 0x44 and traps at 0x48.
fw::FirmwareImage crash_image() {
  fw::FirmwareImage image;
  image.imem.assign(32, 0x00000013);  // nop
  image.imem[0x08 / 4] = jal_ra(0x20 - 0x08);
  image.imem[0x24 / 4] = jal_ra(0x40 - 0x24);
  image.imem[0x44 / 4] = jal_ra(0x60 - 0x44);
  image.imem[0x48 / 4] = 0;  // illegal
  image.dmem = {1, 2, 3};
  image.mailbox = {7};
  using K = fw::Symbol::Kind;
  image.symbols = {{"main", 0x00, 0x20, K::function},
                   {"crash_outer", 0x20, 0x20, K::function},
                   {"crash_inner", 0x40, 0x20, K::function},
                   {"puts", 0x60, 0x20, K::function}};
  return image;
}

// The runtime's trap frame for a trap at `pc` with sp = top - 16, and above it the stack
// words of crash_inner's and crash_outer's frames (saved return addresses and locals).
void push_trap_frame(FakePpu& ppu, std::uint32_t pc, std::uint32_t cause) {
  const std::uint32_t top_word = chip::ppu_dmem::count;
  const std::uint32_t sp_word = top_word - 16, frame = sp_word - 36;
  const std::uint32_t sp = spec::ppu::dmem_base + sp_word * 4;
  ppu.dmem[frame + 1] = 0x48;  // ra: back from puts into crash_inner (not a caller)
  ppu.dmem[frame + 2] = sp;
  ppu.dmem[frame + 32] = pc;
  ppu.dmem[frame + 33] = cause;
  ppu.dmem[sp_word + 1] = 0x1234;  // a local that is no return address
  ppu.dmem[sp_word + 3] = 0x28;    // crash_inner's saved ra: after the call in crash_outer
  ppu.dmem[sp_word + 7] = 0x0C;    // crash_outer's saved ra: after the call in main
  ppu.dmem[sp_word + 9] = 0x10;    // not after a call: ignored
}

struct Twin {
  FakeFpga fpga;
  FakePpu ppu{fpga};
};

fw::RunOptions quick() {
  fw::RunOptions o;
  o.name = "crash.elf";
  o.poll_cycles = 500;
  o.max_cycles = 20'000;
  o.mailbox_words = 2;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sequences)

BOOST_AUTO_TEST_CASE(load_holds_then_writes_every_word_of_each_memory) {
  Program p;
  fw::load(p, crash_image());
  const auto w = p.encode(0);
  BOOST_TEST_REQUIRE(w.size() == 2 * (1 + 32 + 3 + 1) + 1);
  BOOST_TEST(instr::Write::decode(w[0]).addr == chip::bus_addr(chip::ppu_ctrl));
  BOOST_TEST(instr::WriteData::decode(w[1]).data == 0u);
  BOOST_TEST(instr::Write::decode(w[2]).addr == chip::bus_addr(chip::ppu_imem::base));
  BOOST_TEST(instr::WriteData::decode(w[2 + 2 * 2 + 1]).data == jal_ra(0x18));
  BOOST_TEST(instr::Write::decode(w[2 + 2 * 32]).addr == chip::bus_addr(chip::ppu_dmem::base));
  BOOST_TEST(instr::Write::decode(w[2 + 2 * 35]).addr == chip::bus_addr(chip::ppu_mailbox::base));
}

BOOST_AUTO_TEST_CASE(load_refuses_an_entry_point_other_than_the_reset_pc) {
  auto image = crash_image();
  image.entry = 0x40;
  Program p;
  BOOST_CHECK_EXCEPTION(fw::load(p, image), std::invalid_argument,
                        message_contains({"entry point is 0x00000040", "starts at 0x00000000", "linker script"}));
}

BOOST_AUTO_TEST_CASE(start_at_waits_then_releases) {
  Program p;
  fw::start_at(p, 5000);
  const auto w = p.encode(0);
  BOOST_TEST(w[0] == (instr::WaitUntil{.time = 5000}.encode()));
  BOOST_TEST(instr::Write::decode(w[1]).addr == chip::bus_addr(chip::ppu_ctrl));
  BOOST_TEST(instr::WriteData::decode(w[2]).data == chip::ppu_ctrl_fields::run.put(1));
}

BOOST_AUTO_TEST_CASE(mailbox_ranges_are_checked) {
  Program p;
  const std::uint32_t two[] = {1, 2};
  BOOST_CHECK_EXCEPTION(fw::write_mailbox(p, 255, two), std::out_of_range,
                        message_contains({"mailbox: words 255 to 256", "256 words"}));
  BOOST_CHECK_EXCEPTION(fw::read_mailbox(p, 250, 7), std::out_of_range, message_contains({"words 0 to 255"}));
  BOOST_TEST(fw::read_mailbox(p, 250, 6).size() == 6u);
}

BOOST_AUTO_TEST_CASE(periodic_runs_check_the_previous_run_before_each_start) {
  Program p;
  const auto run = fw::run_periodically(p, 1000, 4000, 3);
  BOOST_TEST(run.before_start.size() == 2u);
  const auto w = p.encode(0);
  BOOST_TEST(w[0] == (instr::WaitUntil{.time = 1000}.encode()));
  BOOST_TEST(w[5] == (instr::WaitUntil{.time = 5000}.encode()));
  BOOST_TEST(instr::Read::decode(w[6]).addr == chip::bus_addr(chip::ppu_status));
  BOOST_CHECK_EXCEPTION(fw::run_periodically(p, 0, 0, 2), std::invalid_argument,
                        message_contains({"2 runs every 0 cycles", "period above 0"}));
}

BOOST_AUTO_TEST_CASE(cause_names_follow_the_privileged_spec) {
  BOOST_TEST(fw::cause_name(0) == "instruction address misaligned");
  BOOST_TEST(fw::cause_name(1) == "instruction access fault");
  BOOST_TEST(fw::cause_name(2) == "illegal instruction");
  BOOST_TEST(fw::cause_name(3) == "breakpoint");
  BOOST_TEST(fw::cause_name(4) == "load address misaligned");
  BOOST_TEST(fw::cause_name(5) == "load access fault");
  BOOST_TEST(fw::cause_name(6) == "store address misaligned");
  BOOST_TEST(fw::cause_name(7) == "store access fault");
  BOOST_TEST(fw::cause_name(11) == "environment call from M-mode");
  BOOST_TEST(fw::cause_name(10) == "cause 0xa");
  BOOST_TEST(fw::cause_name(0x80000007u) == "machine timer interrupt");
  BOOST_TEST(fw::cause_name(0x80000003u) == "machine software interrupt");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(runner)

BOOST_AUTO_TEST_CASE(runs_to_the_exit_and_drains_more_console_than_the_fifo_holds) {
  Twin twin;
  twin.ppu.kernel = {
      .end = Kernel::End::exit, .runs_for = 1200, .console = std::string(150, 'x') + "done\n", .exit_code = 42};
  auto o = quick();
  o.mailbox = {{1, 99}};
  o.watchdog_cycles = 5000;
  std::string streamed;
  const auto r = fw::run(twin.fpga, crash_image(), o, [&](std::string_view s) { streamed += s; });
  BOOST_TEST(r.exited);
  BOOST_TEST(r.exit_code == 42u);
  BOOST_TEST(r.console == std::string(150, 'x') + "done\n");
  BOOST_TEST(streamed == r.console);
  BOOST_TEST((r.mailbox == std::vector<std::uint32_t>{7, 99}));
  BOOST_TEST(twin.ppu.watchdog == 5000u);
  BOOST_TEST(twin.ppu.imem.size() == 32u);
  BOOST_TEST(twin.ppu.imem_writes_while_running == 0u);
}

BOOST_AUTO_TEST_CASE(a_trap_names_cause_pc_function_instruction_and_backtrace) {
  Twin twin;
  twin.ppu.kernel = {.end = Kernel::End::trap,
                     .runs_for = 700,
                     .console = "crash: at depth 2\n",
                     .exit_code = 0,
                     .cause = 2,
                     .pc = 0x48,
                     .tval = 0,
                     .insn = 0};
  push_trap_frame(twin.ppu, 0x48, 2);
  try {
    fw::run(twin.fpga, crash_image(), quick());
    BOOST_FAIL("no FirmwareError");
  } catch (const fw::FirmwareError& e) {
    BOOST_TEST((e.failure() == fw::Failure::trap));
    BOOST_TEST(e.pc() == 0x48u);
    BOOST_TEST((e.backtrace() == std::vector<std::string>{"crash_inner+0x8", "crash_outer+0x4", "main+0x8"}));
    BOOST_TEST(message_contains({"firmware crash.elf on fake:fpga0", "illegal instruction (mcause 0x2)",
                                 "pc 0x00000048 in crash_inner+0x8", "instruction 0x00000000 (", "#1 crash_outer+0x4",
                                 "#2 main+0x8", "crash: at depth 2"})(e));
  }
  twin.ppu.kernel = {.end = Kernel::End::exit, .runs_for = 100, .console = "ok\n", .exit_code = 0};
  BOOST_TEST(fw::run(twin.fpga, crash_image(), quick()).console == "ok\n");  // the next program works
}

BOOST_AUTO_TEST_CASE(without_a_trap_frame_the_backtrace_is_the_pc) {
  Twin twin;
  twin.ppu.kernel = {.end = Kernel::End::trap,
                     .runs_for = 700,
                     .console = "",
                     .exit_code = 0,
                     .cause = 5,
                     .pc = 0x44,
                     .tval = 0x30000,
                     .insn = 0x0002a503};
  BOOST_CHECK_EXCEPTION(fw::run(twin.fpga, crash_image(), quick()), fw::FirmwareError,
                        message_contains({"load access fault (mcause 0x5)", "pc 0x00000044 in crash_inner+0x4",
                                          "0x0002a503 (lw", "mtval 0x00030000", "only the PC"}));
}

BOOST_AUTO_TEST_CASE(a_watchdog_expiry_names_the_limit_and_where_it_spun) {
  Twin twin;
  twin.ppu.kernel = {.end = Kernel::End::watchdog,
                     .runs_for = 3000,
                     .console = "spin\n",
                     .exit_code = 0,
                     .cause = 0,
                     .pc = 0x24,
                     .tval = 0,
                     .insn = jal_ra(0x1c)};
  auto o = quick();
  o.watchdog_cycles = 1000;
  try {
    fw::run(twin.fpga, crash_image(), o);
    BOOST_FAIL("no FirmwareError");
  } catch (const fw::FirmwareError& e) {
    BOOST_TEST((e.failure() == fw::Failure::watchdog));
    BOOST_TEST(message_contains(
        {"watchdog expired after 1000 cycles", "pc 0x00000024 in crash_outer+0x4", "watchdog_kick", "spin"})(e));
  }
}

BOOST_AUTO_TEST_CASE(a_kernel_that_never_returns_is_held_after_max_cycles) {
  for (const auto end : {Kernel::End::sleep, Kernel::End::never}) {
    Twin twin;
    twin.ppu.kernel = {.end = end, .runs_for = 0, .console = "zzz\n"};
    try {
      fw::run(twin.fpga, crash_image(), quick());
      BOOST_FAIL("no FirmwareError");
    } catch (const fw::FirmwareError& e) {
      BOOST_TEST((e.failure() == fw::Failure::timeout));
      BOOST_TEST(message_contains({"did not finish within 20000 cycles", "the core is held now", "zzz"})(e));
      BOOST_TEST(message_contains({end == Kernel::End::sleep ? "asleep in wfi" : "still running"})(e));
    }
    BOOST_TEST(!twin.ppu.run);
    twin.ppu.kernel = {.end = Kernel::End::exit, .runs_for = 100, .console = "", .exit_code = 3};
    BOOST_TEST(fw::run(twin.fpga, crash_image(), quick()).exit_code == 3u);
  }
}

BOOST_AUTO_TEST_CASE(a_periodic_run_that_overruns_its_period_is_reported) {
  Twin twin;
  twin.ppu.kernel = {.end = Kernel::End::exit, .runs_for = 3000, .console = "tick\n", .exit_code = 0};
  Program p;
  const auto run = fw::run_periodically(p, 100, 2000, 3);
  twin.fpga.run(p);
  BOOST_CHECK_EXCEPTION(run.check(crash_image(), {.name = "k.elf", .endpoint = "fake:fpga0", .watchdog_cycles = 0}),
                        fw::FirmwareError,
                        message_contains({"firmware k.elf on fake:fpga0: run 1 (started at cycle 100) had not exited "
                                          "when run 2 began at cycle 2100",
                                          "period of 2000 cycles", "tick"}));
  Twin fresh;  // the fake FPGA's time does not restart
  fresh.ppu.kernel = {.end = Kernel::End::exit, .runs_for = 1000, .console = "tick\n", .exit_code = 0};
  Program q;
  const auto fits = fw::run_periodically(q, 100, 2000, 3);
  fresh.fpga.run(q);
  BOOST_TEST(fits.check(crash_image(), {}) == "tick\ntick\n");
  BOOST_TEST(fresh.ppu.starts == 3u);
}

BOOST_AUTO_TEST_CASE(bad_runner_options_are_refused) {
  Twin twin;
  auto o = quick();
  o.poll_cycles = 0;
  BOOST_CHECK_EXCEPTION(fw::run(twin.fpga, crash_image(), o), std::invalid_argument,
                        message_contains({"poll_cycles (0)", "above 0"}));
}

BOOST_AUTO_TEST_SUITE_END()
