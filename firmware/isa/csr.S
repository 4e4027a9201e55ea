/* CSR instructions (csrrw, csrrs, csrrc and their immediate forms, with and
   without a write), the value of every implemented CSR, counters, fence and fence.i. */
#include "test.h"
test_start
  li gp, 1
  csrr a0, misa
  expect a0, 0x40001100
  li gp, 2
  csrr a0, mhartid
  expect a0, 0
  csrr a0, mvendorid
  expect a0, 0
  csrr a0, marchid
  expect a0, 0
  csrr a0, mimpid
  expect a0, 0
  li gp, 3
  li a1, 0x12345678
  csrw mscratch, a1
  li a2, 0xabc
  csrrw a0, mscratch, a2
  expect a0, 0x12345678
  csrr a0, mscratch
  expect a0, 0xabc
  li gp, 4
  li a3, 0xf000
  csrrs a0, mscratch, a3
  expect a0, 0xabc
  li a4, 0x0f00
  csrrc a0, mscratch, a4
  expect a0, 0xfabc
  csrr a0, mscratch
  expect a0, 0xf0bc
  li gp, 5
  csrrwi a0, mscratch, 0x1f
  expect a0, 0xf0bc
  csrrsi a0, mscratch, 0
  expect a0, 0x1f
  csrrci a0, mscratch, 3
  expect a0, 0x1f
  csrrsi a0, mscratch, 0x10
  expect a0, 0x1c
  csrrc a0, mscratch, zero
  expect a0, 0x1c
  li gp, 6
  li a1, 0x107
  csrw mtvec, a1
  csrr a0, mtvec
  expect a0, 0x104
  csrw mtvec, zero
  li gp, 7
  li a1, 0x12347
  csrw mepc, a1
  csrr a0, mepc
  expect a0, 0x12344
  li gp, 8
  li a1, 0x8000000b
  csrw mcause, a1
  csrr a0, mcause
  expect a0, 0x8000000b
  li a1, 0xfedcba98
  csrw mtval, a1
  csrr a0, mtval
  expect a0, 0xfedcba98
  li gp, 9
  li t0, -1
  csrw mie, t0
  csrr a0, mie
  expect a0, 0x88
  csrw mie, zero
  csrr a0, mie
  expect a0, 0
  li gp, 10
  csrr a0, mip
  expect a0, 0
  li t0, -1
  csrw mip, t0
  csrr a0, mip
  expect a0, 0
  li gp, 11
  csrr a0, mstatus
  expect a0, 0x1800
  csrsi mstatus, 8
  csrr a0, mstatus
  expect a0, 0x1808
  li t0, -1
  csrw mstatus, t0
  csrr a0, mstatus
  expect a0, 0x1888
  csrw mstatus, zero
  csrr a0, mstatus
  expect a0, 0x1800
  li gp, 12
  csrr a0, minstret
  nop
  nop
  csrr a1, minstret
  sub a1, a1, a0
  expect a1, 3
  li gp, 13
  csrr a0, mcycle
  csrr a1, mcycle
  sub a1, a1, a0
  beqz a1, fail
  sltiu a1, a1, 100
  beqz a1, fail
  li gp, 14
  csrw minstreth, zero
  li t0, -1
  csrw minstret, t0
  csrr a0, minstreth
  csrr a1, minstreth
  expect a0, 0
  expect a1, 1
  li gp, 15
  csrw mcycleh, zero
  li t0, -1
  csrw mcycle, t0
  csrr a0, mcycleh
  expect a0, 1
  li gp, 16
  csrr a0, instret
  csrr a1, minstret
  sub a1, a1, a0
  expect a1, 1
  csrr a0, cycle
  csrr a1, cycleh
  csrr a2, instreth
  expect a1, 1
  expect a2, 1
  li gp, 17
  li a1, 7
  fence
  fence rw, rw
  fence.i
  addi a1, a1, 1
  expect a1, 8
  j pass
pass_fail
