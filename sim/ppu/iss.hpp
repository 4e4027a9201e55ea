#pragma once
// Instruction-set model of the PPU core (docs/firmware.md; contract: RV32IM, Zicsr,
// machine mode only): what each instruction does to registers, CSRs and memory, one
// commit record per retired instruction, trap or interrupt, with the fields of
// rv32_core's commit port, so that a lock-step bench compares the two commit by commit.
// No timing: mcycle counts one cycle per commit, from its start (the RTL's cycles differ;
// compare minstret).
//
// Commit record conventions (the RTL's commit port follows them):
//  - rd = 0 when no register is written (also for rd = x0 and for traps); rd_wdata = 0 then;
//  - a store: mem_we = 1, mem_addr = its byte address, mem_be the byte lanes written
//    within the word, mem_wdata the data in those lanes (other lanes 0); loads and
//    everything else: mem_we = 0 and the three fields 0;
//  - a trap: trap = 1, cause = mcause, tval = mtval, pc = the trapping instruction's pc,
//    insn = its word (0 for an instruction access fault and for an interrupt, which is
//    taken before the instruction at pc and reported with that pc); non-traps: cause = tval = 0;
//  - mtval: the instruction word for illegal instructions, the target for a misaligned
//    jump or taken branch, the address for load/store faults and misalignment, the pc for
//    an instruction access fault and for ebreak (as Spike), 0 for ecall and interrupts.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "nmtwin/elf.hpp"
#include "nmtwin/riscv.hpp"
#include "nmtwin/spec.hpp"
#include "sim/ppu/iss_csr.hpp"

namespace nmtwin::ppu {

inline constexpr std::uint32_t kIoBase = spec::ppu::io_base, kIoBytes = spec::ppu::io_bytes;
inline constexpr std::uint32_t kChipBase = spec::ppu::chip_base, kChipBytes = spec::ppu::chip_bytes;

/// mcause values of exceptions (privileged spec table 3.6).
namespace cause {
inline constexpr std::uint32_t insn_misaligned = 0, insn_fault = 1, illegal = 2, breakpoint = 3;
inline constexpr std::uint32_t load_misaligned = 4, load_fault = 5, store_misaligned = 6, store_fault = 7;
inline constexpr std::uint32_t ecall = 11;
inline constexpr std::uint32_t soft_interrupt = kInterruptBit | 3, timer_interrupt = kInterruptBit | 7;
}  // namespace cause

struct Commit {
  std::uint32_t pc = 0, insn = 0;
  std::uint8_t rd = 0;
  std::uint32_t rd_wdata = 0;
  bool mem_we = false;
  std::uint32_t mem_addr = 0, mem_wdata = 0;
  std::uint8_t mem_be = 0;
  bool trap = false;
  std::uint32_t cause = 0, tval = 0;

  friend bool operator==(const Commit&, const Commit&) = default;
};

/// A device behind a window of the data bus (the I/O registers, the chip window): the
/// word-aligned byte offset in the window and the byte lanes; nullopt / false = access fault.
class IssDevice {
 public:
  virtual ~IssDevice() = default;
  virtual std::optional<std::uint32_t> load(std::uint32_t offset, std::uint8_t be) = 0;
  virtual bool store(std::uint32_t offset, std::uint32_t data, std::uint8_t be) = 0;
};

class Iss {
 public:
  explicit Iss(const fw::MemoryLayout& layout = {});

  /// Devices of the I/O window (word access only; others fault before reaching it) and
  /// of the chip window; nullptr = every access faults.
  void attach(IssDevice* io, IssDevice* chip);
  /// As ppu_ctrl.run 1 -> 0: pc = 0, registers and CSRs reset, not halted or asleep;
  /// memories keep their contents.
  void reset();
  /// Writes the image's words into the memories (after reset(): a fresh program).
  void load(const fw::FirmwareImage& image);

  /// Executes one instruction or takes one interrupt; nullopt while halted or asleep in
  /// wfi with no enabled interrupt pending.
  std::optional<Commit> step();

  /// mip.MTIP and mip.MSIP (the timer comparison and the host's doorbell).
  void set_interrupt_lines(bool timer, bool soft) { csr_.set_interrupt_lines(timer, soft); }
  /// External halt (the exit and fatal registers, the watchdog): no further commits.
  void halt() { halted_ = true; }

  bool halted() const { return halted_; }
  /// Halted by a trap with mtvec = 0 (status `trapped`).
  bool trapped() const { return trapped_; }
  bool sleeping() const { return sleeping_; }
  std::uint32_t pc() const { return pc_; }
  std::uint32_t reg(unsigned r) const { return regs_.at(r); }
  const CsrFile& csrs() const { return csr_; }
  std::vector<std::uint32_t>& imem() { return imem_; }
  std::vector<std::uint32_t>& dmem() { return dmem_; }
  std::vector<std::uint32_t>& mailbox() { return mailbox_; }

 private:
  struct Trap {
    std::uint32_t cause, tval;
  };
  std::optional<Trap> execute(const riscv::Instruction& i, Commit& c, std::uint32_t& next_pc);
  std::optional<Trap> execute_csr(const riscv::Instruction& i, Commit& c);
  std::optional<Trap> execute_load(const riscv::Instruction& i, Commit& c);
  std::optional<Trap> execute_store(const riscv::Instruction& i, Commit& c);
  std::optional<Trap> jump(std::uint32_t target, std::uint32_t& next_pc) const;
  Commit take_trap(Commit c, Trap t);
  // The word of a memory at a word-aligned address, nullptr outside the memories;
  // `store` excludes the instruction memory.
  std::uint32_t* word_at(std::uint32_t address, bool store);

  std::vector<std::uint32_t> imem_, dmem_, mailbox_;
  IssDevice* io_ = nullptr;
  IssDevice* chip_ = nullptr;
  std::array<std::uint32_t, 32> regs_{};
  std::uint32_t pc_ = 0;
  CsrFile csr_;
  bool halted_ = false, trapped_ = false, sleeping_ = false;
};

}  // namespace nmtwin::ppu
