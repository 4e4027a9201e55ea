/* Executes an illegal instruction two calls deep (main -> crash_outer -> crash_inner), so
 * the host's trap report has a backtrace with names. The runtime reports it as fatal:
 * trap cause 2, trap pc and instruction at crash_inner's illegal word. */
#include <nmtwin/fw.h>

__attribute__((noinline)) void crash_inner(uint32_t depth)
{
  nmtwin_printf("crash: illegal instruction at depth %u\n", (unsigned)depth);
  __asm__ volatile(".word 0x00000000"); /* all zeros: defined to be illegal */
}

__attribute__((noinline)) void crash_outer(uint32_t depth)
{
  crash_inner(depth + 1);
  nmtwin_puts("crash: not reached");
}

int main(void)
{
  crash_outer(1);
  return 0;
}
