// The firmware programs on the Verilated ppu_top (rtl/ppu/tb/ppu_bench.hpp): the ELF loaded
// through the host port as the host library does, the console drained while the core
// runs, the clock gated as the simulator gates it. hello, selftest (every ISA check on the
// RTL core) and crash (a fatal trap with its pc and instruction).
#include <boost/test/unit_test.hpp>

#include <string>

#include "nmtwin/elf.hpp"
#include "ppu_bench.hpp"

using nmtwin::tb::PpuBench;

namespace {

struct Result {
  std::uint32_t status = 0;
  std::string console;
};

Result run(PpuBench& b, const std::string& program, std::uint64_t max_cycles) {
  const auto image = nmtwin::fw::load_elf(std::string(NMTWIN_FIRMWARE_DIR) + "/" + program + ".elf");
  b.write(PpuBench::kCtrl, 0);
  auto put = [&](std::uint32_t base, const std::vector<std::uint32_t>& words) {
    for (std::size_t i = 0; i < words.size(); ++i) b.write(base + static_cast<std::uint32_t>(i), words[i]);
  };
  put(PpuBench::kImem, image.imem);
  put(PpuBench::kDmem, image.dmem);
  put(PpuBench::kMailbox, image.mailbox);
  b.write(PpuBench::kCtrl, 1);
  Result r;
  const std::uint64_t end = b.systime() + max_cycles;
  const std::uint32_t done = PpuBench::kExited | PpuBench::kTrapped | PpuBench::kWatchdogExpired;
  while (b.systime() < end) {
    r.status = b.run_until(done | PpuBench::kConsoleBytes, end - b.systime());
    r.console += b.drain_console();
    if (r.status & done) break;
  }
  BOOST_TEST_MESSAGE(program << ": status 0x" << std::hex << r.status << std::dec << ", " << b.clocked()
                             << " clocked cycles\n" << r.console);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(hello_exits_0) {
  PpuBench b("tb_firmware_rtl_hello");
  const Result r = run(b, "hello", 200'000);
  BOOST_TEST(r.status == PpuBench::kExited);
  BOOST_TEST(b.read(PpuBench::kExitCode) == 0u);
  BOOST_TEST(r.console.find("hello from the nmtwin PPU at systime ") == 0u, r.console);
}

BOOST_AUTO_TEST_CASE(selftest_passes_on_the_core) {
  PpuBench b("tb_firmware_rtl_selftest");
  const Result r = run(b, "selftest", 3'000'000);
  BOOST_TEST(r.status == PpuBench::kExited, "status 0x" << std::hex << r.status << " trap cause 0x"
                                                        << b.read(PpuBench::kTrapCause) << " pc 0x"
                                                        << b.read(PpuBench::kTrapPc) << "\n" << r.console);
  BOOST_TEST(b.read(PpuBench::kExitCode) == 0u, r.console);
  BOOST_TEST(r.console.find("FAIL") == std::string::npos, r.console);
}

BOOST_AUTO_TEST_CASE(crash_traps_with_pc_and_instruction) {
  PpuBench b("tb_firmware_rtl_crash");
  const Result r = run(b, "crash", 200'000);
  BOOST_TEST(r.status == PpuBench::kTrapped);
  BOOST_TEST(b.read(PpuBench::kTrapCause) == 2u);
  BOOST_TEST(b.read(PpuBench::kTrapInsn) == 0u);
  const auto image = nmtwin::fw::load_elf(std::string(NMTWIN_FIRMWARE_DIR) + "/crash.elf");
  BOOST_TEST(image.symbolize(b.read(PpuBench::kTrapPc)).rfind("crash_inner+", 0) == 0u);
}
