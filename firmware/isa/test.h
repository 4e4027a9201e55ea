/* Macros shared by the ISA self-tests (assembler macros; included by cpp).

   A test numbers its checks in gp.  It ends by storing its result to the I/O
   exit register: 0 when every check passed, else 0x400 | gp (never 0, so a
   failing check cannot pass for test 0).  The trap handler (trap_vector)
   records mcause, mepc, mtval and mstatus in s2, s3, s4, s7, counts traps in
   s5 and resumes at the address in s6; on an interrupt it also clears mie so
   that the source does not trap again after mret. */

.equ DMEM_BASE,    0x00010000
.equ DMEM_BYTES,   0x4000
.equ MAILBOX_BASE, 0x00020000
.equ IO_BASE,      0x00030000
.equ IO_SYSTIME_LO, 0x08
.equ IO_TIMECMP_LO, 0x10
.equ IO_TIMECMP_HI, 0x14
.equ IO_EXIT,      0x18
.equ IO_DOORBELL,  0x24
.equ UNMAPPED,     0x50000000

.macro test_start
  .section .text.start, "ax"
  .globl _start
_start:
  li gp, 0
.endm

/* Fails the current check unless reg == value (clobbers t6). */
.macro expect reg, value
  li t6, \value
  bne \reg, t6, fail
.endm

/* Check n: a0 = a op b (register-register). */
.macro rr n, op, want, a, b
  li gp, \n
  li a1, \a
  li a2, \b
  \op a0, a1, a2
  expect a0, \want
.endm

/* Check n: a0 = a op imm (register-immediate). */
.macro ri n, op, want, a, imm
  li gp, \n
  li a1, \a
  \op a0, a1, \imm
  expect a0, \want
.endm

/* Check n: the last trap had cause `cause`, happened at label `at` and was the only one since s5 was cleared. */
.macro expect_trap n, cause, at
  li gp, \n
  expect s5, 1
  expect s2, \cause
  la t6, \at
  bne s3, t6, fail
  li s5, 0
.endm

.macro install_handler
  la t0, trap_vector
  csrw mtvec, t0
  li s5, 0
.endm

.macro pass_fail
pass:
  li t6, IO_BASE
  sw zero, IO_EXIT(t6)
1: j 1b
fail:
  ori gp, gp, 0x400
  li t6, IO_BASE
  sw gp, IO_EXIT(t6)
2: j 2b

  .balign 4
trap_vector:
  csrr s2, mcause
  csrr s3, mepc
  csrr s4, mtval
  csrr s7, mstatus
  addi s5, s5, 1
  bgez s2, 3f
  csrw mie, zero
3: csrw mepc, s6
  mret
.endm
