/* Trap dispatch (called by trap_entry.S) and the program's end. */
#include <nmtwin/fw.h>

#define MCAUSE_ECALL_M 11u
#define ECALL_EXIT 93u /* a7 of the exit system call, as Linux and newlib number it */

void nmtwin_trap_dispatch(struct nmtwin_trap_frame *f);

struct nmtwin_trap_frame *volatile nmtwin_fatal_frame;

__attribute__((weak)) void nmtwin_timer_handler(void) { nmtwin_timer_cancel(); }
__attribute__((weak)) void nmtwin_soft_handler(void) { nmtwin_doorbell_clear(); }
__attribute__((weak)) int nmtwin_exception_handler(struct nmtwin_trap_frame *f)
{
  (void)f;
  return 0;
}

void nmtwin_trap_dispatch(struct nmtwin_trap_frame *f)
{
  if (f->mcause == (NMTWIN_MCAUSE_IRQ | 7u)) {
    nmtwin_timer_handler();
    return;
  }
  if (f->mcause == (NMTWIN_MCAUSE_IRQ | 3u)) {
    nmtwin_soft_handler();
    return;
  }
  if (f->mcause == MCAUSE_ECALL_M && f->x[17] == ECALL_EXIT)
    nmtwin_exit(f->x[10]);
  if (!(f->mcause & NMTWIN_MCAUSE_IRQ) && nmtwin_exception_handler(f))
    return;
  nmtwin_fatal_frame = f;
  nmtwin_fatal(f->mcause);
}

void nmtwin_exit(uint32_t code)
{
  nmtwin_write32(NMTWIN_PPU_IO_EXIT, code);
  for (;;) /* the store halts the core */
    ;
}

void nmtwin_fatal(uint32_t mcause)
{
  nmtwin_write32(NMTWIN_PPU_IO_FATAL, mcause);
  for (;;) /* the store halts the core */
    ;
}
