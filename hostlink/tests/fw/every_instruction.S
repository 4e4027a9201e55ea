# Every instruction the PPU core executes, with edge immediates and every register
# name, for test_riscv: objdump -M no-aliases disassembles this object at build time
# and the test compares its text with nmtwin::riscv::disassemble word by word.
  .text
  .globl _start
_start:
  lui zero, 0
  lui ra, 0xfffff
  lui sp, 0x80000
  auipc gp, 0
  auipc tp, 0x7ffff
back:
  jal t0, back
  jal t1, forward
  jal zero, _start
  jalr t2, 0(s0)
  jalr s1, -2048(a0)
  jalr a1, 2047(a2)
  beq a3, a4, back
  bne a5, a6, forward
  blt a7, s2, back
  bge s3, s4, forward
  bltu s5, s6, back
  bgeu s7, s8, forward
  beq zero, zero, .+4094
  bne zero, zero, .-4096
forward:
  lb s9, -1(s10)
  lh s11, 2047(t3)
  lw t4, -2048(t5)
  lbu t6, 0(zero)
  lhu a0, 100(sp)
  sb a1, -1(sp)
  sh a2, 2047(sp)
  sw a3, -2048(sp)
  addi a4, a5, -2048
  slti a6, a7, 2047
  sltiu s2, s3, -1
  xori s4, s5, 0x555
  ori s6, s7, -1366
  andi s8, s9, 255
  slli s10, s11, 0
  srli t3, t4, 31
  srai t5, t6, 17
  add a0, a1, a2
  sub a3, a4, a5
  sll a6, a7, s2
  slt s3, s4, s5
  sltu s6, s7, s8
  xor s9, s10, s11
  srl t3, t4, t5
  sra t6, zero, ra
  or sp, gp, tp
  and t0, t1, t2
  mul s0, s1, a0
  mulh a1, a2, a3
  mulhsu a4, a5, a6
  mulhu a7, s2, s3
  div s4, s5, s6
  divu s7, s8, s9
  rem s10, s11, t3
  remu t4, t5, t6
  fence iorw, iorw
  fence r, w
  fence io, rw
  fence.tso
  fence.i
  .insn 4, 0x0ff5000f  # fence with rs1 set: a plain fence
  ecall
  ebreak
  mret
  wfi
  csrrw zero, mstatus, a0
  csrrs a0, misa, zero
  csrrc a1, mie, a2
  csrrw a3, mtvec, a4
  csrrs a5, mscratch, a6
  csrrc a7, mepc, s2
  csrrw s3, mcause, s4
  csrrs s5, mtval, zero
  csrrs s6, mip, zero
  csrrs s7, mcycle, zero
  csrrs s8, minstret, zero
  csrrs s9, mcycleh, zero
  csrrs s10, minstreth, zero
  csrrs s11, mhartid, zero
  csrrs s11, mvendorid, zero
  csrrs s11, marchid, zero
  csrrs s11, mimpid, zero
  csrrs t3, cycle, zero
  csrrs t3, cycleh, zero
  csrrs t3, instret, zero
  csrrs t3, instreth, zero
  csrrw t3, 0x7c0, t4
  csrrwi zero, mstatus, 8
  csrrsi t5, mie, 31
  csrrci t6, mip, 0
  # Not instructions of the core: fence.i with a reserved funct3, RV64 shift amount, reserved funct7, uret,
  # a reserved load width, custom-0 opcode.
  .insn 4, 0x0000200f
  .insn 4, 0x02051513
  .insn 4, 0x80a50533
  .insn 4, 0x00200073
  .insn 4, 0x00053503
  .insn 4, 0x0000000b
