/* Spike counters and correlation sensors. Every neuron gets the chip's reset parameters
 * (docs/chip.md) and a loopback from neuron n to synapse row n % 256; a bias then drives
 * all of them above threshold. With the weights 0 (after the march test) the loopback
 * spikes change no membrane, but each gives every synapse of its row a presynaptic
 * spike: each synapse (r, n) sees pre spikes (neurons r, r + 256) and post spikes
 * (neuron n), so both its sensors must count pairs. */
#include "health.h"

#define N NMTWIN_CHIP_NEURONS
#define ROWS NMTWIN_CHIP_ROWS

/* The chip's reset parameters (docs/chip.md, "Registers"). */
#define THRESHOLD_UV (-50000)
#define RESET_UV (-65000)
#define LEAK_UV (-65000)
#define TAU_M_NS 10000u
#define REFRACTORY_NS 2000u
/* Drive: rest = leak + bias = 135 mV. The spike period is (docs/chip.md, "Firing")
 *   R + ceil(tau_m/8 * ln((rest - reset) / (rest - threshold)))
 *   = 250 + ceil(1250 * ln(200000 / 185000)) = 250 + 98 = 348 cycles. */
#define BIAS_UV 200000
#define PERIOD 348u
#define QUIET_CYCLES 10000u    /* 8 tau_syn (default 5 us): old inputs have decayed */
#define RATE_CYCLES (20u * PERIOD)
#define SATURATE_CYCLES (270u * PERIOD)

static uint8_t counts[N] __attribute__((aligned(4)));
static uint8_t sensors[NMTWIN_SYNAPSES_PER_ROW] __attribute__((aligned(4)));

static void configure(uint32_t bias, uint32_t loopback)
{
  for (uint32_t n = 0; n < N; ++n) {
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_THRESHOLD_UV, (uint32_t)THRESHOLD_UV);
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_RESET_UV, (uint32_t)RESET_UV);
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_LEAK_UV, (uint32_t)LEAK_UV);
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_TAU_M_NS, TAU_M_NS);
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_REFRACTORY_NS, REFRACTORY_NS);
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_OUTPUT, 0);
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_LOOPBACK,
                        loopback ? NMTWIN_CHIP_NEURON_LOOPBACK_ENABLE_MASK | (n % ROWS) : 0u);
    nmtwin_neuron_write(n, NMTWIN_CHIP_NEURON_BIAS_UV, bias);
  }
}

static void set_all(uint32_t offset, uint32_t value)
{
  for (uint32_t n = 0; n < N; ++n)
    nmtwin_neuron_write(n, offset, value);
}

static void sleep_for(uint32_t cycles) { nmtwin_sleep_until(nmtwin_systime() + cycles); }

/* The causal (acausal = 0) or acausal sensors of `row` into sensors[]. */
static void read_sensors(uint32_t row, uint32_t acausal)
{
  if (acausal)
    nmtwin_corr_acausal_row(row, sensors);
  else
    nmtwin_corr_causal_row(row, sensors);
}

/* Every sensor must read 0 right after corr_reset (nothing spikes). */
static void check_sensors_zero(void)
{
  for (uint32_t row = 0; row < ROWS; ++row) {
    for (uint32_t acausal = 0; acausal < 2; ++acausal) {
      read_sensors(row, acausal);
      for (uint32_t n = 0; n < N; ++n)
        if (sensors[n])
          fault(NMTWIN_HEALTH_SENSOR, row, n, acausal, sensors[n]);
    }
  }
}

/* After the drive every sensor with a live pre and post neuron must have counted pairs. */
static void check_sensors_paired(void)
{
  for (uint32_t row = 0; row < ROWS; ++row) {
    if (neuron_dead(row) && neuron_dead(row + ROWS))
      continue; /* no pre spikes on this row */
    for (uint32_t acausal = 0; acausal < 2; ++acausal) {
      read_sensors(row, acausal);
      for (uint32_t n = 0; n < N; ++n)
        if (!sensors[n] && !neuron_dead(n))
          fault(NMTWIN_HEALTH_SENSOR, row, n, acausal, 0);
    }
  }
}

static void counter_fault(uint32_t n, uint32_t check, uint32_t value)
{
  fault(NMTWIN_HEALTH_COUNTER, 0, n, check, value);
}

void check_neurons(void)
{
  configure(0, 1);
  sleep_for(QUIET_CYCLES);
  nmtwin_counters_reset();
  nmtwin_corr_reset_all();
  nmtwin_counters_read(counts);
  for (uint32_t n = 0; n < N; ++n)
    if (counts[n])
      counter_fault(n, NMTWIN_HEALTH_COUNTER_NOT_RESET, counts[n]);
  check_sensors_zero();

  /* Rate: neuron n fires from its bias write on, every PERIOD cycles, the first spike
   * within PERIOD. Spikes between the last write and the first read: at least
   * floor(span / PERIOD) - 1; between the first write and the last read: at most
   * floor(span / PERIOD) + 1. */
  uint64_t first_write = nmtwin_systime();
  set_all(NMTWIN_CHIP_NEURON_BIAS_UV, (uint32_t)BIAS_UV);
  uint64_t last_write = nmtwin_systime();
  sleep_for(RATE_CYCLES);
  uint64_t first_read = nmtwin_systime();
  nmtwin_counters_read(counts);
  uint64_t last_read = nmtwin_systime();
  uint32_t periods = (uint32_t)((first_read - last_write) / PERIOD);
  uint32_t low = periods ? periods - 1u : 0u;
  uint32_t high = (uint32_t)((last_read - first_write) / PERIOD) + 1u;
  for (uint32_t n = 0; n < N; ++n) {
    if (counts[n] == 0)
      fault(NMTWIN_HEALTH_DEAD_NEURON, 0, n, 0, 0);
    else if (counts[n] < low || counts[n] > high)
      counter_fault(n, NMTWIN_HEALTH_COUNTER_RATE, counts[n]);
  }

  /* Enough pairs for the sensors (about 7 units each, kernel at 348 cycles): the
   * loopback off spares the simulator the pairs of the long saturation phase. */
  set_all(NMTWIN_CHIP_NEURON_LOOPBACK, 0);

  /* Saturation at 255, then each counter reset alone (its neighbour keeps 255). */
  sleep_for(SATURATE_CYCLES);
  nmtwin_counters_read(counts);
  for (uint32_t n = 0; n < N; ++n)
    if (!neuron_dead(n) && counts[n] != 255u)
      counter_fault(n, NMTWIN_HEALTH_COUNTER_SATURATION, counts[n]);
  for (uint32_t n = 0; n < N; ++n) {
    nmtwin_counter_reset(n);
    uint32_t c = nmtwin_counter(n);
    if (!neuron_dead(n) && c > 1u) /* one spike may come between reset and read */
      counter_fault(n, NMTWIN_HEALTH_COUNTER_SINGLE_RESET, c);
    if (n + 1u < N && !neuron_dead(n + 1u) && (c = nmtwin_counter(n + 1u)) != 255u)
      counter_fault(n + 1u, NMTWIN_HEALTH_COUNTER_SINGLE_RESET, c);
  }

  set_all(NMTWIN_CHIP_NEURON_BIAS_UV, 0);
  check_sensors_paired();

  configure(0, 0);
  nmtwin_counters_reset();
  nmtwin_corr_reset_all();
}
