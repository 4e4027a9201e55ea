/* Trap vector (mtvec, direct mode): saves every register and mepc/mcause/mtval in a
 * struct nmtwin_trap_frame on the stack, calls nmtwin_trap_dispatch(frame) (trap.c),
 * restores the registers and mepc from the frame (a handler may change them, e.g. to
 * step over a faulting instruction) and returns with mret. */
    .equ FRAME_BYTES, 144     /* 32 registers + mepc, mcause, mtval, padding: 16-byte aligned */

    .section .text.nmtwin_trap_entry, "ax"
    .globl nmtwin_trap_entry
    .type nmtwin_trap_entry, @function
    .balign 4
nmtwin_trap_entry:
    addi    sp, sp, -FRAME_BYTES
    .irp    r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sw      x\r, (\r * 4)(sp)
    .endr
    addi    t0, sp, FRAME_BYTES
    sw      t0, 8(sp)               /* x2: sp before the trap */
    csrr    t0, mepc
    sw      t0, 128(sp)
    csrr    t0, mcause
    sw      t0, 132(sp)
    csrr    t0, mtval
    sw      t0, 136(sp)
    mv      a0, sp
    call    nmtwin_trap_dispatch
    lw      t0, 128(sp)
    csrw    mepc, t0
    .irp    r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    lw      x\r, (\r * 4)(sp)
    .endr
    addi    sp, sp, FRAME_BYTES
    mret
    .size nmtwin_trap_entry, . - nmtwin_trap_entry
