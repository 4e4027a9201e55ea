#pragma once
// The ppu_* chip registers of the design contract around the instruction-set model, behind
// the fake FPGA's register bus: real firmware binaries under fw::run without the Verilated
// processor. One instruction per FPGA cycle, advanced lazily to the time of each access;
// asleep in wfi, time jumps to the timer. The console FIFO is unbounded here (the stall
// on a full FIFO is covered by hostlink/tests/fw/fake_ppu.hpp).
#include <cstdint>
#include <string>

#include "hostlink/tests/fake_fpga.hpp"
#include "nmtwin/riscv.hpp"
#include "nmtwin/spec.hpp"
#include "sim/ppu/iss.hpp"

namespace nmtwin::fw::test {

namespace chip = spec::chip;

class IssPpu : public ppu::IssDevice {
 public:
  ppu::Iss iss;

  explicit IssPpu(hostlink::test::FakeFpga& fpga) {
    iss.attach(this, nullptr);
    fpga.on_write = [this](std::uint64_t a, std::uint64_t d, std::uint64_t t) {
      return host_write(static_cast<std::uint32_t>(a - chip::bus_addr(0)), static_cast<std::uint32_t>(d), t);
    };
    fpga.on_read = [this](std::uint64_t a, std::uint64_t t) {
      return host_read(static_cast<std::uint32_t>(a - chip::bus_addr(0)), t);
    };
  }

  // The I/O window of the core (design contract, section 3).
  std::optional<std::uint32_t> load(std::uint32_t offset, std::uint8_t) override {
    switch (offset) {
      case 0x04:
        return spec::ppu::console_depth;
      case 0x08:
        hi_ = static_cast<std::uint32_t>(now_ >> 32);
        return static_cast<std::uint32_t>(now_);
      case 0x0C:
        return hi_;
      case 0x10:
        return static_cast<std::uint32_t>(timecmp_);
      case 0x14:
        return static_cast<std::uint32_t>(timecmp_ >> 32);
      default:
        return std::nullopt;
    }
  }
  bool store(std::uint32_t offset, std::uint32_t data, std::uint8_t) override {
    switch (offset) {
      case 0x00:
        console_ += static_cast<char>(data & 0xFF);
        return true;
      case 0x10:
        timecmp_ = (timecmp_ & ~0xFFFF'FFFFull) | data;
        return true;
      case 0x14:
        timecmp_ = (timecmp_ & 0xFFFF'FFFFull) | std::uint64_t{data} << 32;
        return true;
      case 0x18:
        end(End::exited, data);
        return true;
      case 0x1C:
        end(End::trapped, 0);
        return true;
      case 0x20:
        since_kick_ = 0;
        return true;
      case 0x24:
        return true;
      default:
        return false;
    }
  }

 private:
  enum class End { none, exited, trapped, watchdog };
  static constexpr std::uint64_t never = ~std::uint64_t{0};
  bool run_ = false;
  End end_ = End::none;
  std::uint32_t exit_code_ = 0, cause_ = 0, pc_ = 0, tval_ = 0, insn_ = 0, hi_ = 0;
  std::uint32_t watchdog_ = 0, since_kick_ = 0;
  std::uint64_t now_ = 0, timecmp_ = never;
  std::string console_;

  std::uint32_t csr(std::uint16_t a) const { return iss.csrs().read(a).value_or(0); }
  void end(End how, std::uint32_t code) {
    end_ = how;
    exit_code_ = code;
    pc_ = how == End::watchdog ? iss.pc() : csr(riscv::csr::mepc);
    cause_ = csr(riscv::csr::mcause);
    tval_ = csr(riscv::csr::mtval);
    insn_ = pc_ / 4 < iss.imem().size() ? iss.imem()[pc_ / 4] : 0;
    iss.halt();
  }

  void advance(std::uint64_t t) {
    while (now_ < t && run_ && end_ == End::none) {
      iss.set_interrupt_lines(now_ >= timecmp_, false);
      if (iss.step()) {
        ++now_;
        if (iss.trapped())
          end(End::trapped, 0);
        else if (watchdog_ && ++since_kick_ >= watchdog_)
          end(End::watchdog, 0);
      } else if (!iss.halted() && timecmp_ > now_ && timecmp_ < t) {
        now_ = timecmp_;  // asleep: the clock is gated until the timer fires
      } else {
        break;  // asleep beyond t, or for good
      }
    }
    now_ = std::max(now_, t);
  }

  bool host_write(std::uint32_t a, std::uint32_t data, std::uint64_t t) {
    advance(t);
    if (chip::ppu_imem::contains(a)) {
      iss.imem().at(a - chip::ppu_imem::base) = data;
    } else if (chip::ppu_dmem::contains(a)) {
      iss.dmem().at(a - chip::ppu_dmem::base) = data;
    } else if (chip::ppu_mailbox::contains(a)) {
      iss.mailbox().at(a - chip::ppu_mailbox::base) = data;
    } else if (a == chip::ppu_ctrl) {
      const bool run = chip::ppu_ctrl_fields::run.get(data);
      if (!run) {
        iss.reset();
        end_ = End::none;
        console_.clear();
        since_kick_ = 0;
        timecmp_ = never;
      }
      run_ = run;
    } else if (a == chip::ppu_watchdog) {
      watchdog_ = data;
    } else {
      return false;
    }
    return true;
  }

  std::optional<std::uint64_t> host_read(std::uint32_t a, std::uint64_t t) {
    namespace f = chip::ppu_status_fields;
    advance(t);
    if (chip::ppu_dmem::contains(a)) return iss.dmem().at(a - chip::ppu_dmem::base);
    if (chip::ppu_mailbox::contains(a)) return iss.mailbox().at(a - chip::ppu_mailbox::base);
    switch (a) {
      case chip::ppu_status:
        return f::running.put(run_ && end_ == End::none) | f::sleeping.put(run_ && iss.sleeping()) |
               f::exited.put(end_ == End::exited) | f::trapped.put(end_ == End::trapped) |
               f::watchdog.put(end_ == End::watchdog) | f::console.put(!console_.empty());
      case chip::ppu_exit_code:
        return exit_code_;
      case chip::ppu_trap_cause:
        return cause_;
      case chip::ppu_trap_pc:
        return pc_;
      case chip::ppu_trap_tval:
        return tval_;
      case chip::ppu_trap_insn:
        return insn_;
      case chip::ppu_cycles:
        return csr(riscv::csr::mcycle);
      case chip::ppu_instret:
        return csr(riscv::csr::minstret);
      case chip::ppu_console: {
        if (console_.empty()) return 0;
        const auto c = static_cast<unsigned char>(console_.front());
        console_.erase(0, 1);
        return chip::ppu_console_fields::valid.put(1) | chip::ppu_console_fields::byte.put(c);
      }
      default:
        return std::nullopt;
    }
  }
};

}  // namespace nmtwin::fw::test
