/* A failing check must end the test with 0x400 | gp: the bench expects 0x401
   here, which shows that a broken instruction cannot pass unnoticed. */
#include "test.h"
test_start
  li gp, 1
  li a0, 1
  expect a0, 2
  j pass
pass_fail
