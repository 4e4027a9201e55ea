/* Systime, the timer and interrupt control. */
#include <nmtwin/fw.h>

#define MSTATUS_MIE (1u << 3)

uint64_t nmtwin_systime(void)
{
  uint32_t lo = nmtwin_read32(NMTWIN_PPU_IO_SYSTIME_LO); /* latches the high bits */
  uint32_t hi = nmtwin_read32(NMTWIN_PPU_IO_SYSTIME_HI);
  return ((uint64_t)hi << 32) | lo;
}

static void set_timecmp(uint64_t t)
{
  /* High word to never first: no spurious match between the two stores. */
  nmtwin_write32(NMTWIN_PPU_IO_TIMECMP_HI, 0xFFFFFFFFu);
  nmtwin_write32(NMTWIN_PPU_IO_TIMECMP_LO, (uint32_t)t);
  nmtwin_write32(NMTWIN_PPU_IO_TIMECMP_HI, (uint32_t)(t >> 32));
}

void nmtwin_timer_at(uint64_t t)
{
  set_timecmp(t);
  nmtwin_irq_unmask(NMTWIN_IRQ_TIMER);
}

void nmtwin_timer_cancel(void)
{
  nmtwin_irq_mask(NMTWIN_IRQ_TIMER);
  set_timecmp(~(uint64_t)0);
}

void nmtwin_sleep_until(uint64_t t)
{
  uint32_t was = nmtwin_irq_disable();
  nmtwin_timer_at(t);
  /* wfi wakes on a pending enabled interrupt even with mstatus.MIE off; the doorbell may
   * wake it early, hence the loop. */
  while (nmtwin_systime() < t)
    __asm__ volatile("wfi");
  nmtwin_timer_cancel();
  nmtwin_irq_restore(was);
}

void nmtwin_irq_enable(void) { __asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE)); }

uint32_t nmtwin_irq_disable(void)
{
  uint32_t old;
  __asm__ volatile("csrrc %0, mstatus, %1" : "=r"(old) : "r"(MSTATUS_MIE));
  return (old & MSTATUS_MIE) ? 1u : 0u;
}

void nmtwin_irq_restore(uint32_t was_enabled)
{
  if (was_enabled)
    nmtwin_irq_enable();
}

void nmtwin_irq_unmask(uint32_t bits) { __asm__ volatile("csrs mie, %0" ::"r"(bits)); }
void nmtwin_irq_mask(uint32_t bits) { __asm__ volatile("csrc mie, %0" ::"r"(bits)); }
void nmtwin_doorbell_clear(void) { nmtwin_write32(NMTWIN_PPU_IO_DOORBELL, 0u); }
