/* Interrupts: machine timer (systime >= timecmp) and software (the doorbell
   register), masking by mie and mstatus.MIE, priority (software before
   timer), and wfi (wakes on an enabled pending interrupt whether or not
   mstatus.MIE is set; returns at once when one is already pending). */
#include "test.h"

/* timecmp = systime + delta (the bench's systime stays below 2^32). */
.macro set_timer delta
  li t0, IO_BASE
  lw t1, IO_SYSTIME_LO(t0)
  addi t1, t1, \delta
  sw t1, IO_TIMECMP_LO(t0)
  sw zero, IO_TIMECMP_HI(t0)
.endm

.macro timer_off
  li t0, IO_BASE
  li t1, -1
  sw t1, IO_TIMECMP_HI(t0)
.endm

test_start
  install_handler
  /* Timer interrupt while running; the handler clears mie, mret sets MIE again. */
  set_timer 200
  li t2, 0x80
  csrw mie, t2
  la s6, 1f
  csrsi mstatus, 8
2: j 2b
1: expect_trap 1, 0x80000007, 2b
  expect s4, 0
  csrr a0, mie
  expect a0, 0
  csrr a0, mstatus
  expect a0, 0x1888
  csrci mstatus, 8
  csrr a0, mip
  expect a0, 0x80
  timer_off
  csrr a0, mip
  expect a0, 0
  /* Software interrupt: taken right after the store that rings the doorbell. */
  li gp, 2
  li t0, IO_BASE
  li t1, 1
  li t2, 8
  csrw mie, t2
  csrsi mstatus, 8
  la s6, 1f
  sw t1, IO_DOORBELL(t0)
2: j fail
1: expect_trap 3, 0x80000003, 2b
  csrci mstatus, 8
  csrr a0, mip
  expect a0, 8
  lw a0, IO_DOORBELL(t0)
  expect a0, 1
  sw zero, IO_DOORBELL(t0)
  csrr a0, mip
  expect a0, 0
  /* wfi with MIE clear wakes on the enabled timer and takes no trap. */
  set_timer 300
  li t2, 0x80
  csrw mie, t2
  wfi
  li gp, 4
  expect s5, 0
  li t0, IO_BASE
  lw t1, IO_SYSTIME_LO(t0)
  lw t3, IO_TIMECMP_LO(t0)
  bltu t1, t3, fail
  csrr a0, mip
  expect a0, 0x80
  timer_off
  csrw mie, zero
  /* wfi with MIE set: the interrupt is taken at the instruction after wfi. */
  set_timer 300
  li t2, 0x80
  csrw mie, t2
  csrsi mstatus, 8
  la s6, 1f
  wfi
2: j fail
1: expect_trap 5, 0x80000007, 2b
  timer_off
  csrci mstatus, 8
  /* wfi with an enabled interrupt already pending returns at once. */
  li gp, 6
  li t0, IO_BASE
  li t1, 1
  sw t1, IO_DOORBELL(t0)
  li t2, 8
  csrw mie, t2
  wfi
  expect s5, 0
  /* Pending but not enabled in mie: no trap. */
  li gp, 7
  csrw mie, zero
  csrsi mstatus, 8
  nop
  nop
  expect s5, 0
  csrci mstatus, 8
  /* Both pending: the software interrupt first. */
  set_timer 0
  li t2, 0x88
  csrw mie, t2
  la s6, 1f
  csrsi mstatus, 8
2: j fail
1: expect_trap 8, 0x80000003, 2b
  li t0, IO_BASE
  sw zero, IO_DOORBELL(t0)
  timer_off
  j pass
pass_fail
