/* PPU bench program: writes the bytes 0..99 to the console without waiting
   (stores stall while the FIFO is full), checks console_free on the way, exits with 0. */
#include "test.h"
test_start
  li s2, IO_BASE
  li t0, 0
  li t1, 100
1: sw t0, 0(s2)
  addi t0, t0, 1
  bne t0, t1, 1b
  lw t0, 4(s2)
  li a0, 0
  sltiu t1, t0, 65
  bnez t1, 2f
  li a0, 1
2: sw a0, IO_EXIT(s2)
3: j 3b
