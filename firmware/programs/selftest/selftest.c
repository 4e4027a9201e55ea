/* ISA self-tests in C and inline assembly: ALU and M extension edge cases, loads and
 * stores of every width and sign, CSRs, traps (recorded by an installed handler that
 * returns), the timer interrupt and wfi. Exit code = number of failed checks. */
#include "selftest.h"

static uint32_t checks;
static uint32_t failures;

void check(const char *name, uint32_t got, uint32_t want)
{
  ++checks;
  if (got == want) {
    nmtwin_printf("ok   %s\n", name);
    return;
  }
  ++failures;
  nmtwin_printf("FAIL %s: got 0x%08x want 0x%08x\n", name, (unsigned)got, (unsigned)want);
}

int main(void)
{
  test_alu();
  test_muldiv();
  test_memory();
  test_csr();
  test_traps();
  test_timer();
  nmtwin_printf("selftest: %u checks, %u failed\n", (unsigned)checks, (unsigned)failures);
  return (int)failures;
}
