/* Mailbox layout of the reward-modulated STDP kernel (rstdp.c), shared with the host
 * (examples/plasticity): word indices into the 1 KiB mailbox. The rule is written down in
 * docs/firmware.md ("A plasticity kernel"); the kernel and the host reference implement
 * it separately. C99 and C++ both include this file.
 *
 * The host writes the configuration and zeroes the state once, then per trial writes
 * RSTDP_PATTERN and runs the kernel. The kernel keeps everything that must outlive one
 * run in the mailbox: crt0 re-initialises dmem on every start. */
#ifndef NMTWIN_RSTDP_MAILBOX_H
#define NMTWIN_RSTDP_MAILBOX_H

#define RSTDP_MAGIC_VALUE 0x52535444u /* "RSTD": the host configured the mailbox */
#define RSTDP_MAX_ROWS 32u            /* synapse rows per pattern */
#define RSTDP_OUTPUTS 2u              /* output neurons, one per pattern */
#define RSTDP_HISTORY_TRIALS 20u      /* RSTDP_RECENT_CORRECT counts this many trials */

enum rstdp_word {
  /* configuration (host, once) */
  RSTDP_MAGIC = 0,
  RSTDP_ROW_FIRST0 = 1, /* first synapse row of pattern 0 */
  RSTDP_ROW_FIRST1 = 2, /* first synapse row of pattern 1 */
  RSTDP_ROWS = 3,       /* rows per pattern, 1..RSTDP_MAX_ROWS */
  RSTDP_NEURON0 = 4,    /* output neuron that must win for pattern 0 */
  RSTDP_NEURON1 = 5,    /* ... for pattern 1; both in one aligned 4-synapse word */
  RSTDP_ETA = 6,        /* learning rate, 0..255 */
  RSTDP_SHIFT = 7,      /* right shift of the weight change, 0..31 */
  RSTDP_MEAN_SHIFT = 8, /* right shift of the mean reward's update, 0..15 */
  /* per trial (host) */
  RSTDP_PATTERN = 9, /* the pattern just presented: 0 or 1 */
  /* state (host zeroes it once; the kernel updates it) */
  RSTDP_RBAR0 = 10, /* mean reward of pattern 0, signed Q8 */
  RSTDP_RBAR1 = 11,
  RSTDP_TRIALS = 12,  /* kernel runs that updated weights */
  RSTDP_CORRECT = 13, /* of which rewarded */
  RSTDP_HISTORY = 14, /* bit i: trial (latest - i) was rewarded */
  /* record of the latest trial (kernel) */
  RSTDP_COUNTS = 15,         /* spike counter of neuron0 (bits 7:0) and neuron1 (15:8) */
  RSTDP_REWARD = 16,         /* R, signed Q8: +256 won, -256 lost, 0 tie */
  RSTDP_RBAR_BEFORE = 17,    /* the pattern's mean reward the update used */
  RSTDP_RECENT_CORRECT = 18, /* rewarded trials among the latest RSTDP_HISTORY_TRIALS */
  /* the sensor values the kernel read: byte (r * 2 + j) of the block is row
   * (row_first + r) onto neuron j, little-endian within the words */
  RSTDP_CAUSAL = 32,
  RSTDP_ACAUSAL = RSTDP_CAUSAL + RSTDP_MAX_ROWS * RSTDP_OUTPUTS / 4u,
  RSTDP_WORDS = RSTDP_ACAUSAL + RSTDP_MAX_ROWS * RSTDP_OUTPUTS / 4u
};

/* Exit codes of the kernel; the console says which input is wrong and how to fix it. */
enum rstdp_exit {
  RSTDP_EXIT_OK = 0,
  RSTDP_EXIT_NOT_CONFIGURED = 1, /* RSTDP_MAGIC is not RSTDP_MAGIC_VALUE */
  RSTDP_EXIT_BAD_CONFIG = 2      /* a configuration or pattern word is out of range */
};

#endif
