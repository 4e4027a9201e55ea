// Layout: 0: jal to the prologue; 4: the trap handler (exceptions: mepc += 4, read mtval;
// interrupts: clear mstatus.MPIE, so that the level-sensitive line does not interrupt
// again after mret until the program sets mstatus.MIE; mret); the prologue (mtvec = 4,
// base registers, register values with edge cases); the random blocks; mie = 0;
// mtvec = 0; ecall. Blocks are atomic for control flow: a branch or jump lands only on
// the first word of a later block (never inside a loop, whose counter would be stale).
// Reserved registers: x27 mailbox base + 512, x28 data base + 2048 (so every 12-bit
// offset stays inside), x29/x30 handler scratch, x31 loop counter; random instructions
// write x0..x26 only.

#include "sim/ppu/tests/random_program.hpp"

#include <stdexcept>

#include "nmtwin/random.hpp"
#include "nmtwin/riscv.hpp"
#include "sim/ppu/iss.hpp"
#include "sim/ppu/tests/asm.hpp"

namespace nmtwin::ppu::test {

namespace {

namespace rnd = nmtwin::random;
namespace csrs = nmtwin::riscv::csr;
using Expect = RandomProgram::Expect;

constexpr unsigned kMailboxReg = 27, kDataReg = 28, kScratchA = 29, kScratchB = 30, kLoopReg = 31;
constexpr std::uint32_t kHandler = 4;

// One word of a block; `target` >= 0: a jump or branch to the start of block `target`
// (`skew` bytes past it: 2 makes the target misaligned), patched at layout.
struct Item {
  riscv::Instruction insn;
  Expect expect = Expect::none;
  int target = -1;
  std::int32_t skew = 0;
  bool via_auipc = false;  // jalr: the offset is relative to the auipc before it
};
using Block = std::vector<Item>;

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  unsigned pick(unsigned n) { return static_cast<unsigned>(rnd::uniform_int<std::uint64_t>(rng_, 0, n - 1)); }
  bool chance(double p) { return rnd::bernoulli(rng_, p); }
  std::int32_t between(std::int32_t lo, std::int32_t hi) { return rnd::uniform_int<std::int32_t>(rng_, lo, hi); }
  std::uint32_t word() { return static_cast<std::uint32_t>(rng_()); }
  std::uint8_t rd() { return static_cast<std::uint8_t>(pick(27)); }  // x0..x26
  std::uint8_t rs() { return static_cast<std::uint8_t>(pick(32)); }

  // A register value: mostly random, often an edge case of the M extension and compares.
  std::uint32_t value() {
    static constexpr std::uint32_t edges[] = {0, 1, 2, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0xFFFFFFFE, 31, 32};
    return chance(0.4) ? edges[pick(std::size(edges))] : word();
  }

  Item straight();  // any instruction that is not control flow
  Block control(int block_index, int last_block);
  Block loop();
  Block sleep();

 private:
  Item alu();
  Item memory(bool is_store);
  Item csr_access();
  Item trap();

  rnd::Xoshiro256ss rng_;
};

Item Generator::alu() {
  static constexpr Op reg_ops[] = {Op::add,    Op::sub,   Op::sll, Op::slt,  Op::sltu, Op::xor_,
                                   Op::srl,    Op::sra,   Op::or_, Op::and_, Op::mul,  Op::mulh,
                                   Op::mulhsu, Op::mulhu, Op::div, Op::divu, Op::rem,  Op::remu};
  static constexpr Op imm_ops[] = {Op::addi, Op::slti, Op::sltiu, Op::xori, Op::ori, Op::andi};
  static constexpr Op shift_ops[] = {Op::slli, Op::srli, Op::srai};
  switch (pick(4)) {
    case 0:
      return {{.op = reg_ops[pick(std::size(reg_ops))], .rd = rd(), .rs1 = rs(), .rs2 = rs()}};
    case 1:
      return {{.op = imm_ops[pick(std::size(imm_ops))], .rd = rd(), .rs1 = rs(), .imm = between(-2048, 2047)}};
    case 2:
      return {{.op = shift_ops[pick(std::size(shift_ops))], .rd = rd(), .rs1 = rs(), .imm = between(0, 31)}};
    default:
      return {{.op = chance(0.5) ? Op::lui : Op::auipc, .rd = rd(), .imm = between(0, 0xFFFFF)}};
  }
}

// Loads and stores: mostly aligned in the data memory window, some in the mailbox, some
// at x0 + offset (the instruction memory: loads read code, stores fault; negative
// offsets fault), some misaligned.
Item Generator::memory(bool is_store) {
  static constexpr Op loads[] = {Op::lb, Op::lh, Op::lw, Op::lbu, Op::lhu};
  static constexpr Op stores[] = {Op::sb, Op::sh, Op::sw};
  const Op op = is_store ? stores[pick(3)] : loads[pick(5)];
  const std::int32_t bytes = (op == Op::lb || op == Op::lbu || op == Op::sb) ? 1
                             : (op == Op::lw || op == Op::sw)                ? 4
                                                                             : 2;
  const unsigned where = pick(10);
  const std::uint8_t base = where < 7 ? kDataReg : where < 9 ? kMailboxReg : 0;
  const std::int32_t span = base == kMailboxReg ? 512 : 2048;
  std::int32_t offset = between(-span, span - 1) & ~(bytes - 1);
  Expect expect = Expect::none;
  if (bytes > 1 && chance(0.03)) {
    offset |= 1;
    expect = Expect::must_trap;
  }
  if (base == 0 && (is_store || offset < 0)) expect = Expect::must_trap;
  if (is_store) return {{.op = op, .rs1 = base, .rs2 = rs(), .imm = offset}, expect};
  return {{.op = op, .rd = rd(), .rs1 = base, .imm = offset}, expect};
}

// CSR instructions on the CSRs whose values both models agree on at every instruction:
// not mcycle (the RTL counts clocked cycles); never mtvec (the handler) but reads.
Item Generator::csr_access() {
  struct Csr {
    std::uint16_t address;
    bool writable, readable;
  };
  static constexpr Csr table[] = {
      {csrs::mstatus, true, true},   {csrs::misa, true, true},       {csrs::mie, true, true},
      {csrs::mtvec, false, true},    {csrs::mscratch, true, true},   {csrs::mepc, true, true},
      {csrs::mcause, true, true},    {csrs::mtval, true, true},      {csrs::mip, true, true},
      {csrs::mcycle, true, false},   {csrs::mcycleh, true, false},   {csrs::minstret, true, true},
      {csrs::minstreth, true, true}, {csrs::instret, false, true},   {csrs::instreth, false, true},
      {csrs::mhartid, false, true},  {csrs::mvendorid, false, true}, {csrs::marchid, false, true},
      {csrs::mimpid, false, true}};
  static constexpr Op ops[] = {Op::csrrw, Op::csrrs, Op::csrrc, Op::csrrwi, Op::csrrsi, Op::csrrci};
  const Csr& c = table[pick(std::size(table))];
  Op op = ops[pick(6)];
  const bool immediate = op == Op::csrrwi || op == Op::csrrsi || op == Op::csrrci;
  riscv::Instruction insn{.op = op, .rd = c.readable ? rd() : std::uint8_t{0}, .csr = c.address};
  if (immediate) {
    insn.imm = between(0, 31);
  } else {
    insn.rs1 = rs();
  }
  if (!c.writable) {  // read only: csrrs/csrrsi with nothing to set
    insn.op = immediate ? Op::csrrsi : Op::csrrs;
    insn.rs1 = 0;
    insn.imm = 0;
  }
  return {insn};
}

Item Generator::trap() {
  switch (pick(5)) {
    case 0:
      return {{.op = Op::ecall}, Expect::must_trap};
    case 1:
      return {{.op = Op::ebreak}, Expect::must_trap};
    case 2:
      return {{.op = Op::csrrs, .rd = rd(), .csr = 0x7C0}, Expect::must_trap};  // no such CSR
    case 3:
      return {{.op = Op::csrrw, .rs1 = rs(), .csr = csrs::mhartid}, Expect::must_trap};
    default:
      for (;;) {  // a word the core does not know (Op::illegal: laid out as its word)
        const riscv::Instruction insn = riscv::decode(word());
        if (insn.op == Op::illegal) return {insn, Expect::must_trap};
      }
  }
}

Item Generator::straight() {
  const unsigned kind = pick(100);
  if (kind < 45) return alu();
  if (kind < 60) return memory(false);
  if (kind < 72) return memory(true);
  if (kind < 92) return csr_access();
  if (kind < 94) {  // fences, some with the reserved fields the core ignores
    if (chance(0.1)) return {{.op = chance(0.5) ? Op::fence_tso : Op::fence_i}};
    return {{.op = Op::fence, .rd = rd(), .rs1 = rs(), .imm = between(0, 4095)}};
  }
  return trap();
}

// A forward branch, jal, or auipc + jalr to a later block (at most 8 ahead), now and
// then to a misaligned target.
Block Generator::control(int block_index, int last_block) {
  static constexpr Op branches[] = {Op::beq, Op::bne, Op::blt, Op::bge, Op::bltu, Op::bgeu};
  const int target = std::min(last_block, block_index + 1 + static_cast<int>(pick(8)));
  const bool misaligned = chance(0.04);
  const std::int32_t skew = misaligned ? 2 : 0;
  switch (pick(3)) {
    case 0:
      return {{{.op = branches[pick(6)], .rs1 = rs(), .rs2 = rs()},
               misaligned ? Expect::may_trap : Expect::none,
               target,
               skew}};
    case 1:
      return {{{.op = Op::jal, .rd = rd()}, misaligned ? Expect::must_trap : Expect::none, target, skew}};
    default: {
      const std::uint8_t link = static_cast<std::uint8_t>(1 + pick(26));
      return {{{.op = Op::auipc, .rd = link}},
              {{.op = Op::jalr, .rd = rd(), .rs1 = link},
               misaligned ? Expect::must_trap : Expect::none,
               target,
               skew,
               true}};
    }
  }
}

// x31 = 1..4; body; x31 -= 1; bne x31, x0, body.
Block Generator::loop() {
  Block b{{{.op = Op::addi, .rd = kLoopReg, .imm = between(1, 4)}}};
  const unsigned body = 1 + pick(6);
  for (unsigned k = 0; k < body; ++k) b.push_back(straight());
  b.push_back({{.op = Op::addi, .rd = kLoopReg, .rs1 = kLoopReg, .imm = -1}});
  b.push_back({{.op = Op::bne, .rs1 = kLoopReg, .imm = -4 * static_cast<std::int32_t>(body + 1)}});
  return b;
}

// mie.MSIE = 1; wfi: the software line, which the bench raises while the core sleeps,
// ends the wait.
Block Generator::sleep() {
  return {{{.op = Op::csrrsi, .imm = static_cast<std::int32_t>(kMipMsip), .csr = csrs::mie}}, {{.op = Op::wfi}}};
}

Block prologue(Generator& g) {
  Block b;
  const auto add = [&](const std::vector<std::uint32_t>& words) {
    for (std::uint32_t w : words) b.push_back({riscv::decode(w)});
  };
  add(li(kScratchA, kHandler));
  add({csr(Op::csrrw, 0, csrs::mtvec, kScratchA)});
  add(li(kDataReg, fw::dmem_base + 2048));
  add(li(kMailboxReg, fw::mailbox_base + 512));
  for (unsigned r = 1; r <= 26; ++r) add(li(r, g.value()));
  return b;
}

}  // namespace

RandomProgram random_program(std::uint64_t seed, const RandomOptions& options) {
  Generator g(seed);
  RandomProgram p;
  p.dmem.resize(options.dmem_words);
  for (auto& w : p.dmem) w = g.value();
  p.mailbox.resize(options.mailbox_words);
  for (auto& w : p.mailbox) w = g.word();

  // Block 0 jumps over the handler (block 1) to the prologue (block 2).
  std::vector<Block> blocks;
  blocks.push_back({{{.op = Op::jal}, Expect::none, 2}});
  blocks.push_back({});
  for (std::uint32_t w :
       {csr(Op::csrrs, kScratchA, csrs::mcause, 0), branch(Op::bge, kScratchA, 0, 16),
        i_type(Op::addi, kScratchB, 0, static_cast<std::int32_t>(kMstatusMpie)),
        csr(Op::csrrc, 0, csrs::mstatus, kScratchB), system(Op::mret), csr(Op::csrrs, kScratchA, csrs::mepc, 0),
        i_type(Op::addi, kScratchA, kScratchA, 4), csr(Op::csrrw, 0, csrs::mepc, kScratchA),
        csr(Op::csrrs, kScratchB, csrs::mtval, 0), system(Op::mret)}) {
    blocks.back().push_back({riscv::decode(w)});
  }
  blocks.push_back(prologue(g));
  const int first = static_cast<int>(blocks.size());
  const int last = first + static_cast<int>(options.blocks);  // the final block's index
  for (int i = first; i < last; ++i) {
    const unsigned kind = g.pick(100);
    blocks.push_back(kind < 12   ? g.control(i, last)
                     : kind < 16 ? g.loop()
                     : kind < 17 ? g.sleep()
                                 : Block{g.straight()});
  }
  blocks.push_back({{{.op = Op::csrrw, .csr = csrs::mie}},
                    {{.op = Op::csrrw, .csr = csrs::mtvec}},
                    {{.op = Op::ecall}, Expect::must_trap}});

  std::vector<std::uint32_t> start;  // byte address of each block
  std::uint32_t pc = 0;
  for (const Block& b : blocks) {
    start.push_back(pc);
    pc += static_cast<std::uint32_t>(b.size() * 4);
  }
  if (pc / 4 > options.imem_words) {
    throw std::invalid_argument("random_program: " + std::to_string(pc / 4) + " words do not fit " +
                                std::to_string(options.imem_words) + ": ask for fewer blocks");
  }
  for (std::size_t bi = 0; bi < blocks.size(); ++bi) {
    std::uint32_t at = start[bi];
    for (Item item : blocks[bi]) {
      if (item.target >= 0) {
        const std::uint32_t base = item.via_auipc ? at - 4 : at;
        item.insn.imm = static_cast<std::int32_t>(start[static_cast<std::size_t>(item.target)] - base) + item.skew;
      }
      p.imem.push_back(item.insn.op == Op::illegal ? item.insn.word : riscv::encode(item.insn));
      p.expect.push_back(item.expect);
      at += 4;
    }
  }
  p.end_pc = pc - 4;
  return p;
}

}  // namespace nmtwin::ppu::test

namespace nmtwin::ppu::test {

RandomLines::RandomLines(std::uint64_t seed) : rng_(seed) {}

void RandomLines::after_commit() {
  if (nmtwin::random::bernoulli(rng_, 1.0 / 64)) timer_ = !timer_;
  if (nmtwin::random::bernoulli(rng_, 1.0 / 64)) soft_ = !soft_;
}

void RandomLines::while_sleeping() {
  if (nmtwin::random::bernoulli(rng_, 0.25)) soft_ = true;
}

}  // namespace nmtwin::ppu::test
