/* Console output: bytes to the console FIFO (a store waits while it is full). */
#include <nmtwin/fw.h>

void nmtwin_putc(char c) { nmtwin_write32(NMTWIN_PPU_IO_CONSOLE, (uint8_t)c); }

void nmtwin_puts(const char *s)
{
  while (*s)
    nmtwin_putc(*s++);
  nmtwin_putc('\n');
}
