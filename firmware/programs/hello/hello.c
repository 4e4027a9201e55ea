/* The smallest program: greets on the console with the systime, shows the printf
 * conversions (the ISS test compares the line), exits with 0. */
#include <nmtwin/fw.h>

int main(void)
{
  uint64_t t = nmtwin_systime();
  nmtwin_printf("hello from the nmtwin PPU at systime %llu\n", (unsigned long long)t);
  nmtwin_printf("printf: %d %i %u %x %X %p %s %c %% [%5d] [%-5d] [%05d] [%3s] %ld %lld %llx\n", -42, 7, 4000000000u,
                0xbeefu, 0xbeefu, (void *)0x20000, "str", 'c', -12, 34, -56, "ab", -2147483647L - 1L,
                -9000000000000000000LL, 0x123456789abcdefULL);
  return 0;
}
