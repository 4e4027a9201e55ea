/* Internal interface of the health program: the checks and the fault list they fill. */
#ifndef HEALTH_H
#define HEALTH_H

#include <nmtwin/fw.h>
#include "health_result.h"

/* The result lives in the mailbox from word 0 on. */
#define HEALTH_RESULT ((volatile struct nmtwin_health_result *)(volatile void *)nmtwin_mailbox)

/* Records a fault (kept once: a repeat of a recorded fault is ignored). */
void fault(uint32_t kind, uint32_t row, uint32_t neuron, uint32_t bit, uint32_t value);
/* 1 if neuron n was found dead (its counter and sensor checks are then skipped). */
int neuron_dead(uint32_t n);

/* March C- over every weight bit of the synapse memory; leaves all weights 0. */
void march_synapses(void);
/* Spike counters and correlation sensors, driving every neuron through its registers. */
void check_neurons(void);

#endif
