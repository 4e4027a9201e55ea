/* Traps the runtime hands to the program: each test runs one trapping instruction; the
 * installed exception handler records cause, epc and tval and resumes after it. The timer
 * interrupt wakes wfi. */
#include "selftest.h"

static volatile uint32_t expecting;   /* 1 while a test expects a trap */
static volatile uint32_t resume_pc;   /* where the handler resumes */
static volatile uint32_t got_cause, got_epc, got_tval, got_count;
static volatile uint32_t timer_irqs;
static volatile uint32_t scratch[2];

int nmtwin_exception_handler(struct nmtwin_trap_frame *f)
{
  if (!expecting)
    return 0; /* a real fault: the runtime reports it as fatal */
  got_cause = f->mcause;
  got_epc = f->mepc;
  got_tval = f->mtval;
  ++got_count;
  f->mepc = resume_pc;
  return 1;
}

void nmtwin_timer_handler(void)
{
  ++timer_irqs;
  nmtwin_timer_cancel();
}

/* Runs INSN (which may use %[p], an address operand) once; `at` = its address. */
#define TRAP(INSN, P)                                                            \
  do {                                                                           \
    got_count = 0;                                                               \
    expecting = 1;                                                               \
    __asm__ volatile("la t0, 1f\n\t"                                              \
                     "sw t0, 0(%[resume])\n\t"                                   \
                     "la %[at], 2f\n\t"                                           \
                     "2: " INSN "\n\t"                                           \
                     "1:"                                                         \
                     : [at] "=&r"(at)                                             \
                     : [resume] "r"(&resume_pc), [p] "r"(P)                       \
                     : "t0", "t1", "ra", "a7", "memory");                               \
    expecting = 0;                                                               \
  } while (0)

static void expect(const char *name, uint32_t cause, uint32_t epc)
{
  nmtwin_printf("     %s: cause %u epc 0x%08x tval 0x%08x\n", name, (unsigned)got_cause,
                (unsigned)got_epc, (unsigned)got_tval);
  check(name, got_count == 1 && got_cause == cause && got_epc == epc, 1);
}

void test_traps(void)
{
  uint32_t at;
  uint32_t data = (uint32_t)&scratch[0];
  TRAP("li a7, 1\n\tecall", 0);
  expect("ecall (a7 != 93) traps with cause 11", 11, at + 4);
  TRAP("ebreak", 0);
  expect("ebreak: cause 3", 3, at);
  TRAP(".word 0x0000500b", 0);
  expect("illegal (custom-0): cause 2", 2, at);
  check("illegal: tval = instruction", got_tval, 0x0000500bu);
  TRAP(".word 0x00000000", 0);
  expect("illegal (all zeros): cause 2", 2, at);
  TRAP("lw t1, 1(%[p])", data);
  expect("misaligned lw: cause 4", 4, at);
  check("misaligned lw: tval = address", got_tval, data + 1);
  TRAP("lh t1, 3(%[p])", data);
  expect("misaligned lh: cause 4", 4, at);
  TRAP("sw zero, 2(%[p])", data);
  expect("misaligned sw: cause 6", 6, at);
  check("misaligned sw: tval = address", got_tval, data + 2);
  TRAP("sh zero, 1(%[p])", data);
  expect("misaligned sh: cause 6", 6, at);
  TRAP("jalr ra, 2(%[p])", (uint32_t)test_timer); /* any function: 4-byte aligned */
  expect("misaligned jump target: cause 0", 0, at);
  TRAP("lw t1, 0(%[p])", 0x40000000u);
  expect("load outside the map: cause 5", 5, at);
  TRAP("lb t1, 0(%[p])", NMTWIN_PPU_IO_CONSOLE_FREE);
  expect("byte load of an I/O register: cause 5", 5, at);
  /* Stores back what is there, should the store not fault. */
  TRAP("lw t1, 0(%[p])\n\tsw t1, 0(%[p])", NMTWIN_PPU_IMEM_BASE + 0x100u);
  expect("store to imem: cause 7", 7, at + 4);
  TRAP("jalr ra, 0(%[p])", data);
  expect("fetch from dmem: cause 1", 1, data);
}

void test_timer(void)
{
  uint64_t t0 = nmtwin_systime();
  uint64_t later = nmtwin_systime();
  check("systime does not go back", later >= t0, 1);

  timer_irqs = 0;
  uint64_t due = nmtwin_systime() + 2000u;
  nmtwin_irq_disable();
  nmtwin_timer_at(due);
  /* Checked with interrupts off, so the interrupt cannot come between the check and wfi;
   * wfi wakes on the pending interrupt, which is taken once they are on again. */
  while (timer_irqs == 0) {
    __asm__ volatile("wfi");
    nmtwin_irq_enable();
    nmtwin_irq_disable();
  }
  uint64_t woke = nmtwin_systime();
  check("timer interrupt wakes wfi once", timer_irqs, 1);
  check("woken at or after timecmp", woke >= due, 1);

  due = nmtwin_systime() + 5000u;
  nmtwin_sleep_until(due);
  check("nmtwin_sleep_until sleeps until systime", nmtwin_systime() >= due, 1);
  check("no handler ran while masked", timer_irqs, 1);
}
