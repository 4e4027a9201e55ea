/* nmtwin firmware runtime: what a kernel on the embedded processor (PPU) calls.
 *
 * Link with the runtime (nmtwin_firmware() in firmware/cmake/nmtwin_firmware.cmake): it
 * starts main() with the stack at the top of dmem, .data initialised and .bss zeroed,
 * machine mode, interrupts off; main's return value is the exit code. Addresses come from
 * the generated nmtwin/nmtwin_regs.h (NMTWIN_PPU_IO_*, NMTWIN_PPU_WIN_*). C99, no C library. */
#ifndef NMTWIN_FW_H
#define NMTWIN_FW_H

#include <nmtwin/nmtwin_regs.h>
#include <stdarg.h>
#include <stdint.h>

#define NMTWIN_SYNAPSES_PER_ROW 512u   /* = NMTWIN_CHIP_NEURONS: one synapse per neuron */

/* ---- memory-mapped access ---- */
static inline uint32_t nmtwin_read32(uint32_t addr) { return *(volatile uint32_t *)addr; }
static inline void nmtwin_write32(uint32_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint32_t nmtwin_read8(uint32_t addr) { return *(volatile uint8_t *)addr; }
static inline void nmtwin_write8(uint32_t addr, uint32_t v) { *(volatile uint8_t *)addr = (uint8_t)v; }

/* ---- program end ---- */
/* Ends the program with `code` (the host reads it as ppu_exit_code); does not return.
 * Returning `code` from main, or `ecall` with a7 = 93 and a0 = code, do the same. */
void nmtwin_exit(uint32_t code) __attribute__((noreturn));
/* Reports an unexpected trap (the trap cause) and halts the core with status `trapped`;
 * the host sees mcause, mepc, mtval and the instruction at mepc. */
void nmtwin_fatal(uint32_t mcause) __attribute__((noreturn));

/* ---- console (a store waits while the 64-byte FIFO is full) ---- */
void nmtwin_putc(char c);
void nmtwin_puts(const char *s); /* s and a newline */
/* printf subset: %d %i %u %x %X %p %s %c %%, a field width, '0' padding, '-' left
 * alignment, the `l` (32 bit, as int) and `ll` (64 bit) length modifiers. Returns the
 * number of bytes written. An unknown conversion is printed as is. */
int nmtwin_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int nmtwin_vprintf(const char *fmt, va_list ap);

/* ---- time (systime: the chip's time in 8 ns cycles, 43 bits) ---- */
uint64_t nmtwin_systime(void);
/* Machine timer interrupt (mip.MTIP) pending from systime `t` on; enables mie.MTIE. With
 * interrupts enabled (nmtwin_irq_enable) nmtwin_timer_handler() runs then. */
void nmtwin_timer_at(uint64_t t);
/* Timer off: timecmp = never (all ones), mie.MTIE cleared. */
void nmtwin_timer_cancel(void);
/* Sleeps (wfi: the core's clock stops) until systime >= t, with interrupts masked meanwhile
 * (no handler runs); uses the timer and leaves it cancelled. */
void nmtwin_sleep_until(uint64_t t);

/* ---- interrupts ---- */
#define NMTWIN_IRQ_SOFT (1u << 3)   /* mie/mip bit: the host's doorbell */
#define NMTWIN_IRQ_TIMER (1u << 7)  /* mie/mip bit: systime >= timecmp */
#define NMTWIN_MCAUSE_IRQ 0x80000000u
void nmtwin_irq_enable(void);       /* mstatus.MIE = 1 */
uint32_t nmtwin_irq_disable(void);  /* mstatus.MIE = 0; returns 1 if it was enabled */
void nmtwin_irq_restore(uint32_t was_enabled);
void nmtwin_irq_unmask(uint32_t bits); /* mie |= bits (NMTWIN_IRQ_*) */
void nmtwin_irq_mask(uint32_t bits);   /* mie &= ~bits */
void nmtwin_doorbell_clear(void);

/* Registers at the trap, as trap_entry.S saved them: x[1..31], mepc, mcause, mtval. A
 * handler may change x[] (except x[2]) and mepc; they are restored at mret. */
struct nmtwin_trap_frame {
  uint32_t x[32];
  uint32_t mepc;
  uint32_t mcause;
  uint32_t mtval;
  uint32_t reserved;
};
/* Set to the trap's frame (on the stack) just before an unexpected trap halts the core:
 * a debugger reads the symbol's word in dmem, then the saved registers. With the frame
 * pointer the toolchain keeps (-fno-omit-frame-pointer), s0 (x[8]) points at the caller's
 * stack pointer, the return address is at s0 - 4 and the caller's s0 at s0 - 8: the
 * backtrace is mepc, then that chain (x[1] is the caller only in a function that has
 * called nothing yet). */
extern struct nmtwin_trap_frame *volatile nmtwin_fatal_frame;

/* Weak handlers a program may define. Timer default: nmtwin_timer_cancel(). Doorbell
 * default: nmtwin_doorbell_clear(). Exception default: returns 0. An exception handler
 * returns nonzero when it handled the trap (and usually advanced f->mepc); otherwise,
 * like any other unexpected trap, it ends in nmtwin_fatal(mcause). */
void nmtwin_timer_handler(void);
void nmtwin_soft_handler(void);
int nmtwin_exception_handler(struct nmtwin_trap_frame *f);

/* ---- mailbox (shared with the host: chip array ppu_mailbox) ---- */
extern volatile uint32_t nmtwin_mailbox[]; /* NMTWIN_PPU_MAILBOX_BYTES / 4 words */
#define NMTWIN_MAILBOX_WORDS (NMTWIN_PPU_MAILBOX_BYTES / 4u)
/* Copies words between the mailbox and memory; `first + words` must not exceed
 * NMTWIN_MAILBOX_WORDS (returns 0 and copies nothing otherwise; 1 on success). */
int nmtwin_mailbox_read(uint32_t first, uint32_t *out, uint32_t words);
int nmtwin_mailbox_write(uint32_t first, const uint32_t *in, uint32_t words);

/* ---- chip window: synapses, correlation sensors, counters, neurons ----
 * row 0..255, n (neuron / column) 0..511; a wrong index or value is an access fault. */
static inline uint32_t nmtwin_weight_get(uint32_t row, uint32_t n)
{
  return nmtwin_read8(NMTWIN_PPU_WIN_WEIGHT + row * NMTWIN_SYNAPSES_PER_ROW + n);
}
static inline void nmtwin_weight_set(uint32_t row, uint32_t n, uint32_t w) /* w: 0..63 */
{
  nmtwin_write8(NMTWIN_PPU_WIN_WEIGHT + row * NMTWIN_SYNAPSES_PER_ROW + n, w);
}

/* Row-wide, 4 synapses per word access (128 accesses a row); buffers 4-byte aligned. */
void nmtwin_weights_read_row(uint32_t row, uint8_t out[512]);
void nmtwin_weights_write_row(uint32_t row, const uint8_t in[512]);

static inline uint32_t nmtwin_corr_causal(uint32_t row, uint32_t n)
{
  return nmtwin_read8(NMTWIN_PPU_WIN_CORR_CAUSAL + row * NMTWIN_SYNAPSES_PER_ROW + n);
}
static inline uint32_t nmtwin_corr_acausal(uint32_t row, uint32_t n)
{
  return nmtwin_read8(NMTWIN_PPU_WIN_CORR_ACAUSAL + row * NMTWIN_SYNAPSES_PER_ROW + n);
}
/* Row-wide reads, word accesses (buffers 4-byte aligned). */
void nmtwin_corr_causal_row(uint32_t row, uint8_t out[512]);
void nmtwin_corr_acausal_row(uint32_t row, uint8_t out[512]);
void nmtwin_corr_reset_row(uint32_t row);
void nmtwin_corr_reset_all(void);

static inline uint32_t nmtwin_counter(uint32_t n)
{
  return nmtwin_read8(NMTWIN_PPU_WIN_SPIKE_COUNTER + n);
}
void nmtwin_counters_read(uint8_t out[512]); /* all 512 counters, word accesses */
void nmtwin_counter_reset(uint32_t n);
void nmtwin_counters_reset(void);

/* Neuron register `offset` (NMTWIN_CHIP_NEURON_THRESHOLD_UV ... _LOOPBACK) of neuron n. */
static inline uint32_t nmtwin_neuron_read(uint32_t n, uint32_t offset)
{
  return nmtwin_read32(NMTWIN_PPU_WIN_NEURON + (n * NMTWIN_CHIP_NEURON_STRIDE + offset) * 4u);
}
static inline void nmtwin_neuron_write(uint32_t n, uint32_t offset, uint32_t v)
{
  nmtwin_write32(NMTWIN_PPU_WIN_NEURON + (n * NMTWIN_CHIP_NEURON_STRIDE + offset) * 4u, v);
}

/* ---- watchdog ---- */
static inline void nmtwin_watchdog_kick(void) { nmtwin_write32(NMTWIN_PPU_IO_WATCHDOG_KICK, 1u); }

#endif
