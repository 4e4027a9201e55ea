#pragma once
// The machine-mode CSRs of the PPU core (RISC-V privileged spec 20211203, M-mode only),
// as the instruction-set model holds them: mstatus, misa, mie, mip, mtvec, mscratch, mepc,
// mcause, mtval, mcycle[h], minstret[h], their read-only shadows cycle[h], instret[h]
// (Zicntr), and mvendorid, marchid, mimpid, mhartid (read 0), as rv32_csr implements
// them. Read and write rules (WARL) in iss_csr.cpp.

#include <cstdint>
#include <optional>

namespace nmtwin::ppu {

inline constexpr std::uint32_t kMstatusMie = 1u << 3, kMstatusMpie = 1u << 7;
inline constexpr std::uint32_t kMstatusMpp = 3u << 11;  // reads 3 (M): the only privilege mode
inline constexpr std::uint32_t kMipMsip = 1u << 3, kMipMtip = 1u << 7;
inline constexpr std::uint32_t kMisa = (1u << 30) | (1u << 12) | (1u << 8);  // MXL = 32, M, I
inline constexpr std::uint32_t kInterruptBit = 1u << 31;

class CsrFile {
 public:
  void reset();

  /// The value of `address`; nullopt for a CSR the core does not implement.
  std::optional<std::uint32_t> read(std::uint16_t address) const;
  /// Writes `value` under the CSR's rules; false for an unimplemented or read-only CSR
  /// (the instruction is illegal).
  bool write(std::uint16_t address, std::uint32_t value);

  /// Trap entry: mepc, mcause, mtval; MPIE = MIE, MIE = 0. Returns mtvec.
  std::uint32_t enter_trap(std::uint32_t pc, std::uint32_t cause, std::uint32_t tval);
  /// mret: MIE = MPIE, MPIE = 1. Returns mepc.
  std::uint32_t leave_trap();

  /// The interrupt to take now (its mcause), if any: software before timer
  /// (the privileged spec's priority MSI > MTI), only with mstatus.MIE set.
  std::optional<std::uint32_t> pending_interrupt() const;
  /// mip & mie != 0 (what ends wfi, whatever mstatus.MIE).
  bool wake_pending() const { return (mip_ & mie_) != 0; }

  void set_interrupt_lines(bool timer, bool soft) { mip_ = (timer ? kMipMtip : 0) | (soft ? kMipMsip : 0); }
  /// A clocked cycle, at the start of each step: an instruction sees in mcycle the
  /// cycles before it and its own first one (as the core, which fetches before it
  /// executes), one per step in this model.
  void tick() { ++mcycle_; }
  /// After a retired instruction: minstret + 1, unless the instruction wrote minstret
  /// (the written value holds, as in the core).
  void retire();

  std::uint64_t mcycle() const { return mcycle_; }
  std::uint64_t minstret() const { return minstret_; }

 private:
  std::uint32_t mstatus_ = 0, mie_ = 0, mip_ = 0, mtvec_ = 0, mscratch_ = 0, mepc_ = 0, mcause_ = 0, mtval_ = 0;
  std::uint64_t mcycle_ = 0, minstret_ = 0;
  bool instret_written_ = false;
};

}  // namespace nmtwin::ppu
