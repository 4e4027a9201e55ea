/* A kernel that never returns and costs nothing: sleeps in wfi with every interrupt
 * masked, so nothing wakes it (the host stops it by holding the core). */
#include <nmtwin/fw.h>

int main(void)
{
  nmtwin_puts("sleeper: sleeping forever");
  nmtwin_irq_disable();
  nmtwin_irq_mask(NMTWIN_IRQ_TIMER | NMTWIN_IRQ_SOFT);
  for (;;)
    __asm__ volatile("wfi");
}
