// Runs a firmware program on the instruction-set model (sim/ppu/iss) with a minimal model
// of the PPU's I/O registers (issue-12 design contract, section 3: console, systime, timer,
// exit, fatal, doorbell) and, optionally, the behavioural chip behind the chip window.
// One commit is one cycle; without a sync, systime is the chip's cycle; a sleeping core
// jumps to the timer's time.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nmtwin/elf.hpp"
#include "sim/chip/chip_model.hpp"
#include "sim/ppu/iss.hpp"

namespace fw_test {


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
  std::vector<std::uint32_t> mailbox, dmem;
  bool trapped = false;
  bool asleep_for_good = false;  // in wfi with no timer set: nothing here would wake it
  std::uint64_t steps = 0;
};

// The chip window onto a ChipModel at the runner's cycle.
class ChipWindow : public nmtwin::ppu::IssDevice {
 public:
  ChipWindow(nmtwin::sim::ChipModel& chip, const std::uint64_t& now) : chip_(chip), now_(now) {}
  std::optional<std::uint32_t> load(std::uint32_t offset, std::uint8_t be) override {
    return chip_.bus_read(offset, be, now_);
  }
  bool store(std::uint32_t offset, std::uint32_t data, std::uint8_t be) override {
    return chip_.bus_write(offset, data, be, now_);
  }

 private:
  nmtwin::sim::ChipModel& chip_;
  const std::uint64_t& now_;
};

inline Run run(const std::string& program, std::uint64_t max_steps, nmtwin::sim::ChipModel* chip = nullptr) {
  const auto image = nmtwin::fw::load_elf(std::string(NMTWIN_FIRMWARE_DIR) + "/" + program + ".elf");
  Iss iss;
  PpuIo io(iss);
  std::optional<ChipWindow> window;
  if (chip) window.emplace(*chip, io.systime);
  iss.attach(&io, window ? &*window : nullptr);
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
    if (io.timecmp == ~std::uint64_t{0}) {
      r.asleep_for_good = true;
      break;
    }
    io.systime = std::max(io.systime, io.timecmp);
  }
  r.console = io.console;
  r.exit_code = io.exit_code ? std::int64_t{*io.exit_code} : kNone;
  r.fatal_cause = io.fatal_cause ? std::int64_t{*io.fatal_cause} : kNone;
  r.trapped = iss.trapped();
  r.mailbox = iss.mailbox();
  r.dmem = iss.dmem();
  BOOST_TEST_MESSAGE(program << ": " << r.steps << " instructions, " << io.systime << " cycles\n" << r.console);
  return r;
}


}  // namespace fw_test
