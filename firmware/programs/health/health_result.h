/* The result of the `health` program in the PPU mailbox (word 0 on), as the host reads
 * it (chip array ppu_mailbox). Included by the firmware (C99) and by host code (C++). */
#ifndef NMTWIN_HEALTH_RESULT_H
#define NMTWIN_HEALTH_RESULT_H

#include <stdint.h>

#define NMTWIN_HEALTH_MAGIC 0x484C5448u /* "HLTH" as little-endian bytes */
#define NMTWIN_HEALTH_VERSION 1u
#define NMTWIN_HEALTH_MAX_FAULTS 64u

/* status */
#define NMTWIN_HEALTH_RUNNING 1u /* written first: a result stuck here means the run did not end */
#define NMTWIN_HEALTH_HEALTHY 2u
#define NMTWIN_HEALTH_FAULTY 3u

/* flags */
#define NMTWIN_HEALTH_OVERFLOW 1u /* more faults than NMTWIN_HEALTH_MAX_FAULTS: num_faults also counts
                                     failing reads that could not be told apart from recorded faults */

/* fault kinds */
#define NMTWIN_HEALTH_STUCK_AT_0 1u  /* synapse weight bit `bit` of (row, neuron) reads 0 after a 1 was written */
#define NMTWIN_HEALTH_STUCK_AT_1 2u  /* ... reads 1 after a 0 was written */
#define NMTWIN_HEALTH_DEAD_NEURON 3u /* neuron driven above threshold never spiked (counter stayed 0) */
#define NMTWIN_HEALTH_COUNTER 4u     /* spike counter of `neuron` wrong: `bit` = which check (NMTWIN_HEALTH_COUNTER_*), value = the count read */
#define NMTWIN_HEALTH_SENSOR 5u      /* correlation sensor of (row, neuron) wrong: `bit` = 0 causal, 1 acausal; value = the sensor read */

/* counter checks (`bit` of a NMTWIN_HEALTH_COUNTER fault) */
#define NMTWIN_HEALTH_COUNTER_NOT_RESET 0u   /* nonzero after counter_reset with the neuron quiet */
#define NMTWIN_HEALTH_COUNTER_RATE 1u        /* count outside what the spike period allows */
#define NMTWIN_HEALTH_COUNTER_SATURATION 2u  /* not 255 after more than 255 spikes */
#define NMTWIN_HEALTH_COUNTER_SINGLE_RESET 3u/* resetting this counter alone did not clear it, or cleared a neighbour */
/* sensor checks: value nonzero after corr_reset (row, neuron), or zero after pairs */

struct nmtwin_health_fault {
  uint8_t kind;    /* NMTWIN_HEALTH_STUCK_AT_0 ... NMTWIN_HEALTH_SENSOR */
  uint8_t bit;     /* weight bit 0..7, counter check, or sensor (0 causal, 1 acausal) */
  uint16_t row;    /* synapse row (synapse and sensor faults; 0 otherwise) */
  uint16_t neuron; /* neuron / synapse column */
  uint16_t reserved;
  uint32_t value;  /* counter or sensor value read (0 for synapse faults) */
};

struct nmtwin_health_result {
  uint32_t magic;        /* NMTWIN_HEALTH_MAGIC */
  uint32_t version;      /* NMTWIN_HEALTH_VERSION */
  uint32_t status;       /* NMTWIN_HEALTH_RUNNING / _HEALTHY / _FAULTY */
  uint32_t num_faults;   /* faults found (= the exit code) */
  uint32_t recorded;     /* entries of faults[] filled: min(num_faults, NMTWIN_HEALTH_MAX_FAULTS) */
  uint32_t flags;        /* NMTWIN_HEALTH_OVERFLOW */
  uint32_t march_cycles; /* systime cycles the synapse memory test took */
  uint32_t total_cycles; /* systime cycles of the whole run */
  struct nmtwin_health_fault faults[NMTWIN_HEALTH_MAX_FAULTS];
};

/* 32-byte header + 12 bytes a fault = 800 bytes: fits the 1 KiB mailbox. */
typedef char nmtwin_health_fault_is_12_bytes[sizeof(struct nmtwin_health_fault) == 12 ? 1 : -1];
typedef char nmtwin_health_result_fits_mailbox[sizeof(struct nmtwin_health_result) <= 1024 ? 1 : -1];

#endif
