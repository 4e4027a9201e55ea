// Every trap cause of the contract (docs/firmware.md), mret, interrupts, wfi and halts.
#include <boost/test/unit_test.hpp>

#include "sim/ppu/tests/cpu.hpp"

using namespace nmtwin::ppu;
using namespace nmtwin::ppu::test;
namespace csrs = nmtwin::riscv::csr;

namespace {

constexpr std::uint32_t kHandler = 0x200;

// A program that installs a handler at 0x200 (an ecall there, which stays unexecuted
// unless stepped), then runs `body`; returns the commit of the first body instruction
// that traps, checked against the CSRs.
struct TrapCpu : Cpu {
  explicit TrapCpu(const std::vector<std::uint32_t>& body) {
    *this << li(31, kHandler) << csr(Op::csrrw, 0, csrs::mtvec, 31) << body;
    code.resize(kHandler / 4 + 1, i_type(Op::addi, 0, 0, 0));
    code[kHandler / 4] = r_type(Op::add, 30, 0, 0);
    start();
    run(3);
  }
  Commit until_trap() {
    for (int k = 0; k < 100; ++k) {
      const Commit c = step();
      if (c.trap) {
        BOOST_TEST(iss.pc() == kHandler);
        BOOST_TEST(*iss.csrs().read(csrs::mepc) == c.pc);
        BOOST_TEST(*iss.csrs().read(csrs::mcause) == c.cause);
        BOOST_TEST(*iss.csrs().read(csrs::mtval) == c.tval);
        BOOST_TEST(c.rd == 0);
        BOOST_TEST(!c.mem_we);
        return c;
      }
    }
    BOOST_FAIL("no trap in 100 commits");
    return {};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(illegal_instruction_ecall_ebreak) {
  TrapCpu illegal({0xFFFFFFFF});
  Commit c = illegal.until_trap();
  BOOST_TEST(c.cause == cause::illegal);
  BOOST_TEST(c.tval == 0xFFFFFFFFu);
  BOOST_TEST(c.insn == 0xFFFFFFFFu);
  BOOST_TEST(c.pc == 12u);
  BOOST_TEST(illegal.step().pc == kHandler);  // the next commit is the handler's first

  TrapCpu ecall({system(Op::ecall)});
  c = ecall.until_trap();
  BOOST_TEST(c.cause == cause::ecall);
  BOOST_TEST(c.tval == 0u);
  TrapCpu ebreak({system(Op::ebreak)});
  c = ebreak.until_trap();
  BOOST_TEST(c.cause == cause::breakpoint);
  BOOST_TEST(c.tval == 12u);  // its pc
}

BOOST_AUTO_TEST_CASE(unimplemented_and_read_only_csrs_are_illegal) {
  const std::uint32_t time = csr(Op::csrrs, 1, 0xC01, 0);  // user-mode `time`: the core has no such CSR
  BOOST_TEST(TrapCpu({time}).until_trap().cause == cause::illegal);
  const std::uint32_t write_cycle = csr(Op::csrrw, 0, csrs::cycle, 1);  // a read-only shadow
  BOOST_TEST(TrapCpu({write_cycle}).until_trap().cause == cause::illegal);
  const std::uint32_t write_hartid = csr(Op::csrrw, 0, csrs::mhartid, 1);
  const Commit c = TrapCpu({write_hartid}).until_trap();
  BOOST_TEST(c.cause == cause::illegal);
  BOOST_TEST(c.tval == write_hartid);
  TrapCpu read_hartid({csr(Op::csrrs, 1, csrs::mhartid, 0), csr(Op::csrrsi, 1, csrs::mhartid, 0)});
  BOOST_TEST(!read_hartid.step().trap);
  BOOST_TEST(!read_hartid.step().trap);
}

BOOST_AUTO_TEST_CASE(misaligned_accesses_and_jumps) {
  const auto dmem = li(1, nmtwin::fw::dmem_base + 2);
  auto body = dmem;
  body.push_back(i_type(Op::lw, 2, 1, 0));
  Commit c = TrapCpu(body).until_trap();
  BOOST_TEST(c.cause == cause::load_misaligned);
  BOOST_TEST(c.tval == nmtwin::fw::dmem_base + 2);

  body = dmem;
  body.push_back(store(Op::sh, 2, 1, 1));
  c = TrapCpu(body).until_trap();
  BOOST_TEST(c.cause == cause::store_misaligned);
  BOOST_TEST(c.tval == nmtwin::fw::dmem_base + 3);

  c = TrapCpu({jal(5, 6)}).until_trap();  // jal to pc + 6
  BOOST_TEST(c.cause == cause::insn_misaligned);
  BOOST_TEST(c.tval == 18u);
  c = TrapCpu({li(1, 0x102)[0], li(1, 0x102)[1], i_type(Op::jalr, 5, 1, 1)}).until_trap();
  BOOST_TEST(c.tval == 0x102u);                                       // (0x102 + 1) & ~1
  TrapCpu cpu({branch(Op::bne, 0, 0, 2), branch(Op::beq, 0, 0, 2)});  // not taken: no trap
  BOOST_TEST(!cpu.step().trap);
  c = cpu.until_trap();
  BOOST_TEST(c.cause == cause::insn_misaligned);
  BOOST_TEST(c.pc == 16u);
  BOOST_TEST(c.tval == 18u);
}

BOOST_AUTO_TEST_CASE(access_faults) {
  const auto at = [](std::uint32_t address, std::uint32_t insn) {
    auto body = li(1, address);
    body.push_back(insn);
    return TrapCpu(body).until_trap();
  };
  Commit c = at(0x40000, i_type(Op::lw, 2, 1, 0));
  BOOST_TEST(c.cause == cause::load_fault);
  BOOST_TEST(c.tval == 0x40000u);
  c = at(0x100, store(Op::sw, 2, 1, 0));  // the instruction memory is read-only
  BOOST_TEST(c.cause == cause::store_fault);
  BOOST_TEST(c.tval == 0x100u);
  c = at(nmtwin::fw::dmem_base + nmtwin::fw::MemoryLayout{}.dmem_bytes, store(Op::sb, 2, 1, 0));  // just past
  BOOST_TEST(c.cause == cause::store_fault);
  c = at(kIoBase + 4, i_type(Op::lw, 2, 1, 0));  // no device attached
  BOOST_TEST(c.cause == cause::load_fault);
  c = at(kChipBase, i_type(Op::lbu, 2, 1, 0));
  BOOST_TEST(c.cause == cause::load_fault);

  // Fetch outside the instruction memory: cause 1 with the pc, no instruction word.
  auto body = li(1, nmtwin::fw::dmem_base);
  body.push_back(i_type(Op::jalr, 0, 1, 0));
  c = TrapCpu(body).until_trap();
  BOOST_TEST(c.cause == cause::insn_fault);
  BOOST_TEST(c.pc == nmtwin::fw::dmem_base);
  BOOST_TEST(c.tval == nmtwin::fw::dmem_base);
  BOOST_TEST(c.insn == 0u);
}

BOOST_AUTO_TEST_CASE(io_window_takes_words_only) {
  struct Io : IssDevice {
    std::optional<std::uint32_t> load(std::uint32_t, std::uint8_t) override { return 7; }
    bool store(std::uint32_t offset, std::uint32_t, std::uint8_t) override { return offset != 0x04; }
  } io;
  auto body = li(1, kIoBase);
  body.push_back(i_type(Op::lw, 2, 1, 0));
  body.push_back(i_type(Op::lh, 2, 1, 0));
  TrapCpu cpu(body);
  cpu.iss.attach(&io, nullptr);
  cpu.run(2);
  BOOST_TEST(cpu.step().rd_wdata == 7u);
  BOOST_TEST(cpu.until_trap().cause == cause::load_fault);
  body = li(1, kIoBase);
  body.push_back(store(Op::sw, 2, 1, 4));  // the device refuses (a read-only register)
  TrapCpu refused(body);
  refused.iss.attach(&io, nullptr);
  BOOST_TEST(refused.until_trap().cause == cause::store_fault);
}

BOOST_AUTO_TEST_CASE(no_handler_halts) {
  Cpu cpu;
  cpu << system(Op::ecall) << i_type(Op::addi, 1, 0, 1);
  cpu.start();
  const Commit c = cpu.step();
  BOOST_TEST(c.trap);
  BOOST_TEST(cpu.iss.halted());
  BOOST_TEST(cpu.iss.trapped());
  BOOST_TEST(!cpu.iss.step().has_value());
  cpu.iss.reset();  // memories kept: the program runs again
  BOOST_TEST(!cpu.iss.halted());
  BOOST_TEST(cpu.step().cause == cause::ecall);
}

BOOST_AUTO_TEST_CASE(mret_restores_interrupt_enable) {
  TrapCpu cpu({csr(Op::csrrsi, 0, csrs::mstatus, 8), system(Op::ecall)});
  cpu.step();
  BOOST_TEST(cpu.until_trap().cause == cause::ecall);
  BOOST_TEST(*cpu.iss.csrs().read(csrs::mstatus) == 0x1880u);  // MPIE = old MIE, MIE = 0
  // The handler: mepc += 4, mret.
  cpu.code[kHandler / 4] = csr(Op::csrrs, 5, csrs::mepc, 0);
  cpu.code.push_back(i_type(Op::addi, 5, 5, 4));
  cpu.code.push_back(csr(Op::csrrw, 0, csrs::mepc, 5));
  cpu.code.push_back(system(Op::mret));
  std::copy(cpu.code.begin(), cpu.code.end(), cpu.iss.imem().begin());
  cpu.run(4);
  BOOST_TEST(cpu.iss.pc() == 20u);
  BOOST_TEST(*cpu.iss.csrs().read(csrs::mstatus) == 0x1888u);  // MIE = MPIE, MPIE = 1
}

BOOST_AUTO_TEST_CASE(interrupts_between_instructions) {
  TrapCpu cpu({li(1, 0x88)[0], li(1, 0x88)[1], csr(Op::csrrw, 0, csrs::mie, 1), i_type(Op::addi, 2, 0, 1),
               csr(Op::csrrsi, 0, csrs::mstatus, 8), i_type(Op::addi, 2, 0, 2)});
  cpu.run(3);
  cpu.iss.set_interrupt_lines(true, true);  // pending, but mstatus.MIE = 0
  BOOST_TEST(!cpu.step().trap);
  BOOST_TEST(!cpu.step().trap);  // sets MIE; the interrupt comes before the next instruction
  const Commit c = cpu.until_trap();
  BOOST_TEST(c.cause == cause::soft_interrupt);  // software before timer
  BOOST_TEST(c.pc == 32u);
  BOOST_TEST(c.insn == 0u);
  BOOST_TEST(cpu.iss.reg(2) == 1u);  // the instruction at 32 did not run
  cpu.iss.set_interrupt_lines(true, false);
  BOOST_TEST(!cpu.step().trap);  // in the handler MIE = 0
}

BOOST_AUTO_TEST_CASE(wfi_sleeps_until_an_enabled_interrupt) {
  TrapCpu cpu({li(1, 0x80)[0], li(1, 0x80)[1], csr(Op::csrrw, 0, csrs::mie, 1), system(Op::wfi),
               i_type(Op::addi, 2, 0, 5), csr(Op::csrrsi, 0, csrs::mstatus, 8), system(Op::wfi),
               i_type(Op::addi, 2, 0, 6)});
  cpu.run(4);
  BOOST_TEST(cpu.iss.sleeping());
  BOOST_TEST(!cpu.iss.step().has_value());
  cpu.iss.set_interrupt_lines(false, true);  // not enabled in mie: keeps sleeping
  BOOST_TEST(!cpu.iss.step().has_value());
  cpu.iss.set_interrupt_lines(true, false);  // enabled, mstatus.MIE = 0: wakes, no trap
  BOOST_TEST(cpu.step().rd_wdata == 5u);
  cpu.iss.set_interrupt_lines(false, false);
  cpu.run(2);  // MIE = 1, wfi
  BOOST_TEST(!cpu.iss.step().has_value());
  cpu.iss.set_interrupt_lines(true, false);
  const Commit c = cpu.until_trap();
  BOOST_TEST(c.cause == cause::timer_interrupt);
  BOOST_TEST(c.pc == 40u);                                               // after the wfi
  BOOST_TEST(cpu.iss.csrs().mcycle() == cpu.iss.csrs().minstret() + 1);  // no cycles asleep; one trap
}

BOOST_AUTO_TEST_CASE(external_halt) {
  TrapCpu cpu({i_type(Op::addi, 2, 0, 5)});
  cpu.iss.halt();
  BOOST_TEST(!cpu.iss.step().has_value());
  BOOST_TEST(!cpu.iss.trapped());
}
