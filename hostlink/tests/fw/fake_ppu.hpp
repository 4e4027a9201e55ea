#pragma once
// A scripted PPU behind the fake FPGA's register bus: the ppu_* chip registers with a
// kernel that prints its console (stalling while the 64-byte FIFO is full), then exits,
// traps, trips the watchdog, or never ends, `runs_for` FPGA cycles after its start.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "hostlink/tests/fake_fpga.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::fw::test {

namespace chip = spec::chip;

struct Kernel {
  enum class End { exit, trap, watchdog, never, sleep } end = End::exit;
  std::uint64_t runs_for = 1000;  // FPGA cycles from the start to its end
  std::string console;
  std::uint32_t exit_code = 0, cause = 0, pc = 0, tval = 0, insn = 0;
};

class FakePpu {
 public:
  Kernel kernel;
  std::map<std::uint32_t, std::uint32_t> imem, dmem, mailbox;  // by word index
  bool run = false;
  unsigned starts = 0;
  unsigned imem_writes_while_running = 0;
  std::uint32_t watchdog = 0;

  explicit FakePpu(hostlink::test::FakeFpga& fpga) {
    fpga.on_write = [this](std::uint64_t addr, std::uint64_t data, std::uint64_t t) {
      return write(static_cast<std::uint32_t>(addr), static_cast<std::uint32_t>(data), t);
    };
    fpga.on_read = [this](std::uint64_t addr, std::uint64_t t) { return read(static_cast<std::uint32_t>(addr), t); };
  }

 private:
  std::uint64_t started_ = 0;
  std::size_t popped_ = 0;

  std::size_t queued() const {
    return std::min<std::size_t>(kernel.console.size() - popped_, spec::ppu::console_depth);
  }
  bool ended(std::uint64_t t) const {
    // A kernel cannot get past a console store while the FIFO is full.
    return run && t >= started_ + kernel.runs_for && kernel.console.size() - popped_ <= spec::ppu::console_depth &&
           kernel.end != Kernel::End::never && kernel.end != Kernel::End::sleep;
  }

  bool write(std::uint32_t bus_addr, std::uint32_t data, std::uint64_t t) {
    const std::uint32_t a = bus_addr - chip::bus_addr(0);
    if (chip::ppu_imem::contains(a)) {
      imem_writes_while_running += run;
      imem[a - chip::ppu_imem::base] = data;
    } else if (chip::ppu_dmem::contains(a)) {
      dmem[a - chip::ppu_dmem::base] = data;
    } else if (chip::ppu_mailbox::contains(a)) {
      mailbox[a - chip::ppu_mailbox::base] = data;
    } else if (a == chip::ppu_ctrl) {
      const bool now = chip::ppu_ctrl_fields::run.get(data);
      if (now && !run) {
        started_ = t;
        popped_ = 0;
        ++starts;
      }
      run = now;
    } else if (a == chip::ppu_watchdog) {
      watchdog = data;
    } else {
      return false;
    }
    return true;
  }

  std::optional<std::uint64_t> read(std::uint32_t bus_addr, std::uint64_t t) {
    namespace f = chip::ppu_status_fields;
    const std::uint32_t a = bus_addr - chip::bus_addr(0);
    const auto from = [](const std::map<std::uint32_t, std::uint32_t>& m, std::uint32_t i) {
      const auto it = m.find(i);
      return it == m.end() ? 0u : it->second;
    };
    const bool done = ended(t);
    const auto is = [&](Kernel::End e) { return done && kernel.end == e; };
    if (chip::ppu_dmem::contains(a)) return from(dmem, a - chip::ppu_dmem::base);
    if (chip::ppu_mailbox::contains(a)) return from(mailbox, a - chip::ppu_mailbox::base);
    switch (a) {
      case chip::ppu_status:
        return f::running.put(run && !done && kernel.end != Kernel::End::sleep) |
               f::sleeping.put(run && kernel.end == Kernel::End::sleep) | f::exited.put(is(Kernel::End::exit)) |
               f::trapped.put(is(Kernel::End::trap)) | f::watchdog.put(is(Kernel::End::watchdog)) |
               f::console.put(run && queued() > 0);
      case chip::ppu_exit_code:
        return is(Kernel::End::exit) ? kernel.exit_code : 0;
      case chip::ppu_trap_cause:
        return kernel.cause;
      case chip::ppu_trap_pc:
        return kernel.pc;
      case chip::ppu_trap_tval:
        return kernel.tval;
      case chip::ppu_trap_insn:
        return kernel.insn;
      case chip::ppu_cycles:
      case chip::ppu_instret:
        return run ? static_cast<std::uint32_t>(t - started_) : 0u;
      case chip::ppu_console:
        if (!run || queued() == 0) return 0;
        return chip::ppu_console_fields::valid.put(1) |
               chip::ppu_console_fields::byte.put(static_cast<unsigned char>(kernel.console[popped_++]));
      default:
        return std::nullopt;
    }
  }
};

}  // namespace nmtwin::fw::test
