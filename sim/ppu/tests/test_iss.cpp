// The instruction-set model, instruction class by instruction class, with expected values
// worked out by hand from the RISC-V unprivileged spec.
#include <boost/test/unit_test.hpp>
#include <map>

#include "sim/ppu/tests/cpu.hpp"

using namespace nmtwin::ppu;
using namespace nmtwin::ppu::test;
namespace csrs = nmtwin::riscv::csr;

namespace {

// Runs `op rd=x3, x1=a, x2=b` (register form) and returns x3.
std::uint32_t reg_op(Op op, std::uint32_t a, std::uint32_t b) {
  Cpu cpu;
  cpu << li(1, a) << li(2, b) << r_type(op, 3, 1, 2);
  cpu.start();
  const Commit c = cpu.run(5);
  BOOST_TEST(c.rd == 3);
  return c.rd_wdata;
}

std::uint32_t imm_op(Op op, std::uint32_t a, std::int32_t imm) {
  Cpu cpu;
  cpu << li(1, a) << i_type(op, 3, 1, imm);
  cpu.start();
  return cpu.run(3).rd_wdata;
}

// A recording device: remembers stores, answers loads from its map; `fail` refuses all.
struct Device : IssDevice {
  std::map<std::uint32_t, std::uint32_t> words;
  std::vector<std::pair<std::uint32_t, std::uint8_t>> accesses;
  bool fail = false;
  std::optional<std::uint32_t> load(std::uint32_t offset, std::uint8_t be) override {
    accesses.emplace_back(offset, be);
    if (fail) return std::nullopt;
    return words[offset];
  }
  bool store(std::uint32_t offset, std::uint32_t data, std::uint8_t be) override {
    accesses.emplace_back(offset, be);
    words[offset] = data;
    return !fail;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(alu_register) {
  BOOST_TEST(reg_op(Op::add, 0xFFFFFFFF, 2) == 1u);
  BOOST_TEST(reg_op(Op::sub, 1, 2) == 0xFFFFFFFFu);
  BOOST_TEST(reg_op(Op::sll, 1, 33) == 2u);  // shift amount is rs2[4:0]
  BOOST_TEST(reg_op(Op::slt, 0xFFFFFFFF, 0) == 1u);
  BOOST_TEST(reg_op(Op::sltu, 0xFFFFFFFF, 0) == 0u);
  BOOST_TEST(reg_op(Op::xor_, 0xF0F0F0F0, 0xFF00FF00) == 0x0FF00FF0u);
  BOOST_TEST(reg_op(Op::srl, 0x80000000, 31) == 1u);
  BOOST_TEST(reg_op(Op::sra, 0x80000000, 31) == 0xFFFFFFFFu);
  BOOST_TEST(reg_op(Op::or_, 0xF0, 0x0F) == 0xFFu);
  BOOST_TEST(reg_op(Op::and_, 0xF0F0, 0x0FF0) == 0x00F0u);
}

BOOST_AUTO_TEST_CASE(alu_immediate) {
  BOOST_TEST(imm_op(Op::addi, 5, -2048) == static_cast<std::uint32_t>(5 - 2048));
  BOOST_TEST(imm_op(Op::slti, 0xFFFFFFFE, -1) == 1u);
  BOOST_TEST(imm_op(Op::sltiu, 5, -1) == 1u);  // -1 compares as 0xFFFFFFFF
  BOOST_TEST(imm_op(Op::xori, 0x0F, -1) == 0xFFFFFFF0u);
  BOOST_TEST(imm_op(Op::ori, 0x100, 0x0FF) == 0x1FFu);
  BOOST_TEST(imm_op(Op::andi, 0xFFFF, 0x7F0) == 0x7F0u);
  BOOST_TEST(imm_op(Op::slli, 3, 31) == 0x80000000u);
  BOOST_TEST(imm_op(Op::srli, 0x80000000, 4) == 0x08000000u);
  BOOST_TEST(imm_op(Op::srai, 0x80000000, 4) == 0xF8000000u);
}

BOOST_AUTO_TEST_CASE(multiply_and_divide) {
  BOOST_TEST(reg_op(Op::mul, 0x12345678, 0x9ABCDEF0) == 0x242D2080u);
  BOOST_TEST(reg_op(Op::mulh, 0xFFFFFFFF, 0xFFFFFFFF) == 0u);             // -1 * -1 = 1
  BOOST_TEST(reg_op(Op::mulhsu, 0xFFFFFFFF, 0xFFFFFFFF) == 0xFFFFFFFFu);  // -1 * (2^32-1)
  BOOST_TEST(reg_op(Op::mulhu, 0xFFFFFFFF, 0xFFFFFFFF) == 0xFFFFFFFEu);
  BOOST_TEST(reg_op(Op::div, static_cast<std::uint32_t>(-7), 2) == static_cast<std::uint32_t>(-3));
  BOOST_TEST(reg_op(Op::rem, static_cast<std::uint32_t>(-7), 2) == static_cast<std::uint32_t>(-1));
  BOOST_TEST(reg_op(Op::divu, 7, 2) == 3u);
  BOOST_TEST(reg_op(Op::remu, 7, 2) == 1u);
  // Division by zero and signed overflow (spec table 7.1).
  BOOST_TEST(reg_op(Op::div, 5, 0) == 0xFFFFFFFFu);
  BOOST_TEST(reg_op(Op::divu, 5, 0) == 0xFFFFFFFFu);
  BOOST_TEST(reg_op(Op::rem, 5, 0) == 5u);
  BOOST_TEST(reg_op(Op::remu, 5, 0) == 5u);
  BOOST_TEST(reg_op(Op::div, 0x80000000, 0xFFFFFFFF) == 0x80000000u);
  BOOST_TEST(reg_op(Op::rem, 0x80000000, 0xFFFFFFFF) == 0u);
}

BOOST_AUTO_TEST_CASE(upper_immediates_and_x0) {
  Cpu cpu;
  cpu << upper(Op::lui, 5, 0xABCDE) << upper(Op::auipc, 6, 1) << i_type(Op::addi, 0, 0, 7) << r_type(Op::add, 7, 0, 0);
  cpu.start();
  Commit c = cpu.step();
  BOOST_TEST(c.rd == 5);
  BOOST_TEST(c.rd_wdata == 0xABCDE000u);
  c = cpu.step();
  BOOST_TEST(c.rd_wdata == 0x1004u);  // pc 4 + 0x1000
  c = cpu.step();
  BOOST_TEST(c.rd == 0, "a write to x0 commits no register");
  BOOST_TEST(c.rd_wdata == 0u);
  c = cpu.step();
  BOOST_TEST(c.rd_wdata == 0u);
  BOOST_TEST(cpu.iss.reg(0) == 0u);
}

BOOST_AUTO_TEST_CASE(jumps_link_and_clear_bit_0) {
  Cpu cpu;
  cpu << jal(1, 12) << system(Op::ecall) << system(Op::ecall) << li(5, 0x21) << i_type(Op::jalr, 2, 5, 0);
  cpu.start();
  Commit c = cpu.step();
  BOOST_TEST(c.rd == 1);
  BOOST_TEST(c.rd_wdata == 4u);
  BOOST_TEST(cpu.iss.pc() == 12u);
  c = cpu.run(3);  // li, jalr to 0x21 & ~1 = 0x20
  BOOST_TEST(c.rd_wdata == 0x18u);
  BOOST_TEST(cpu.iss.pc() == 0x20u);
}

BOOST_AUTO_TEST_CASE(branches_compare_signed_and_unsigned) {
  const std::uint32_t minus_one = 0xFFFFFFFF;
  const auto taken = [&](Op op, std::uint32_t a, std::uint32_t b) {
    Cpu cpu;
    cpu << li(1, a) << li(2, b) << branch(op, 1, 2, -16);
    cpu.start();
    cpu.run(5);
    BOOST_TEST_REQUIRE((cpu.iss.pc() == 0u || cpu.iss.pc() == 20u));
    return cpu.iss.pc() == 0u;
  };
  BOOST_TEST(taken(Op::beq, 3, 3));
  BOOST_TEST(!taken(Op::beq, 3, 4));
  BOOST_TEST(taken(Op::bne, 3, 4));
  BOOST_TEST(taken(Op::blt, minus_one, 0));
  BOOST_TEST(!taken(Op::bltu, minus_one, 0));
  BOOST_TEST(taken(Op::bge, 0, minus_one));
  BOOST_TEST(taken(Op::bge, 5, 5));
  BOOST_TEST(!taken(Op::bgeu, 0, minus_one));
  BOOST_TEST(taken(Op::bltu, 0, minus_one));
}

BOOST_AUTO_TEST_CASE(loads_and_stores_by_lane) {
  Cpu cpu;
  cpu << li(1, nmtwin::fw::dmem_base) << li(2, 0x8899AABB) << store(Op::sw, 2, 1, 0) << store(Op::sb, 2, 1, 5)
      << store(Op::sh, 2, 1, 10) << i_type(Op::lb, 3, 1, 0) << i_type(Op::lbu, 4, 1, 3) << i_type(Op::lh, 5, 1, 2)
      << i_type(Op::lhu, 6, 1, 2) << i_type(Op::lw, 7, 1, 8);
  cpu.start();
  cpu.run(4);
  Commit c = cpu.step();  // sw
  BOOST_TEST(c.mem_we);
  BOOST_TEST(c.mem_addr == 0x10000u);
  BOOST_TEST(c.mem_wdata == 0x8899AABBu);
  BOOST_TEST(c.mem_be == 0xF);
  BOOST_TEST(c.rd == 0);
  c = cpu.step();  // sb to byte 5: lane 1 of word 0x10004
  BOOST_TEST(c.mem_addr == 0x10005u);
  BOOST_TEST(c.mem_be == 0x2);
  BOOST_TEST(c.mem_wdata == 0x0000BB00u);
  c = cpu.step();  // sh to bytes 10, 11
  BOOST_TEST(c.mem_addr == 0x1000Au);
  BOOST_TEST(c.mem_be == 0xC);
  BOOST_TEST(c.mem_wdata == 0xAABB0000u);
  BOOST_TEST(cpu.step().rd_wdata == 0xFFFFFFBBu);  // lb sign-extends
  BOOST_TEST(cpu.step().rd_wdata == 0x88u);        // lbu
  BOOST_TEST(cpu.step().rd_wdata == 0xFFFF8899u);  // lh
  c = cpu.step();
  BOOST_TEST(c.rd_wdata == 0x8899u);  // lhu
  BOOST_TEST(!c.mem_we);
  BOOST_TEST(cpu.step().rd_wdata == 0xAABB0000u);
  BOOST_TEST(cpu.iss.dmem()[1] == 0x0000BB00u);
}

BOOST_AUTO_TEST_CASE(instruction_memory_reads_and_mailbox) {
  Cpu cpu;
  cpu << i_type(Op::lw, 1, 0, 0) << li(2, nmtwin::fw::mailbox_base) << store(Op::sw, 1, 2, 0x3FC)
      << i_type(Op::lw, 3, 2, 0x3FC);
  cpu.start();
  BOOST_TEST(cpu.step().rd_wdata == cpu.code[0]);  // read-only data in imem
  cpu.run(3);
  BOOST_TEST(cpu.step().rd_wdata == cpu.code[0]);
  BOOST_TEST(cpu.iss.mailbox()[255] == cpu.code[0]);
}

BOOST_AUTO_TEST_CASE(devices_see_word_offsets_and_lanes) {
  Cpu cpu;
  Device io, chip;
  io.words[0x08] = 0x1234;
  chip.words[0x20004] = 0x44332211;
  cpu.iss.attach(&io, &chip);
  cpu << li(1, kIoBase) << i_type(Op::lw, 2, 1, 8) << store(Op::sw, 2, 1, 0x18) << li(3, kChipBase + 0x20000)
      << i_type(Op::lbu, 4, 3, 6) << store(Op::sh, 2, 3, 2);
  cpu.start();
  cpu.run(2);
  BOOST_TEST(cpu.step().rd_wdata == 0x1234u);
  BOOST_TEST(cpu.step().mem_addr == kIoBase + 0x18);
  BOOST_TEST(io.words[0x18] == 0x1234u);
  cpu.run(2);
  BOOST_TEST(cpu.step().rd_wdata == 0x33u);
  cpu.step();
  BOOST_TEST(chip.words[0x20000] == 0x12340000u);
  BOOST_TEST(chip.accesses.back().second == 0xC);
  BOOST_TEST(chip.accesses.front().first == 0x20004u);
  BOOST_TEST(chip.accesses.front().second == 0x4);
}

BOOST_AUTO_TEST_CASE(csr_read_write_rules) {
  Cpu cpu;
  cpu << li(1, 0xFFFFFFFF) << csr(Op::csrrw, 0, csrs::mscratch, 1) << csr(Op::csrrci, 2, csrs::mscratch, 0x11)
      << csr(Op::csrrs, 3, csrs::mscratch, 0) << csr(Op::csrrw, 0, csrs::mstatus, 1)
      << csr(Op::csrrs, 4, csrs::mstatus, 0) << csr(Op::csrrw, 0, csrs::mtvec, 1) << csr(Op::csrrs, 5, csrs::mtvec, 0)
      << csr(Op::csrrs, 6, csrs::misa, 0) << csr(Op::csrrs, 7, csrs::mhartid, 0) << csr(Op::csrrw, 0, csrs::mie, 1)
      << csr(Op::csrrs, 8, csrs::mie, 0) << csr(Op::csrrw, 0, csrs::misa, 0) << csr(Op::csrrs, 9, csrs::misa, 0);
  cpu.start();
  cpu.run(3);
  BOOST_TEST(cpu.step().rd_wdata == 0xFFFFFFFFu);  // csrrci returns the old value
  BOOST_TEST(cpu.step().rd_wdata == 0xFFFFFFEEu);
  cpu.step();
  BOOST_TEST(cpu.step().rd_wdata == 0x1888u);  // MIE, MPIE, MPP = M
  cpu.step();
  BOOST_TEST(cpu.step().rd_wdata == 0xFFFFFFFCu);  // direct mode only
  BOOST_TEST(cpu.step().rd_wdata == 0x40001100u);  // RV32 I M
  BOOST_TEST(cpu.step().rd_wdata == 0u);
  cpu.step();
  BOOST_TEST(cpu.step().rd_wdata == 0x88u);  // MSIE, MTIE
  cpu.step();
  BOOST_TEST(cpu.step().rd_wdata == 0x40001100u);  // misa ignores writes
}

BOOST_AUTO_TEST_CASE(counters_count_and_keep_written_values) {
  Cpu cpu;
  cpu << i_type(Op::addi, 1, 0, 0) << i_type(Op::addi, 1, 0, 0) << csr(Op::csrrs, 2, csrs::minstret, 0) << li(3, 100)
      << csr(Op::csrrw, 0, csrs::minstret, 3) << csr(Op::csrrs, 4, csrs::minstret, 0)
      << csr(Op::csrrs, 5, csrs::minstreth, 0) << csr(Op::csrrs, 6, csrs::mcycle, 0)
      << csr(Op::csrrs, 7, csrs::instret, 0) << csr(Op::csrrs, 8, csrs::cycle, 0);
  cpu.start();
  cpu.run(2);
  BOOST_TEST(cpu.step().rd_wdata == 2u);  // two retired before it
  cpu.run(3);
  BOOST_TEST(cpu.step().rd_wdata == 100u);  // the write holds; no increment for the writer
  BOOST_TEST(cpu.step().rd_wdata == 0u);
  BOOST_TEST(cpu.step().rd_wdata == 9u);    // one cycle per commit in the model, its own included
  BOOST_TEST(cpu.step().rd_wdata == 103u);  // the read-only shadows
  BOOST_TEST(cpu.step().rd_wdata == 11u);
  BOOST_TEST(cpu.iss.csrs().minstret() == 105u);
}
