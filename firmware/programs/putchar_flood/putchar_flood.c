/* Writes 10 000 console bytes (100 lines of 100), far more than the 64-byte FIFO: the
 * core waits on a full FIFO until the host drains it. Exits with 0. */
#include <nmtwin/fw.h>

int main(void)
{
  for (uint32_t line = 0; line < 100; ++line) {
    nmtwin_printf("%02u ", (unsigned)line);
    for (uint32_t i = 3; i < 99; ++i)
      nmtwin_putc((char)('a' + (line + i) % 26));
    nmtwin_putc('\n');
  }
  return 0;
}
