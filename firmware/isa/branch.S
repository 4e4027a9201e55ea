/* Branches taken and not taken (signed and unsigned), backward branches,
   jal and jalr (offset, bit 0 cleared, rd == rs1), auipc. */
#include "test.h"
test_start
  li a1, 5
  li a2, 5
  li a3, -1
  li a4, 1
  li gp, 1
  beq a1, a2, 1f
  j fail
1: li gp, 2
  beq a1, a3, fail
  li gp, 3
  bne a1, a3, 1f
  j fail
1: li gp, 4
  bne a1, a2, fail
  li gp, 5
  blt a3, a4, 1f
  j fail
1: li gp, 6
  blt a4, a3, fail
  blt a1, a2, fail
  li gp, 7
  bge a4, a3, 1f
  j fail
1: li gp, 8
  bge a3, a4, fail
  li gp, 9
  bge a1, a2, 1f
  j fail
1: li gp, 10
  bltu a4, a3, 1f
  j fail
1: li gp, 11
  bltu a3, a4, fail
  bltu a1, a2, fail
  li gp, 12
  bgeu a3, a4, 1f
  j fail
1: li gp, 13
  bgeu a4, a3, fail
  li gp, 14
  bgeu a1, a2, 1f
  j fail
1: li gp, 15
  li a0, 5
  li a5, 0
2: addi a5, a5, 1
  addi a0, a0, -1
  bnez a0, 2b
  expect a5, 5
  li gp, 16
  la t0, 3f
  jal ra, 4f
3: j fail
4: bne ra, t0, fail
  li gp, 17
  la t1, 5f
  jalr ra, 0(t1)
6: j fail
5: la t0, 6b
  bne ra, t0, fail
  li gp, 18
  la t1, 7f
  addi t1, t1, -4
  jalr ra, 5(t1)
  j fail
7: li gp, 19
  la ra, 8f
  jalr ra, 0(ra)
9: j fail
8: la t0, 9b
  bne ra, t0, fail
  li gp, 20
  jal zero, 1f
  j fail
1: li gp, 21
10: auipc a0, 0
  la t0, 10b
  bne a0, t0, fail
  li gp, 22
11: auipc a0, 0x12345
  la t0, 11b
  li t1, 0x12345000
  add t0, t0, t1
  bne a0, t0, fail
  j pass
pass_fail
