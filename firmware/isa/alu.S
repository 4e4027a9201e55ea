/* RV32I register-register and register-immediate arithmetic, logic and shifts,
   lui, and writes to x0. */
#include "test.h"
test_start
  rr 1, add, 3, 1, 2
  rr 2, add, 0, -1, 1
  rr 3, add, 0x80000000, 0x7fffffff, 1
  rr 4, sub, -1, 0, 1
  rr 5, sub, 0x7fffffff, 0x80000000, 1
  rr 6, sll, 0x80000000, 1, 31
  rr 7, sll, 2, 1, 33
  rr 8, srl, 1, 0x80000000, 31
  rr 9, srl, 0x40000000, 0x80000000, 33
  rr 10, sra, 0xffffffff, 0x80000000, 31
  rr 11, sra, 0xc0000000, 0x80000000, 1
  rr 12, sra, 0x20000000, 0x40000000, 1
  rr 13, slt, 1, -1, 0
  rr 14, slt, 0, 0, -1
  rr 15, slt, 0, 5, 5
  rr 16, sltu, 0, -1, 0
  rr 17, sltu, 1, 0, -1
  rr 18, xor, 0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0
  rr 19, or, 0xfff0fff0, 0xff00ff00, 0x0ff00ff0
  rr 20, and, 0x0f000f00, 0xff00ff00, 0x0ff00ff0
  ri 21, addi, 0, 1, -1
  ri 22, addi, 0x7fffffff, 0x7ffff800, 0x7ff
  ri 23, addi, 0xfffff800, 0, -2048
  ri 24, slti, 1, -5, -4
  ri 25, slti, 0, -4, -5
  ri 26, sltiu, 1, 5, -1
  ri 27, sltiu, 0, -1, 5
  ri 28, xori, 0xffffff0f, 0xf0, -1
  ri 29, ori, 0xfffff8f0, 0xf0, -2048
  ri 30, andi, 0xf0, 0xff0000f0, 0xff
  ri 31, slli, 0x80000000, 1, 31
  ri 32, srli, 1, 0x80000000, 31
  ri 33, srai, 0xffffffff, 0x80000000, 31
  ri 34, srai, 0x3fffffff, 0x7fffffff, 1
  ri 35, slli, 0x12345678, 0x12345678, 0
  ri 36, srli, 0x12345678, 0x12345678, 0
  li gp, 37
  li a1, 5
  add a1, a1, a1
  expect a1, 10
  li gp, 38
  add zero, a1, a1
  addi zero, zero, 1
  expect zero, 0
  li gp, 39
  lui a0, 0xfffff
  expect a0, 0xfffff000
  li gp, 40
  lui a0, 0x12345
  expect a0, 0x12345000
  j pass
pass_fail
