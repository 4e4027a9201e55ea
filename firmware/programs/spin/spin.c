/* Never ends and never sleeps: the watchdog (ppu_watchdog) must stop it. */
#include <nmtwin/fw.h>

int main(void)
{
  nmtwin_puts("spin: looping forever");
  for (volatile uint32_t i = 0;; ++i)
    ;
}
