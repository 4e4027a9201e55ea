/* March C- over the synapse weight memory, word by word (four synapses an access):
 *   up(w0); up(r0,w1); up(r1,w0); down(r0,w1); down(r1,w0); up(r0)
 * with 0 = 0x00 and 1 = 0x3F (the six weight bits) in every byte. It finds every stuck-at,
 * transition and coupling fault between cells; a failing read names the bit. */
#include "health.h"

#define WORDS (NMTWIN_CHIP_ROWS * NMTWIN_SYNAPSES_PER_ROW / 4u)
#define ZERO 0x00000000u
#define ONE 0x3F3F3F3Fu

static volatile uint32_t *const weights = (volatile uint32_t *)NMTWIN_PPU_WIN_WEIGHT;

/* Names every bit of word i that differs from what was written. */
static void mismatch(uint32_t i, uint32_t got, uint32_t want)
{
  uint32_t diff = got ^ want;
  for (uint32_t b = 0; b < 32; ++b) {
    if (!(diff >> b & 1u))
      continue;
    uint32_t synapse = i * 4u + b / 8u;
    uint32_t kind = (want >> b & 1u) ? NMTWIN_HEALTH_STUCK_AT_0 : NMTWIN_HEALTH_STUCK_AT_1;
    fault(kind, synapse / NMTWIN_SYNAPSES_PER_ROW, synapse % NMTWIN_SYNAPSES_PER_ROW, b % 8u, 0);
  }
}

/* One read-then-write march element over all words, upwards or downwards. */
static void element(int up, uint32_t expect, uint32_t write)
{
  for (uint32_t k = 0; k < WORDS; ++k) {
    uint32_t i = up ? k : WORDS - 1u - k;
    uint32_t got = weights[i];
    if (got != expect)
      mismatch(i, got, expect);
    weights[i] = write;
  }
}

void march_synapses(void)
{
  for (uint32_t i = 0; i < WORDS; ++i)
    weights[i] = ZERO;
  element(1, ZERO, ONE);
  element(1, ONE, ZERO);
  element(0, ZERO, ONE);
  element(0, ONE, ZERO);
  for (uint32_t i = 0; i < WORDS; ++i) {
    uint32_t got = weights[i];
    if (got != ZERO)
      mismatch(i, got, ZERO);
  }
}
