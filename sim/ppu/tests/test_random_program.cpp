// The random programs of the lock-step test, run on the instruction-set model: they are
// deterministic, end, trap only where the generator put a trapping instruction, and
// cover every instruction, trap cause and interrupt; 10^6 instructions over 400 seeds.
#include <boost/test/unit_test.hpp>
#include <set>

#include "sim/ppu/iss.hpp"
#include "sim/ppu/tests/random_program.hpp"

using namespace nmtwin::ppu;
using namespace nmtwin::ppu::test;
using Expect = RandomProgram::Expect;

namespace {

struct Coverage {
  std::set<nmtwin::riscv::Op> ops;
  std::set<std::uint32_t> causes;
  std::uint64_t commits = 0;
};

void load(Iss& iss, const RandomProgram& p) {
  std::copy(p.imem.begin(), p.imem.end(), iss.imem().begin());
  std::copy(p.dmem.begin(), p.dmem.end(), iss.dmem().begin());
  std::copy(p.mailbox.begin(), p.mailbox.end(), iss.mailbox().begin());
  iss.reset();
}

// Runs program `seed` to its halt; every trap is at an instruction that may trap, every
// instruction that must trap does.
void run(std::uint64_t seed, Coverage& cov) {
  const RandomProgram p = random_program(seed);
  Iss iss;
  load(iss, p);
  RandomLines lines(seed);
  for (std::uint64_t n = 0; n < 400000; ++n) {
    iss.set_interrupt_lines(lines.timer(), lines.soft());
    const auto c = iss.step();
    if (!c) {
      BOOST_TEST_REQUIRE(iss.sleeping(), "seed " << seed << ": no commit at pc 0x" << std::hex << iss.pc());
      lines.while_sleeping();
      continue;
    }
    lines.after_commit();
    ++cov.commits;
    const std::size_t index = c->pc / 4;
    BOOST_TEST_REQUIRE(index < p.expect.size(),
                       "seed " << seed << ": pc 0x" << std::hex << c->pc << " beyond the code");
    const Expect e = p.expect[index];
    const bool interrupt = c->trap && (c->cause & kInterruptBit);
    if (!interrupt) cov.ops.insert(nmtwin::riscv::decode(c->insn).op);
    if (c->trap) {
      cov.causes.insert(c->cause);
      BOOST_TEST_REQUIRE((interrupt || e != Expect::none), "seed " << seed << ": unexpected trap " << c->cause
                                                                   << " at 0x" << std::hex << c->pc << ": "
                                                                   << nmtwin::riscv::disassemble(c->insn, c->pc));
    } else {
      BOOST_TEST_REQUIRE((e != Expect::must_trap), "seed " << seed << ": no trap at 0x" << std::hex << c->pc << ": "
                                                           << nmtwin::riscv::disassemble(c->insn, c->pc));
    }
    if (iss.halted()) {
      BOOST_TEST(c->pc == p.end_pc, "seed " << seed);
      BOOST_TEST(iss.trapped());
      return;
    }
  }
  BOOST_FAIL("seed " << seed << ": no halt in 400000 steps");
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_seed_same_program) {
  const RandomProgram a = random_program(7), b = random_program(7), c = random_program(8);
  BOOST_TEST(a.imem == b.imem);
  BOOST_TEST(a.dmem == b.dmem);
  BOOST_TEST(a.imem != c.imem);
  BOOST_TEST(a.imem.size() < 4096u);
  BOOST_TEST(a.imem.size() == a.expect.size());
}

BOOST_AUTO_TEST_CASE(a_million_instructions_end_and_trap_only_where_meant) {
  Coverage cov;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) run(seed, cov);
  BOOST_TEST_MESSAGE(cov.commits << " commits");
  BOOST_TEST(cov.commits >= 1'000'000u);
  for (int op = 1; op <= static_cast<int>(nmtwin::riscv::Op::csrrci); ++op) {
    const auto o = static_cast<nmtwin::riscv::Op>(op);
    BOOST_TEST(cov.ops.contains(o), "never executed: " << nmtwin::riscv::mnemonic(o));
  }
  for (std::uint32_t c :
       {cause::insn_misaligned, cause::illegal, cause::breakpoint, cause::load_misaligned, cause::load_fault,
        cause::store_misaligned, cause::store_fault, cause::ecall, cause::soft_interrupt, cause::timer_interrupt}) {
    BOOST_TEST(cov.causes.contains(c), "never trapped with cause " << c);
  }
}

BOOST_AUTO_TEST_CASE(too_many_blocks_are_refused) {
  BOOST_CHECK_THROW(random_program(1, {.blocks = 5000}), std::invalid_argument);
}
