/* PPU bench program: kicks the watchdog 20 times, 50 loop cycles apart, then spins. */
#include "test.h"
test_start
  li s2, IO_BASE
  li s0, 20
1: li t0, 12
2: addi t0, t0, -1
  bnez t0, 2b
  sw zero, 0x20(s2)
  addi s0, s0, -1
  bnez s0, 1b
spin:
  j spin
