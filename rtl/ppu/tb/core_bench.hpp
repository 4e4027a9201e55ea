// Bench for rv32_core: the core with its memories and I/O registers modelled
// in C++ after the PPU's core-side memory map (docs: issue 12 design contract,
// section 3): instruction memory at 0 (read-only on the data port), data
// memory at 0x10000, mailbox at 0x20000, the I/O words the ISA tests use
// (systime, timecmp, exit, doorbell, console), and access faults elsewhere.
// Both buses grant at once and answer on the next cycle, as the PPU's block
// RAMs do; `random_latency` adds random grant and response delays instead.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "Vrv32_core.h"
#include "rv32_names.hpp"
#include "tb_harness.hpp"

namespace nmtwin::tb {

/// How a program run ended.
struct CoreRun {
  bool exited = false;       ///< stored to the exit register
  std::uint32_t exit_code = 0;
  bool halted = false;       ///< the core halted (after exit, or a trap with mtvec == 0)
  std::uint32_t last_trap_cause = 0, last_trap_insn = 0;
  std::uint64_t cycles = 0, retired = 0;
  std::string console;
};

/// Cycles and instructions per class, over every run of a bench.
struct CpiTable {
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> cls;  // class -> (instructions, cycles)
};

class CoreBench {
 public:
  static constexpr std::uint32_t kImemBytes = 16384, kDmemBytes = 16384, kMailboxBytes = 1024;
  static constexpr std::uint32_t kDmemBase = 0x10000, kMailboxBase = 0x20000, kIoBase = 0x30000;

  CoreBench(const std::string& name, bool random_latency)
      : h_(name), random_(random_latency), imem_(kImemBytes / 4), dmem_(kDmemBytes / 4),
        mailbox_(kMailboxBytes / 4) {}

  void load(const std::vector<std::uint8_t>& image) {
    BOOST_REQUIRE_LE(image.size(), kImemBytes);
    for (std::size_t i = 0; i < image.size(); ++i)
      imem_[i / 4] |= std::uint32_t{image[i]} << (8 * (i % 4));
  }

  /// Runs until the core halts or `max_cycles` pass.
  CoreRun run(std::uint64_t max_cycles, CpiTable* cpi = nullptr) {
    CoreRun r;
    std::uint64_t last_commit = 0;
    std::string pending_class;  // a branch waits for the next pc to know whether it was taken
    std::uint32_t pending_pc = 0;
    std::uint64_t pending_cycles = 0;
    bool skip_sample = true;  // the first instruction also waited for reset
    for (std::uint64_t c = 0; c < max_cycles && !r.halted; ++c) {
      auto& d = h_.dut();
      ibus_.drive(d.ibus_gnt_i, d.ibus_rvalid_i, d.ibus_rdata_i, d.ibus_err_i, random_);
      dbus_.drive(d.dbus_gnt_i, d.dbus_rvalid_i, d.dbus_rdata_i, d.dbus_err_i, random_);
      d.irq_timer_i = systime() >= timecmp_;
      d.irq_soft_i = doorbell_;
      d.halt_req_i = r.exited;
      h_.settle();
      if (d.ibus_req_o && d.ibus_gnt_i) {
        const std::uint32_t a = d.ibus_addr_o;
        const bool ok = a < kImemBytes && a % 4 == 0;
        ibus_.respond(ok ? imem_[a / 4] : 0xdeadbeef, !ok, random_);
      }
      if (d.dbus_req_o && d.dbus_gnt_i) data_access(d, r);
      if (d.commit_valid_o) {
        const std::uint64_t cycles = h_.cycle() - last_commit;
        last_commit = h_.cycle();
        if (!pending_class.empty() && cpi) {
          const bool taken = d.commit_pc_o != pending_pc + 4;
          add(*cpi, pending_class + (taken ? " taken" : " not taken"), pending_cycles);
        }
        pending_class.clear();
        // The instruction after a wfi also waited for the interrupt: not a CPI sample.
        CpiTable* const sample = skip_sample ? nullptr : cpi;
        const std::string m = rv32_mnemonic(d.commit_insn_o);
        skip_sample = m == "wfi";
        mnemonics_.insert(m);
        if (d.commit_trap_o) {
          causes_.insert(d.commit_cause_o);
          r.last_trap_cause = d.commit_cause_o;
          r.last_trap_insn = d.commit_insn_o;
        } else {
          ++r.retired;
          if (rv32_class(m) == "branch") {
            pending_class = "branch";
            pending_pc = d.commit_pc_o;
            pending_cycles = cycles;
          } else if (sample) {
            add(*sample, rv32_class(m), cycles);
          }
        }
      }
      r.halted = d.halted_o;
      h_.rise();
      systime_ += 1;
    }
    r.cycles = h_.cycle();
    return r;
  }

  [[nodiscard]] const std::set<std::string>& mnemonics() const { return mnemonics_; }
  [[nodiscard]] const std::set<std::uint32_t>& causes() const { return causes_; }
  Harness<Vrv32_core>& harness() { return h_; }

 private:
  /// One bus: the response to a granted request, delayed by a cycle (or at random).
  struct Bus {
    bool pending = false;
    unsigned wait = 0;
    std::uint32_t rdata = 0;
    bool err = false;
    void drive(unsigned char& gnt, unsigned char& rvalid, std::uint32_t& rdata_o,
               unsigned char& err_o, bool random) {
      rvalid = pending && wait == 0;
      rdata_o = rvalid ? rdata : 0;
      err_o = rvalid && err;
      if (rvalid) pending = false;
      else if (pending) --wait;
      gnt = !pending && !rvalid && (!random || chance(0.6));
    }
    void respond(std::uint32_t data, bool error, bool random) {
      pending = true;
      wait = random ? static_cast<unsigned>(rand_bits(2)) : 0;
      rdata = data;
      err = error;
    }
  };

  std::uint64_t systime() const { return systime_; }

  static void add(CpiTable& cpi, const std::string& cls, std::uint64_t cycles) {
    auto& e = cpi.cls[cls];
    e.first += 1;
    e.second += cycles;
  }

  /// A word of a memory array, or nullptr when the address maps to none.
  std::uint32_t* word(std::uint32_t a, bool& read_only) {
    read_only = false;
    if (a < kImemBytes) {
      read_only = true;
      return &imem_[a / 4];
    }
    if (a - kDmemBase < kDmemBytes) return &dmem_[(a - kDmemBase) / 4];
    if (a - kMailboxBase < kMailboxBytes) return &mailbox_[(a - kMailboxBase) / 4];
    return nullptr;
  }

  void data_access(Vrv32_core& d, CoreRun& r) {
    const std::uint32_t a = d.dbus_addr_o, be = d.dbus_be_o, wdata = d.dbus_wdata_o;
    const bool we = d.dbus_we_o;
    std::uint32_t mask = 0;
    for (int i = 0; i < 4; ++i)
      if (be & (1u << i)) mask |= 0xffu << (8 * i);
    bool read_only = false;
    if (std::uint32_t* w = word(a, read_only)) {
      if (we && read_only) return dbus_.respond(0, true, random_);
      if (we) *w = (*w & ~mask) | (wdata & mask);
      return dbus_.respond(we ? 0 : *w, false, random_);
    }
    if (a - kIoBase < 0x100 && be == 0xf) {
      std::uint32_t v = 0;
      bool ok = true;
      switch (a - kIoBase) {
        case 0x00: if (we) r.console += static_cast<char>(wdata & 0xff); else ok = false; break;
        case 0x04: if (we) ok = false; else v = 64; break;
        case 0x08: if (we) ok = false; else { v = static_cast<std::uint32_t>(systime_); hi_ = static_cast<std::uint32_t>(systime_ >> 32); } break;
        case 0x0c: if (we) ok = false; else v = hi_; break;
        case 0x10: if (we) timecmp_ = (timecmp_ & ~0xffffffffull) | wdata; else v = static_cast<std::uint32_t>(timecmp_); break;
        case 0x14: if (we) timecmp_ = (timecmp_ & 0xffffffffull) | (std::uint64_t{wdata} << 32); else v = static_cast<std::uint32_t>(timecmp_ >> 32); break;
        case 0x18: if (we) { r.exited = true; r.exit_code = wdata; } else ok = false; break;
        case 0x24: if (we) doorbell_ = wdata & 1; else v = doorbell_; break;
        default: ok = false; break;
      }
      return dbus_.respond(v, !ok, random_);
    }
    dbus_.respond(0, true, random_);
  }

  Harness<Vrv32_core> h_;
  bool random_;
  std::vector<std::uint32_t> imem_, dmem_, mailbox_;
  Bus ibus_, dbus_;
  std::uint64_t systime_ = 0, timecmp_ = ~0ull;
  std::uint32_t hi_ = 0;
  bool doorbell_ = false;
  std::set<std::string> mnemonics_;
  std::set<std::uint32_t> causes_;
};

}  // namespace nmtwin::tb
