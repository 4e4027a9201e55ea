/* Loads and stores of every width and sign, to data memory and the mailbox,
   negative offsets, the last data word, a load used at once, and data-port
   loads from instruction memory. */
#include "test.h"
test_start
  li s0, DMEM_BASE
  li s1, MAILBOX_BASE
  li a1, 0x89abcdef
  sw a1, 0(s0)
  li gp, 1
  lw a0, 0(s0)
  expect a0, 0x89abcdef
  li gp, 2
  lb a0, 0(s0)
  expect a0, 0xffffffef
  lb a0, 1(s0)
  expect a0, 0xffffffcd
  lb a0, 2(s0)
  expect a0, 0xffffffab
  lb a0, 3(s0)
  expect a0, 0xffffff89
  li gp, 3
  lbu a0, 0(s0)
  expect a0, 0xef
  lbu a0, 3(s0)
  expect a0, 0x89
  li gp, 4
  lh a0, 0(s0)
  expect a0, 0xffffcdef
  lh a0, 2(s0)
  expect a0, 0xffff89ab
  li gp, 5
  lhu a0, 0(s0)
  expect a0, 0xcdef
  lhu a0, 2(s0)
  expect a0, 0x89ab
  li gp, 6
  li a1, 0x7f7f7f7f
  sw a1, 4(s0)
  lb a0, 5(s0)
  expect a0, 0x7f
  lh a0, 6(s0)
  expect a0, 0x7f7f
  li gp, 7
  sw zero, 8(s0)
  li a1, 0x112233aa
  sb a1, 9(s0)
  lw a0, 8(s0)
  expect a0, 0x0000aa00
  sb a1, 11(s0)
  lw a0, 8(s0)
  expect a0, 0xaa00aa00
  li gp, 8
  sw zero, 12(s0)
  sh a1, 14(s0)
  lw a0, 12(s0)
  expect a0, 0x33aa0000
  sh a1, 12(s0)
  lw a0, 12(s0)
  expect a0, 0x33aa33aa
  li gp, 9
  addi s2, s0, 32
  sw a1, -4(s2)
  lw a0, 28(s0)
  expect a0, 0x112233aa
  li gp, 10
  li a1, 0xcafef00d
  sw a1, 0(s1)
  sw a1, 1020(s1)
  lw a0, 1020(s1)
  expect a0, 0xcafef00d
  lhu a0, 2(s1)
  expect a0, 0xcafe
  li gp, 11
  li s3, DMEM_BASE + DMEM_BYTES - 4
  sw a1, 0(s3)
  lw a0, 0(s3)
  addi a0, a0, 1
  expect a0, 0xcafef00e
  li gp, 12
  la t0, constant
  lw a0, 0(t0)
  expect a0, 0xdeadbeef
  lbu a0, 1(t0)
  expect a0, 0xbe
  lh a0, 2(t0)
  expect a0, 0xffffdead
  li gp, 13
  lw a0, 0(zero)
  la t0, _start
  lw t1, 0(t0)
  bne a0, t1, fail
  j pass
  .balign 4
constant:
  .word 0xdeadbeef
pass_fail
