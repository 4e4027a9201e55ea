/* PPU bench program: sleeps until the host rings the doorbell, checks and
   clears it, and exits with 9 (5 when the doorbell bit was not set). */
#include "test.h"
test_start
  li s2, IO_BASE
  li t0, 8
  csrw mie, t0
  wfi
  lw t0, IO_DOORBELL(s2)
  li a0, 5
  beqz t0, 1f
  sw zero, IO_DOORBELL(s2)
  csrr t0, mip
  bnez t0, 1f
  li a0, 9
1: sw a0, IO_EXIT(s2)
3: j 3b
