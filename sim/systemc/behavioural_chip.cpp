#include "sim/systemc/behavioural_chip.hpp"

namespace nmtwin::systemc {

BehaviouralChip::BehaviouralChip(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name), chip_down("chip_down"), chip_up("chip_up") {
  chip_down.register_b_transport(this, &BehaviouralChip::b_transport);
  SC_METHOD(wake);
  sensitive << due_;  // and once at time 0, which schedules the first event
}

void BehaviouralChip::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const std::uint64_t word = receive_chip_word(payload);
  model_.receive(word, cycle_at(sc_core::sc_time_stamp() + delay));
  send_output(delay);
}

// Runs at the start of the cycle of the model's next event (spikes, loopbacks).
void BehaviouralChip::wake() {
  model_.advance(cycle_at(sc_core::sc_time_stamp()));
  send_output(sc_core::SC_ZERO_TIME);
}

// Answers carry the annotation of the word they answer: they leave in its cycle.
void BehaviouralChip::send_output(const sc_core::sc_time& delay) {
  while (model_.has_output()) send_chip_word(chip_up, model_.pop_output(), delay);
  const std::uint64_t next = model_.next_event();
  due_.cancel();
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (next != UINT64_MAX) due_.notify(cycle_start(next) > now ? cycle_start(next) - now : sc_core::SC_ZERO_TIME);
}

}  // namespace nmtwin::systemc
