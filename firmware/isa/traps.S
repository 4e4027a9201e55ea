/* Every exception cause with its mepc and mtval: misaligned fetch (0), fetch
   access fault (1), illegal instruction (2), breakpoint (3), load misaligned
   (4), load access fault (5), store misaligned (6), store access fault (7),
   ecall (11); trap entry and mret on mstatus.MIE/MPIE; a trapping instruction
   writes no register and no memory. */
#include "test.h"

/* Check n: the word `insn` at the label traps as illegal with mtval = insn. */
.macro illegal n, insn
  la s6, 9f
8: .word \insn
  j fail
9: expect_trap \n, 2, 8b
  expect s4, \insn
.endm

/* Check n: a fetch from `addr` faulted (mepc = mtval = addr). */
.macro fetch_fault n, addr
  li gp, \n
  expect s5, 1
  expect s2, 1
  expect s3, \addr
  expect s4, \addr
  li s5, 0
.endm

test_start
  install_handler
  li s0, DMEM_BASE
  /* 0: misaligned fetch from jalr, jal and a taken branch; rd is not written. */
  la s6, 1f
  la t0, 1f
  addi t0, t0, 2
  li ra, 0
2: jalr ra, 0(t0)
  j fail
1: expect_trap 1, 0, 2b
  bne s4, t0, fail
  expect ra, 0
  la s6, 1f
2: jal ra, .+6
  j fail
1: expect_trap 2, 0, 2b
  la t0, 2b
  addi t0, t0, 6
  bne s4, t0, fail
  expect ra, 0
  la s6, 1f
2: beq zero, zero, .+10
  j fail
1: expect_trap 3, 0, 2b
  li gp, 4
  bne zero, zero, .+6
  /* 1: fetch access fault (data memory is not executable, unmapped, past imem). */
  la s6, 1f
  li t0, DMEM_BASE
3: jalr ra, 0(t0)
  j fail
1: fetch_fault 5, DMEM_BASE
  la t0, 3b + 4
  bne ra, t0, fail
  la s6, 1f
  li t0, UNMAPPED
  jr t0
1: fetch_fault 6, UNMAPPED
  la s6, 1f
  li t0, 0x4000
  jr t0
1: fetch_fault 7, 0x4000
  /* 2: illegal instructions */
  illegal 10, 0x00000000
  illegal 11, 0xffffffff
  illegal 12, 0x40001033
  illegal 13, 0x20005013
  illegal 14, 0x02001013
  illegal 15, 0x7c002573
  illegal 16, 0xf1451073
  illegal 17, 0x00004073
  illegal 18, 0x00003003
  illegal 19, 0x00003023
  illegal 20, 0x00002063
  illegal 21, 0x00001067
  illegal 22, 0x00200073
  illegal 23, 0x10200073
  illegal 24, 0x000000f3
  illegal 25, 0x04000033
  illegal 26, 0x0000200f
  illegal 27, 0x00006023
  /* 3: ebreak (mtval = pc), 11: ecall (mtval = 0) */
  la s6, 1f
2: ebreak
  j fail
1: expect_trap 30, 3, 2b
  la t0, 2b
  bne s4, t0, fail
  la s6, 1f
2: ecall
  j fail
1: expect_trap 31, 11, 2b
  expect s4, 0
  /* 4: load misaligned; the destination keeps its value */
  li a0, 0x5a5a
  la s6, 1f
2: lh a0, 1(s0)
  j fail
1: expect_trap 40, 4, 2b
  li t0, DMEM_BASE + 1
  bne s4, t0, fail
  expect a0, 0x5a5a
  la s6, 1f
2: lw a0, 2(s0)
  j fail
1: expect_trap 41, 4, 2b
  la s6, 1f
2: lhu a0, 3(s0)
  j fail
1: expect_trap 42, 4, 2b
  expect a0, 0x5a5a
  /* 5: load access fault: unmapped, byte access to I/O, past imem */
  la s6, 1f
  li t0, UNMAPPED
2: lw a0, 4(t0)
  j fail
1: expect_trap 50, 5, 2b
  li t0, UNMAPPED + 4
  bne s4, t0, fail
  expect a0, 0x5a5a
  la s6, 1f
  li t0, IO_BASE
2: lbu a0, IO_SYSTIME_LO(t0)
  j fail
1: expect_trap 51, 5, 2b
  la s6, 1f
  li t0, 0x4000
2: lw a0, 0(t0)
  j fail
1: expect_trap 52, 5, 2b
  expect s4, 0x4000
  /* 6: store misaligned; memory keeps its value */
  li a1, 0x11223344
  sw a1, 0(s0)
  la s6, 1f
2: sh zero, 1(s0)
  j fail
1: expect_trap 60, 6, 2b
  li t0, DMEM_BASE + 1
  bne s4, t0, fail
  la s6, 1f
2: sw zero, 2(s0)
  j fail
1: expect_trap 61, 6, 2b
  lw a0, 0(s0)
  expect a0, 0x11223344
  /* 7: store access fault: instruction memory, unmapped, halfword to I/O */
  la s6, 1f
  la t0, constant
2: sw zero, 0(t0)
  j fail
1: expect_trap 70, 7, 2b
  lw a0, 0(t0)
  expect a0, 0x600dc0de
  la s6, 1f
  li t0, UNMAPPED
2: sb zero, 3(t0)
  j fail
1: expect_trap 71, 7, 2b
  li t0, UNMAPPED + 3
  bne s4, t0, fail
  la s6, 1f
  li t0, IO_BASE
2: sh zero, IO_TIMECMP_LO(t0)
  j fail
1: expect_trap 72, 7, 2b
  /* Trap entry saves MIE in MPIE and clears MIE; mret restores it and sets MPIE. */
  csrsi mstatus, 8
  la s6, 1f
2: ecall
1: expect_trap 80, 11, 2b
  expect s7, 0x1880
  csrr a0, mstatus
  expect a0, 0x1888
  csrci mstatus, 8
  la s6, 1f
2: ecall
1: expect_trap 81, 11, 2b
  expect s7, 0x1800
  csrr a0, mstatus
  expect a0, 0x1880
  /* mret to mepc (written by software) */
  li gp, 82
  la t0, 1f
  csrw mepc, t0
  mret
  j fail
1: j pass
  .balign 4
constant:
  .word 0x600dc0de
pass_fail
