/* The smallest program: greets on the console, reads systime, exits with 0. */
#include <nmtwin/fw.h>

int main(void)
{
  uint64_t t = nmtwin_systime();
  nmtwin_printf("hello from the nmtwin PPU at systime %llu\n", (unsigned long long)t);
  return 0;
}
