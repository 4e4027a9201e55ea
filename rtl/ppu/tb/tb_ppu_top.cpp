// Bench for ppu_top: host load, run, status, console, mailbox, exit, fatal,
// trap without handler, watchdog, timer wake-up from wfi with the clock
// gated, doorbell, the chip window, hold and restart, a full console, and the
// model's speed while the core runs (a figure, printed at --log_level=message).
//
// usage: tb_ppu_top -- DIR   (DIR holds the ppu_*.bin programs of firmware/isa)
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "ppu_bench.hpp"

using nmtwin::tb::PpuBench;
using B = nmtwin::tb::PpuBench;

namespace {

std::string dir() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_REQUIRE_MESSAGE(suite.argc >= 2, "usage: tb_ppu_top -- DIR");
  return suite.argv[1];
}

bool refused(PpuBench& b, bool we, std::uint32_t addr) {
  bool err = false;
  b.host(we, addr, 0, err);
  return err;
}

bool clock_needed(PpuBench& b) {
  b.harness().settle();
  return b.harness()->clock_needed_o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(host_port_reaches_memories_and_imem_only_while_held) {
  PpuBench b("host_port");
  BOOST_TEST(b.read(B::kStatus) == 0u);
  BOOST_TEST(!clock_needed(b));
  b.write(B::kImem + 5, 0x12345678);
  BOOST_TEST(b.read(B::kImem + 5) == 0x12345678u);
  b.write(B::kDmem + 4095, 0xcafe);
  BOOST_TEST(b.read(B::kDmem + 4095) == 0xcafeu);
  b.write(B::kMailbox + 255, 0xbeef);
  BOOST_TEST(b.read(B::kMailbox + 255) == 0xbeefu);
  BOOST_TEST(refused(b, false, B::kImem + 4096));
  BOOST_TEST(refused(b, false, B::kDmem + 4096));
  BOOST_TEST(refused(b, true, B::kMailbox + 256));
  BOOST_TEST(refused(b, false, B::kInstret + 1));
  BOOST_TEST(refused(b, true, B::kStatus));
  BOOST_TEST(refused(b, true, B::kConsole));
  BOOST_TEST(refused(b, false, 0x40000));
  b.write(B::kWatchdog, 77);
  BOOST_TEST(b.read(B::kWatchdog) == 77u);
  b.load_and_run(dir(), "ppu_loop");
  BOOST_TEST(b.read(B::kCtrl) == 1u);
  BOOST_TEST(refused(b, true, B::kImem + 5));
  BOOST_TEST(refused(b, false, B::kImem + 5));
  BOOST_TEST(b.read(B::kDmem + 4095) == 0xcafeu);
  BOOST_TEST((b.read(B::kStatus) & B::kRunning) != 0u);
}

BOOST_AUTO_TEST_CASE(program_exits_with_console_mailbox_and_counters_then_restarts) {
  PpuBench b("hello");
  b.write(B::kDmem, 21);
  b.write(B::kMailbox, 0);
  b.load_and_run(dir(), "ppu_hello");
  BOOST_TEST(b.run_until(B::kExited, 10000) == (B::kExited | B::kConsoleBytes));
  BOOST_TEST(b.read(B::kExitCode) == 42u);
  BOOST_TEST(b.drain_console() == "hello\n");
  BOOST_TEST(b.read(B::kStatus) == B::kExited);
  BOOST_TEST(b.read(B::kMailbox) == 1u);
  BOOST_TEST(b.read(B::kMailbox + 1) == 42u);
  const std::uint32_t cycles = b.read(B::kCycles), instret = b.read(B::kInstret);
  BOOST_TEST(instret > 40u);
  BOOST_TEST(cycles >= 2 * instret);
  BOOST_TEST(!clock_needed(b));
  // Hold: status and counters restart, memories keep their contents; run again.
  b.write(B::kCtrl, 0);
  BOOST_TEST(b.read(B::kStatus) == 0u);
  BOOST_TEST(b.read(B::kExitCode) == 0u);
  BOOST_TEST(b.read(B::kInstret) == 0u);
  b.write(B::kCtrl, 1);
  BOOST_TEST(b.run_until(B::kExited, 10000) == (B::kExited | B::kConsoleBytes));
  BOOST_TEST(b.read(B::kMailbox) == 2u);
  BOOST_TEST(b.read(B::kInstret) == instret);
}

BOOST_AUTO_TEST_CASE(fatal_takes_the_trap_registers_of_the_last_trap) {
  PpuBench b("fatal");
  b.load_and_run(dir(), "ppu_fatal");
  BOOST_TEST(b.run_until(B::kTrapped, 10000) == B::kTrapped);
  BOOST_TEST(b.read(B::kTrapCause) == 11u);
  BOOST_TEST(b.read(B::kTrapPc) == 20u);  // ecall after li, la (2), csrw, nop
  BOOST_TEST(b.read(B::kTrapTval) == 0u);
  BOOST_TEST(b.read(B::kTrapInsn) == 0x00000073u);
}

BOOST_AUTO_TEST_CASE(trap_without_handler_halts_as_trapped) {
  PpuBench b("illegal");
  b.load_and_run(dir(), "ppu_illegal");
  BOOST_TEST(b.run_until(B::kTrapped, 10000) == B::kTrapped);
  BOOST_TEST(b.read(B::kTrapCause) == 2u);
  BOOST_TEST(b.read(B::kTrapPc) == 8u);
  BOOST_TEST(b.read(B::kTrapTval) == 0x0000ffffu);
  BOOST_TEST(b.read(B::kTrapInsn) == 0x0000ffffu);
  BOOST_TEST(!clock_needed(b));
}

BOOST_AUTO_TEST_CASE(watchdog_stops_a_runaway_kernel_and_kicks_restart_it) {
  PpuBench b("watchdog");
  b.write(B::kWatchdog, 300);
  b.load_and_run(dir(), "ppu_loop");
  BOOST_TEST(b.run_until(B::kWatchdogExpired, 100000) == B::kWatchdogExpired);
  // 20 kicks about 50 cycles apart kept it alive well past one limit.
  BOOST_TEST(b.read(B::kCycles) > 1000u);
  BOOST_TEST(b.read(B::kTrapPc) == 0x24u);  // the spin loop (ppu_loop.S)
  BOOST_TEST(b.read(B::kTrapInsn) == 0x0000006fu);
  BOOST_TEST(!clock_needed(b));
}

BOOST_AUTO_TEST_CASE(timer_wakes_the_core_from_wfi_with_its_clock_gated) {
  PpuBench b("timer");
  b.load_and_run(dir(), "ppu_timer");
  BOOST_TEST((b.run_until(B::kSleeping, 10000) & B::kSleeping) != 0u);
  BOOST_TEST(!clock_needed(b));
  BOOST_TEST(b.harness()->sleeping_o);
  BOOST_TEST(b.run_until(B::kExited, 100000) == B::kExited);
  BOOST_TEST(b.read(B::kExitCode) == 7u);
  BOOST_TEST(b.skipped() > 4800u);    // slept through without evaluating the model
  BOOST_TEST(b.read(B::kCycles) < 200u);  // and without counting core cycles
}

BOOST_AUTO_TEST_CASE(doorbell_wakes_the_core) {
  PpuBench b("doorbell");
  b.load_and_run(dir(), "ppu_doorbell");
  BOOST_TEST((b.run_until(B::kSleeping, 10000) & B::kSleeping) != 0u);
  // Nothing else wakes it.
  BOOST_TEST((b.run_until(B::kExited, 10000) & B::kSleeping) != 0u);
  b.write(B::kCtrl, 3);
  BOOST_TEST(b.run_until(B::kExited, 10000) == B::kExited);
  BOOST_TEST(b.read(B::kExitCode) == 9u);
}

BOOST_AUTO_TEST_CASE(chip_window_round_trip) {
  PpuBench b("chip");
  b.load_and_run(dir(), "ppu_chip");
  BOOST_TEST(b.run_until(B::kExited, 10000) == B::kExited);
  BOOST_TEST(b.read(B::kExitCode) == 0u, "failed check " << (b.read(B::kExitCode) & 0x3ff));
  BOOST_TEST(b.chip()[6] == 0xb6);
  BOOST_TEST(b.chip()[7] == 0);
}

BOOST_AUTO_TEST_CASE(console_store_waits_while_the_fifo_is_full) {
  PpuBench b("console");
  b.load_and_run(dir(), "ppu_console");
  BOOST_TEST(b.run_until(B::kExited, 3000) == (B::kRunning | B::kConsoleBytes));
  const std::uint32_t stalled = b.read(B::kInstret);
  b.run_until(B::kExited, 100);
  BOOST_TEST(b.read(B::kInstret) == stalled);
  std::string got;
  while (got.size() < 100) {
    const std::uint32_t v = b.read(B::kConsole);
    if (v & 0x100) got += static_cast<char>(v & 0xff);
    b.run_until(B::kExited, 3);
  }
  for (int i = 0; i < 100; ++i) BOOST_TEST(got[i] == static_cast<char>(i));
  BOOST_TEST(b.run_until(B::kExited, 1000) == B::kExited);
  BOOST_TEST(b.read(B::kExitCode) == 0u);
}

BOOST_AUTO_TEST_CASE(running_speed) {
  PpuBench b("speed");
  b.load_and_run(dir(), "ppu_loop");
  constexpr std::uint64_t kCycles = 400000;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < kCycles; ++i) b.cycle();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::uint32_t instret = b.read(B::kInstret);
  BOOST_TEST(b.read(B::kStatus) == B::kRunning);
  BOOST_TEST(instret >= kCycles / 2 - 100);  // spinning on `j .` retires one per 2 cycles
  BOOST_TEST_MESSAGE("ppu_top running: " << kCycles / s / 1e6 << " M cycles/s, "
                                         << instret / s / 1e6 << " M instructions/s");
}
