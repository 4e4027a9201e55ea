/* Row-wide chip window access and the mailbox copies. Word accesses move four synapses
 * (bytes n..n+3, little-endian) at a time. */
#include <nmtwin/fw.h>

static void read_row(uint32_t base, uint8_t out[512])
{
  const volatile uint32_t *src = (const volatile uint32_t *)base;
  uint32_t *dst = (uint32_t *)(void *)out;
  for (uint32_t i = 0; i < NMTWIN_SYNAPSES_PER_ROW / 4u; ++i)
    dst[i] = src[i];
}

/* `out`/`in` must be 4-byte aligned (word copies). */
void nmtwin_weights_read_row(uint32_t row, uint8_t out[512])
{
  read_row(NMTWIN_PPU_WIN_WEIGHT + row * NMTWIN_SYNAPSES_PER_ROW, out);
}

void nmtwin_weights_write_row(uint32_t row, const uint8_t in[512])
{
  volatile uint32_t *dst = (volatile uint32_t *)(NMTWIN_PPU_WIN_WEIGHT + row * NMTWIN_SYNAPSES_PER_ROW);
  const uint32_t *src = (const uint32_t *)(const void *)in;
  for (uint32_t i = 0; i < NMTWIN_SYNAPSES_PER_ROW / 4u; ++i)
    dst[i] = src[i];
}

void nmtwin_corr_causal_row(uint32_t row, uint8_t out[512])
{
  read_row(NMTWIN_PPU_WIN_CORR_CAUSAL + row * NMTWIN_SYNAPSES_PER_ROW, out);
}

void nmtwin_corr_acausal_row(uint32_t row, uint8_t out[512])
{
  read_row(NMTWIN_PPU_WIN_CORR_ACAUSAL + row * NMTWIN_SYNAPSES_PER_ROW, out);
}

void nmtwin_counters_read(uint8_t out[512]) { read_row(NMTWIN_PPU_WIN_SPIKE_COUNTER, out); }

#define ALL 0xFFFFFFFFu
void nmtwin_corr_reset_row(uint32_t row) { nmtwin_write32(NMTWIN_PPU_WIN_CORR_RESET, row); }
void nmtwin_corr_reset_all(void) { nmtwin_write32(NMTWIN_PPU_WIN_CORR_RESET, ALL); }
void nmtwin_counter_reset(uint32_t n) { nmtwin_write32(NMTWIN_PPU_WIN_COUNTER_RESET, n); }
void nmtwin_counters_reset(void) { nmtwin_write32(NMTWIN_PPU_WIN_COUNTER_RESET, ALL); }

int nmtwin_mailbox_read(uint32_t first, uint32_t *out, uint32_t words)
{
  if (first > NMTWIN_MAILBOX_WORDS || words > NMTWIN_MAILBOX_WORDS - first)
    return 0;
  for (uint32_t i = 0; i < words; ++i)
    out[i] = nmtwin_mailbox[first + i];
  return 1;
}

int nmtwin_mailbox_write(uint32_t first, const uint32_t *in, uint32_t words)
{
  if (first > NMTWIN_MAILBOX_WORDS || words > NMTWIN_MAILBOX_WORDS - first)
    return 0;
  for (uint32_t i = 0; i < words; ++i)
    nmtwin_mailbox[first + i] = in[i];
  return 1;
}
