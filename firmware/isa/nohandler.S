/* A trap with mtvec == 0 (no handler installed) halts the core: the bench
   expects the halt on the ecall, never the exit below. */
#include "test.h"
test_start
  nop
  ecall
  j pass
pass_fail
