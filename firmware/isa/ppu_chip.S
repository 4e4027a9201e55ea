/* PPU bench program: word, halfword and byte accesses through the chip window,
   and an access the chip refuses (load access fault, cause 5); exits with 0,
   or 0x400 | the number of the failed check. */
#include "test.h"
.equ CHIP, 0x10000000
test_start
  install_handler
  li s0, CHIP
  li gp, 1
  li a1, 0xa5b6c7d8
  sw a1, 4(s0)
  lw a0, 4(s0)
  expect a0, 0xa5b6c7d8
  li gp, 2
  lbu a0, 5(s0)
  expect a0, 0xc7
  lh a0, 6(s0)
  expect a0, 0xffffa5b6
  li gp, 3
  sb zero, 7(s0)
  sh zero, 4(s0)
  lw a0, 4(s0)
  expect a0, 0x00b60000
  li gp, 4
  li t0, CHIP + 0x90000
  la s6, 1f
2: lw a0, 0(t0)
  j fail
1: expect_trap 4, 5, 2b
  li t0, CHIP + 0x90000
  bne s4, t0, fail
  j pass
pass_fail
