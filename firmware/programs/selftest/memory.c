/* Loads and stores of every width and sign, in dmem, imem (read-only through the data
 * port) and the mailbox; CSRs. */
#include "selftest.h"

#define LOAD(op)                                                                 \
  static uint32_t op##_(const volatile void *p)                                 \
  {                                                                              \
    uint32_t r;                                                                  \
    __asm__ volatile(#op " %0, 0(%1)" : "=r"(r) : "r"(p) : "memory");           \
    return r;                                                                    \
  }
#define STORE(op)                                                                \
  static void op##_(volatile void *p, uint32_t v)                               \
  {                                                                              \
    __asm__ volatile(#op " %1, 0(%0)" : : "r"(p), "r"(v) : "memory");           \
  }
LOAD(lb) LOAD(lbu) LOAD(lh) LOAD(lhu) LOAD(lw) STORE(sb) STORE(sh) STORE(sw)

static volatile uint32_t buf[2];
static volatile uint32_t initialised = 0x600DF00Du; /* .data: copied from imem by crt0 */
static volatile uint32_t zeroed;                    /* .bss: cleared by crt0 */

void test_memory(void)
{
  volatile uint8_t *b = (volatile uint8_t *)buf;
  check(".data initialised", initialised, 0x600DF00Du);
  check(".bss zeroed", zeroed, 0);
  sw_(&buf[0], 0x8081F0F1u);
  check("lw", lw_(&buf[0]), 0x8081F0F1u);
  check("lb sign-extends", lb_(b + 3), 0xFFFFFF80u);
  check("lbu zero-extends", lbu_(b + 3), 0x80u);
  check("lb byte 0", lb_(b + 0), 0xFFFFFFF1u);
  check("lbu byte 1", lbu_(b + 1), 0xF0u);
  check("lh sign-extends", lh_(b + 2), 0xFFFF8081u);
  check("lhu zero-extends", lhu_(b + 2), 0x8081u);
  check("lh low half", lh_(b + 0), 0xFFFFF0F1u);
  sw_(&buf[1], 0);
  sb_(b + 4, 0x1FFu);
  sb_(b + 6, 0x22u);
  check("sb writes one byte", lw_(&buf[1]), 0x002200FFu);
  sh_(b + 6, 0xABCD1234u);
  check("sh writes one half", lw_(&buf[1]), 0x123400FFu);
  sh_(b + 4, 0x5678u);
  check("sh low half", lw_(&buf[1]), 0x12345678u);
  check("word 0 untouched", lw_(&buf[0]), 0x8081F0F1u);

  uint32_t first = lw_((const volatile void *)NMTWIN_PPU_IMEM_BASE);
  check("imem readable (auipc at 0)", first & 0x7Fu, 0x17u);

  uint32_t last = NMTWIN_MAILBOX_WORDS - 1u;
  uint32_t saved = nmtwin_mailbox[last];
  sw_(&nmtwin_mailbox[last], 0xA5A5A5A5u);
  sb_((volatile uint8_t *)&nmtwin_mailbox[last] + 1, 0x3Cu);
  check("mailbox word and byte", lw_(&nmtwin_mailbox[last]), 0xA5A53CA5u);
  nmtwin_mailbox[last] = saved;
}

void test_csr(void)
{
  uint32_t r, old;
  __asm__ volatile("csrw mscratch, %0" : : "r"(0x12345678u));
  __asm__ volatile("csrrs %0, mscratch, %1" : "=r"(old) : "r"(0x80000001u));
  __asm__ volatile("csrr %0, mscratch" : "=r"(r));
  check("csrrs returns old", old, 0x12345678u);
  check("csrrs sets bits", r, 0x92345679u);
  __asm__ volatile("csrrc %0, mscratch, %1" : "=r"(old) : "r"(0x12345678u));
  __asm__ volatile("csrr %0, mscratch" : "=r"(r));
  check("csrrc clears bits", r, 0x80000001u);
  __asm__ volatile("csrrwi %0, mscratch, 21\n\tcsrrsi zero, mscratch, 8\n\tcsrrci zero, mscratch, 1\n\tcsrr %0, mscratch"
                   : "=r"(r));
  check("csrrwi/csrrsi/csrrci", r, 28u);
  uint32_t tvec;
  extern char nmtwin_trap_entry[];
  __asm__ volatile("csrr %0, mtvec" : "=r"(tvec));
  check("mtvec = runtime trap entry", tvec, (uint32_t)nmtwin_trap_entry);

  uint32_t c0, c1, i0, i1;
  __asm__ volatile("csrr %0, mcycle\n\tcsrr %1, minstret\n\tnop\n\tnop\n\tnop\n\tcsrr %2, minstret\n\tcsrr %3, mcycle"
                   : "=r"(c0), "=r"(i0), "=r"(i1), "=r"(c1));
  check("minstret counts retired", i1 - i0, 4u);
  check("mcycle advances (>= instructions)", (c1 - c0) >= 5u, 1u);
}
