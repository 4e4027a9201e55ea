#pragma once
// Seeded random programs for the PPU core: ALU and M-extension instructions, loads and
// stores into the data memory and mailbox, forward branches and jumps, counted loops,
// CSR accesses, wfi, and now and then an instruction that traps (illegal, ecall, ebreak,
// misaligned or faulting accesses and jumps) into a handler that skips it; interrupts
// (RandomLines) go to the same handler. Every
// program ends: control flow only goes forward except the loops, whose counters are
// registers nothing else writes; the last two instructions clear mtvec and ecall, which
// halts the core. The same seed gives the same program (nmtwin/random.hpp).

#include <cstdint>
#include <vector>

#include "nmtwin/random.hpp"

namespace nmtwin::ppu::test {

struct RandomProgram {
  /// Whether an instruction traps: data-dependent ones (a taken branch to a misaligned
  /// target) may.
  enum class Expect : std::uint8_t { none, may_trap, must_trap };
  std::vector<std::uint32_t> imem;  // code from address 0
  std::vector<Expect> expect;       // per imem word
  std::vector<std::uint32_t> dmem;  // initial contents from the data memory's base
  std::vector<std::uint32_t> mailbox;
  std::uint32_t end_pc = 0;  // the final ecall
};

struct RandomOptions {
  unsigned blocks = 1500;      // straight-line instructions, branches, jumps and loops
  unsigned imem_words = 4096;  // the program must fit (16 KiB)
  unsigned dmem_words = 1024;  // initialised data memory (the loads' window is 4 KiB)
  unsigned mailbox_words = 256;
};

RandomProgram random_program(std::uint64_t seed, const RandomOptions& options = {});

/// The interrupt lines (mip.MTIP, mip.MSIP) of a random-program run: each flips with
/// probability 1/64 after a commit; while the core sleeps the software line rises with
/// probability 1/4 a cycle, so that every wfi ends (the program enables MSIE before it).
/// Lines change only after a commit or while asleep: from an interrupt decision to the
/// commit of that instruction they hold, so a model stepped with the lines of each
/// commit takes the same interrupts as the core.
class RandomLines {
 public:
  explicit RandomLines(std::uint64_t seed);
  void after_commit();
  void while_sleeping();
  bool timer() const { return timer_; }
  bool soft() const { return soft_; }

 private:
  nmtwin::random::Xoshiro256ss rng_;
  bool timer_ = false, soft_ = false;
};

}  // namespace nmtwin::ppu::test
