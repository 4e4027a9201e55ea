/* PPU bench program: an illegal instruction with no trap handler. */
#include "test.h"
test_start
  nop
  .word 0x0000ffff
1: j 1b
