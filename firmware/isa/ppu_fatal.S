/* PPU bench program: an ecall whose handler reports it as fatal. */
#include "test.h"
test_start
  la t0, handler
  csrw mtvec, t0
  nop
  ecall
1: j 1b
  .balign 4
handler:
  li t0, IO_BASE
  sw zero, 0x1c(t0)
2: j 2b
