/* Start file: the core starts here (reset pc 0) in machine mode with interrupts off.
 * Sets sp (top of dmem) and gp, copies .data's image from imem, zeroes .bss, installs the
 * runtime's trap vector, calls main(0, 0) and passes its return value to nmtwin_exit(),
 * which writes the `exit` I/O register and so halts the core. */
    .section .text.nmtwin_start, "ax"
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    la      t0, __data_load
    la      t1, __data_start
    la      t2, __data_end
1:  bgeu    t1, t2, 2f
    lw      t3, 0(t0)
    sw      t3, 0(t1)
    addi    t0, t0, 4
    addi    t1, t1, 4
    j       1b
2:
    la      t1, __bss_start
    la      t2, __bss_end
3:  bgeu    t1, t2, 4f
    sw      zero, 0(t1)
    addi    t1, t1, 4
    j       3b
4:
    la      t0, nmtwin_trap_entry
    csrw    mtvec, t0

    li      a0, 0
    li      a1, 0
    call    main
    tail    nmtwin_exit
    .size _start, . - _start
