/* Health check of the chip as the PPU sees it: a march test of the synapse weight memory,
 * then spike counters and correlation sensors driven through the neuron registers. The
 * result goes to the mailbox (health_result.h), a summary naming every fault to the
 * console; the exit code is the number of faults (0: healthy).
 *
 * Destructive: afterwards every weight is 0 and every neuron has the chip's reset
 * parameters (threshold, reset, leak, bias, tau_m, refractory, output, loopback; tau_syn
 * and weight_scale untouched), counters and sensors reset. Assumes the correlation
 * parameters (corr block) have nonzero amplitudes, as after reset. */
#include "health.h"

static uint8_t dead[NMTWIN_CHIP_NEURONS];

int neuron_dead(uint32_t n) { return dead[n]; }

static int same(const volatile struct nmtwin_health_fault *f, uint32_t kind, uint32_t row, uint32_t neuron,
                uint32_t bit)
{
  return f->kind == kind && f->row == row && f->neuron == neuron && f->bit == bit;
}

void fault(uint32_t kind, uint32_t row, uint32_t neuron, uint32_t bit, uint32_t value)
{
  volatile struct nmtwin_health_result *r = HEALTH_RESULT;
  for (uint32_t i = 0; i < r->recorded; ++i)
    if (same(&r->faults[i], kind, row, neuron, bit))
      return;
  if (kind == NMTWIN_HEALTH_DEAD_NEURON)
    dead[neuron] = 1;
  ++r->num_faults;
  if (r->recorded == NMTWIN_HEALTH_MAX_FAULTS) {
    r->flags |= NMTWIN_HEALTH_OVERFLOW;
    return;
  }
  volatile struct nmtwin_health_fault *f = &r->faults[r->recorded++];
  f->kind = (uint8_t)kind;
  f->bit = (uint8_t)bit;
  f->row = (uint16_t)row;
  f->neuron = (uint16_t)neuron;
  f->reserved = 0;
  f->value = value;
}

static const char *const kind_names[] = {"?", "stuck-at-0", "stuck-at-1", "dead neuron", "counter", "sensor"};
static const char *const counter_checks[] = {"not reset", "rate", "saturation", "single reset"};

static void print_fault(const volatile struct nmtwin_health_fault *f)
{
  const char *kind = f->kind <= NMTWIN_HEALTH_SENSOR ? kind_names[f->kind] : "?";
  switch (f->kind) {
  case NMTWIN_HEALTH_STUCK_AT_0:
  case NMTWIN_HEALTH_STUCK_AT_1:
    nmtwin_printf("health: fault: %s synapse row %u neuron %u bit %u\n", kind, (unsigned)f->row,
                  (unsigned)f->neuron, (unsigned)f->bit);
    break;
  case NMTWIN_HEALTH_SENSOR:
    nmtwin_printf("health: fault: sensor %s row %u neuron %u reads %u\n", f->bit ? "acausal" : "causal",
                  (unsigned)f->row, (unsigned)f->neuron, (unsigned)f->value);
    break;
  case NMTWIN_HEALTH_COUNTER:
    nmtwin_printf("health: fault: counter neuron %u (%s) reads %u\n", (unsigned)f->neuron,
                  f->bit < 4 ? counter_checks[f->bit] : "?", (unsigned)f->value);
    break;
  default: /* dead neuron */
    nmtwin_printf("health: fault: %s %u\n", kind, (unsigned)f->neuron);
  }
}

int main(void)
{
  volatile struct nmtwin_health_result *r = HEALTH_RESULT;
  uint64_t start = nmtwin_systime();
  r->magic = NMTWIN_HEALTH_MAGIC;
  r->version = NMTWIN_HEALTH_VERSION;
  r->status = NMTWIN_HEALTH_RUNNING;
  r->num_faults = r->recorded = r->flags = 0;
  r->march_cycles = r->total_cycles = 0;

  march_synapses();
  uint64_t marched = nmtwin_systime();
  r->march_cycles = (uint32_t)(marched - start);
  nmtwin_printf("health: synapse memory: %u rows x %u synapses x 6 bits, march C-: %u faults (%u cycles)\n",
                (unsigned)NMTWIN_CHIP_ROWS, (unsigned)NMTWIN_SYNAPSES_PER_ROW, (unsigned)r->num_faults,
                (unsigned)r->march_cycles);

  uint32_t before = r->num_faults;
  check_neurons();
  r->total_cycles = (uint32_t)(nmtwin_systime() - start);
  nmtwin_printf("health: %u neurons: spike counters and correlation sensors: %u faults\n",
                (unsigned)NMTWIN_CHIP_NEURONS, (unsigned)(r->num_faults - before));

  for (uint32_t i = 0; i < r->recorded; ++i)
    print_fault(&r->faults[i]);
  if (r->flags & NMTWIN_HEALTH_OVERFLOW)
    nmtwin_printf("health: more than %u faults, only the first are listed\n", (unsigned)NMTWIN_HEALTH_MAX_FAULTS);
  r->status = r->num_faults ? NMTWIN_HEALTH_FAULTY : NMTWIN_HEALTH_HEALTHY;
  if (r->num_faults)
    nmtwin_printf("health: FAULTY: %u faults\n", (unsigned)r->num_faults);
  else
    nmtwin_puts("health: healthy");
  return (int)r->num_faults;
}
