/* PPU bench program: counts its runs in mailbox word 0, doubles the data
   memory word the host wrote into mailbox word 1, prints "hello\n" and exits
   with code 42. */
#include "test.h"
test_start
  li s1, MAILBOX_BASE
  lw t0, 0(s1)
  addi t0, t0, 1
  sw t0, 0(s1)
  li s0, DMEM_BASE
  lw t0, 0(s0)
  slli t0, t0, 1
  sw t0, 4(s1)
  li s2, IO_BASE
  la s3, text
1: lbu t0, 0(s3)
  beqz t0, 2f
  sw t0, 0(s2)
  addi s3, s3, 1
  j 1b
2: li t0, 42
  sw t0, IO_EXIT(s2)
3: j 3b
text:
  .string "hello\n"
