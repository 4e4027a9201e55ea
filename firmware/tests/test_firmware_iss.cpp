// The firmware programs on the instruction-set model (sim/ppu/iss): hello and selftest
// run to their exit through the runtime, with a minimal model of the PPU's I/O registers
// (issue-12 design contract, section 3): console, systime, timer, exit, fatal, doorbell.
// One commit is one cycle of systime; a sleeping core jumps to the timer's time.
#define BOOST_TEST_MODULE firmware_iss
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "nmtwin/elf.hpp"
#include "sim/ppu/iss.hpp"

namespace {

using nmtwin::ppu::Iss;

class PpuIo : public nmtwin::ppu::IssDevice {
 public:
  explicit PpuIo(Iss& iss) : iss_(iss) {}

  std::optional<std::uint32_t> load(std::uint32_t offset, std::uint8_t be) override {
    if (be != 0xF) return std::nullopt;
    switch (offset) {
      case 0x04: return 64u;  // console_free: the test drains the FIFO at once
      case 0x08: latched_hi_ = static_cast<std::uint32_t>(systime >> 32); return static_cast<std::uint32_t>(systime);
      case 0x0C: return latched_hi_;
      case 0x10: return static_cast<std::uint32_t>(timecmp);
      case 0x14: return static_cast<std::uint32_t>(timecmp >> 32);
      case 0x24: return doorbell ? 1u : 0u;
      default: return std::nullopt;
    }
  }
  bool store(std::uint32_t offset, std::uint32_t data, std::uint8_t be) override {
    if (be != 0xF) return false;
    switch (offset) {
      case 0x00: console += static_cast<char>(data & 0xFF); return true;
      case 0x10: timecmp = (timecmp & ~std::uint64_t{0xFFFFFFFF}) | data; return true;
      case 0x14: timecmp = (timecmp & 0xFFFFFFFF) | std::uint64_t{data} << 32; return true;
      case 0x18: exit_code = data; iss_.halt(); return true;
      case 0x1C: fatal_cause = data; iss_.halt(); return true;
      case 0x20: return true;
      case 0x24: doorbell = (data & 1) != 0; return true;
      default: return false;
    }
  }

  std::string console;
  std::uint64_t systime = 1000, timecmp = ~std::uint64_t{0};
  std::optional<std::uint32_t> exit_code, fatal_cause;
  bool doorbell = false;

 private:
  Iss& iss_;
  std::uint32_t latched_hi_ = 0;
};

constexpr std::int64_t kNone = -1;

struct Run {
  std::string console;
  std::int64_t exit_code = kNone, fatal_cause = kNone;  // kNone: not written
  bool trapped = false;
  std::uint64_t steps = 0;
};

Run run(const std::string& program, std::uint64_t max_steps) {
  const auto image = nmtwin::fw::load_elf(std::string(NMTWIN_FIRMWARE_DIR) + "/" + program + ".elf");
  Iss iss;
  PpuIo io(iss);
  iss.attach(&io, nullptr);
  iss.load(image);
  iss.reset();
  Run r;
  while (!iss.halted() && r.steps < max_steps) {
    iss.set_interrupt_lines(io.systime >= io.timecmp, io.doorbell);
    if (iss.step()) {
      ++io.systime;
      ++r.steps;
      continue;
    }
    if (iss.halted()) break;
    // Asleep in wfi: the clock stops until the timer (the only source here) fires.
    BOOST_TEST_REQUIRE(io.timecmp != ~std::uint64_t{0}, program << " sleeps with no timer set at pc 0x" << std::hex
                                                                << iss.pc() << "\nconsole:\n" << io.console);
    io.systime = std::max(io.systime, io.timecmp);
  }
  r.console = io.console;
  r.exit_code = io.exit_code ? std::int64_t{*io.exit_code} : kNone;
  r.fatal_cause = io.fatal_cause ? std::int64_t{*io.fatal_cause} : kNone;
  r.trapped = iss.trapped();
  BOOST_TEST_MESSAGE(program << ": " << r.steps << " instructions\n" << r.console);
  return r;
}

}  // namespace

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
