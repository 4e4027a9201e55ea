/* PPU bench program: sleeps in wfi until systime reaches timecmp = now + 5000
   (written high word last), then exits with 7 if systime >= timecmp, else 1. */
#include "test.h"
test_start
  li s2, IO_BASE
  lw t0, IO_SYSTIME_LO(s2)
  lw t1, 0x0c(s2)
  li t2, 5000
  add t2, t0, t2
  sltu t3, t2, t0
  add t1, t1, t3
  sw t2, IO_TIMECMP_LO(s2)
  sw t1, IO_TIMECMP_HI(s2)
  li t0, 0x80
  csrw mie, t0
  wfi
  lw t0, IO_SYSTIME_LO(s2)
  lw t1, 0x0c(s2)
  lw t3, IO_TIMECMP_HI(s2)
  li a0, 1
  bltu t1, t3, 1f
  bltu t3, t1, 2f
  bltu t0, t2, 1f
2: li a0, 7
1: sw a0, IO_EXIT(s2)
3: j 3b
