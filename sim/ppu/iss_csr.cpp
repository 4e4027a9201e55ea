#include "sim/ppu/iss_csr.hpp"

#include "nmtwin/riscv.hpp"

namespace nmtwin::ppu {

namespace csr = nmtwin::riscv::csr;

namespace {
constexpr std::uint64_t set_low(std::uint64_t counter, std::uint32_t value) {
  return (counter & 0xFFFF'FFFF'0000'0000ull) | value;
}
constexpr std::uint64_t set_high(std::uint64_t counter, std::uint32_t value) {
  return (counter & 0xFFFF'FFFFull) | (std::uint64_t{value} << 32);
}
}  // namespace

void CsrFile::reset() { *this = CsrFile{}; }

std::optional<std::uint32_t> CsrFile::read(std::uint16_t address) const {
  switch (address) {
    case csr::mstatus:
      return mstatus_ | kMstatusMpp;
    case csr::misa:
      return kMisa;
    case csr::mie:
      return mie_;
    case csr::mtvec:
      return mtvec_;
    case csr::mscratch:
      return mscratch_;
    case csr::mepc:
      return mepc_;
    case csr::mcause:
      return mcause_;
    case csr::mtval:
      return mtval_;
    case csr::mip:
      return mip_;
    case csr::mcycle:
    case csr::cycle:
      return static_cast<std::uint32_t>(mcycle_);
    case csr::mcycleh:
    case csr::cycleh:
      return static_cast<std::uint32_t>(mcycle_ >> 32);
    case csr::minstret:
    case csr::instret:
      return static_cast<std::uint32_t>(minstret_);
    case csr::minstreth:
    case csr::instreth:
      return static_cast<std::uint32_t>(minstret_ >> 32);
    case csr::mvendorid:
    case csr::marchid:
    case csr::mimpid:
    case csr::mhartid:
      return 0;
    default:
      return std::nullopt;
  }
}

// WARL rules: mstatus keeps MIE and MPIE (MPP reads M); mie keeps MSIE and MTIE; mtvec
// is direct mode only and mepc 4-byte aligned (no compressed instructions), so their
// low two bits read 0; misa and mip ignore writes (mip's bits are the interrupt lines).
bool CsrFile::write(std::uint16_t address, std::uint32_t value) {
  switch (address) {
    case csr::mstatus:
      mstatus_ = value & (kMstatusMie | kMstatusMpie);
      return true;
    case csr::misa:
      return true;
    case csr::mie:
      mie_ = value & (kMipMsip | kMipMtip);
      return true;
    case csr::mtvec:
      mtvec_ = value & ~3u;
      return true;
    case csr::mscratch:
      mscratch_ = value;
      return true;
    case csr::mepc:
      mepc_ = value & ~3u;
      return true;
    case csr::mcause:
      mcause_ = value;
      return true;
    case csr::mtval:
      mtval_ = value;
      return true;
    case csr::mip:
      return true;
    case csr::mcycle:
      mcycle_ = set_low(mcycle_, value);
      return true;
    case csr::mcycleh:
      mcycle_ = set_high(mcycle_, value);
      return true;
    case csr::minstret:
      minstret_ = set_low(minstret_, value);
      instret_written_ = true;
      return true;
    case csr::minstreth:
      minstret_ = set_high(minstret_, value);
      instret_written_ = true;
      return true;
    default:
      return false;  // the ids and the user counter shadows are read-only; others do not exist
  }
}

std::uint32_t CsrFile::enter_trap(std::uint32_t pc, std::uint32_t cause, std::uint32_t tval) {
  mepc_ = pc & ~3u;
  mcause_ = cause;
  mtval_ = tval;
  mstatus_ = (mstatus_ & kMstatusMie) ? kMstatusMpie : 0;
  return mtvec_;
}

std::uint32_t CsrFile::leave_trap() {
  mstatus_ = ((mstatus_ & kMstatusMpie) ? kMstatusMie : 0) | kMstatusMpie;
  return mepc_;
}

std::optional<std::uint32_t> CsrFile::pending_interrupt() const {
  if ((mstatus_ & kMstatusMie) == 0) return std::nullopt;
  const std::uint32_t active = mip_ & mie_;
  if (active & kMipMsip) return kInterruptBit | 3;
  if (active & kMipMtip) return kInterruptBit | 7;
  return std::nullopt;
}

void CsrFile::retire() {
  if (!instret_written_) ++minstret_;
  instret_written_ = false;
}

}  // namespace nmtwin::ppu
