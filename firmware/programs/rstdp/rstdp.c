/* Reward-modulated STDP kernel (docs/firmware.md, "A plasticity kernel"): run once after
 * each presentation of a pattern. Reads the two output neurons' spike counters and the
 * pattern rows' correlation sensors, rewards the trial when the pattern's own output
 * fired more, moves the weights by (R - mean R) * (causal - acausal), updates the mean,
 * resets sensors and counters and leaves a record in the mailbox (rstdp_mailbox.h).
 * Integer only: the host reference (examples/plasticity/rstdp_reference.cpp) must get
 * the same weights bit for bit. */
#include <nmtwin/fw.h>

#include "rstdp_mailbox.h"

#define MB(word) nmtwin_mailbox[word]

/* floor(x / 2^s): an arithmetic right shift, defined for negative x as well. */
static int32_t asr(int32_t x, uint32_t s) { return x >= 0 ? x >> s : ~(~x >> s); }

/* x / 2^s rounded to nearest, halves upward; x for s = 0. */
static int32_t shift_round(int32_t x, uint32_t s) { return s == 0u ? x : asr(x + ((int32_t)1 << (s - 1u)), s); }

static int32_t clamp_weight(int32_t w)
{
  return w < 0 ? 0 : w > 63 ? 63 : w;
}

static uint32_t popcount(uint32_t x)
{
  uint32_t n = 0;
  for (; x; x &= x - 1u)
    ++n;
  return n;
}

static int bad(const char *word, uint32_t value, const char *fix)
{
  nmtwin_printf("rstdp: mailbox word %s = %u is out of range: %s\n", word, (unsigned)value, fix);
  return RSTDP_EXIT_BAD_CONFIG;
}

static int check_config(void)
{
  const uint32_t rows = MB(RSTDP_ROWS), n0 = MB(RSTDP_NEURON0), n1 = MB(RSTDP_NEURON1);
  if (rows < 1u || rows > RSTDP_MAX_ROWS)
    return bad("ROWS", rows, "use 1..32 rows per pattern");
  if (MB(RSTDP_ROW_FIRST0) + rows > NMTWIN_CHIP_ROWS)
    return bad("ROW_FIRST0", MB(RSTDP_ROW_FIRST0), "the pattern's rows must end before row 256");
  if (MB(RSTDP_ROW_FIRST1) + rows > NMTWIN_CHIP_ROWS)
    return bad("ROW_FIRST1", MB(RSTDP_ROW_FIRST1), "the pattern's rows must end before row 256");
  if (n0 >= NMTWIN_CHIP_NEURONS)
    return bad("NEURON0", n0, "use a neuron 0..511");
  if (n1 >= NMTWIN_CHIP_NEURONS || n0 == n1 || n0 / 4u != n1 / 4u)
    return bad("NEURON1", n1, "the two output neurons must differ and share one aligned 4-synapse word");
  if (MB(RSTDP_ETA) > 255u)
    return bad("ETA", MB(RSTDP_ETA), "use 0..255");
  if (MB(RSTDP_SHIFT) > 31u)
    return bad("SHIFT", MB(RSTDP_SHIFT), "use 0..31");
  if (MB(RSTDP_MEAN_SHIFT) > 15u)
    return bad("MEAN_SHIFT", MB(RSTDP_MEAN_SHIFT), "use 0..15");
  if (MB(RSTDP_PATTERN) > 1u)
    return bad("PATTERN", MB(RSTDP_PATTERN), "the host presents pattern 0 or 1");
  return RSTDP_EXIT_OK;
}

static uint32_t byte_of(uint32_t word, uint32_t lane) { return (word >> (8u * lane)) & 0xFFu; }

int main(void)
{
  if (MB(RSTDP_MAGIC) != RSTDP_MAGIC_VALUE) {
    nmtwin_printf("rstdp: mailbox word MAGIC is %x, not %x: the host must write the configuration first\n",
                  (unsigned)MB(RSTDP_MAGIC), (unsigned)RSTDP_MAGIC_VALUE);
    return RSTDP_EXIT_NOT_CONFIGURED;
  }
  const int status = check_config();
  if (status != RSTDP_EXIT_OK)
    return status;

  const uint32_t pattern = MB(RSTDP_PATTERN), rows = MB(RSTDP_ROWS);
  const uint32_t first = pattern ? MB(RSTDP_ROW_FIRST1) : MB(RSTDP_ROW_FIRST0);
  const uint32_t n0 = MB(RSTDP_NEURON0), column = n0 & ~3u;
  const uint32_t lane[2] = {n0 & 3u, MB(RSTDP_NEURON1) & 3u};
  const int32_t eta = (int32_t)MB(RSTDP_ETA);
  const uint32_t shift = MB(RSTDP_SHIFT);

  /* Both counters in one word access. */
  const uint32_t counters = nmtwin_read32(NMTWIN_PPU_WIN_SPIKE_COUNTER + column);
  const uint32_t count[2] = {byte_of(counters, lane[0]), byte_of(counters, lane[1])};
  const uint32_t correct = count[pattern] > count[1u - pattern];
  const int32_t reward = correct ? 256 : count[pattern] < count[1u - pattern] ? -256 : 0;
  const uint32_t rbar_word = pattern ? RSTDP_RBAR1 : RSTDP_RBAR0;
  const int32_t rbar = (int32_t)MB(rbar_word);
  const int32_t advantage = reward - rbar;

  /* The sensor copies fill a mailbox word every two rows; unused words read 0. */
  uint32_t causal_copy = 0, acausal_copy = 0;
  for (uint32_t r = 0; r < RSTDP_MAX_ROWS; r += 2u)
  {
    MB(RSTDP_CAUSAL + r / 2u) = 0;
    MB(RSTDP_ACAUSAL + r / 2u) = 0;
  }
  for (uint32_t r = 0; r < rows; ++r) {
    /* One word access each moves the synapses of both outputs in this row. */
    const uint32_t at = (first + r) * NMTWIN_SYNAPSES_PER_ROW + column;
    const uint32_t causal = nmtwin_read32(NMTWIN_PPU_WIN_CORR_CAUSAL + at);
    const uint32_t acausal = nmtwin_read32(NMTWIN_PPU_WIN_CORR_ACAUSAL + at);
    uint32_t weights = nmtwin_read32(NMTWIN_PPU_WIN_WEIGHT + at);
    for (uint32_t j = 0; j < 2u; ++j) {
      const uint32_t c = byte_of(causal, lane[j]), a = byte_of(acausal, lane[j]);
      const int32_t eligibility = (int32_t)c - (int32_t)a;
      const int32_t dw = shift_round(eta * advantage * eligibility, shift);
      const uint32_t w = (uint32_t)clamp_weight((int32_t)byte_of(weights, lane[j]) + dw);
      weights = (weights & ~(0xFFu << (8u * lane[j]))) | (w << (8u * lane[j]));
      const uint32_t slot = (r % 2u) * 2u + j;
      causal_copy |= c << (8u * slot);
      acausal_copy |= a << (8u * slot);
    }
    nmtwin_write32(NMTWIN_PPU_WIN_WEIGHT + at, weights);
    if (r % 2u == 1u || r + 1u == rows) {
      MB(RSTDP_CAUSAL + r / 2u) = causal_copy;
      MB(RSTDP_ACAUSAL + r / 2u) = acausal_copy;
      causal_copy = acausal_copy = 0;
    }
  }
  nmtwin_corr_reset_all();
  nmtwin_counters_reset();

  MB(rbar_word) = (uint32_t)(rbar + shift_round(advantage, MB(RSTDP_MEAN_SHIFT)));
  MB(RSTDP_TRIALS) += 1u;
  MB(RSTDP_CORRECT) += correct;
  const uint32_t history = (MB(RSTDP_HISTORY) << 1) | correct;
  MB(RSTDP_HISTORY) = history;
  MB(RSTDP_COUNTS) = count[0] | (count[1] << 8);
  MB(RSTDP_REWARD) = (uint32_t)reward;
  MB(RSTDP_RBAR_BEFORE) = (uint32_t)rbar;
  MB(RSTDP_RECENT_CORRECT) = popcount(history & ((1u << RSTDP_HISTORY_TRIALS) - 1u));
  return RSTDP_EXIT_OK;
}
