#pragma once
// The behavioural chip model (sim::ChipModel, docs/chip.md) as a SystemC chip module:
// the same sockets a user's chip module has, so a system can hold either.  Words from
// the FPGA act in the cycle they arrive in; answers and spikes go up with the time of
// their cycle, so an Fpga sees them in exactly the cycles the fast path (sim::Node with
// its built-in model) does.

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "sim/chip/chip_model.hpp"
#include "sim/systemc/chip_link.hpp"

namespace nmtwin::systemc {

class BehaviouralChip : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<BehaviouralChip, chip_link_width> chip_down;
  tlm_utils::simple_initiator_socket<BehaviouralChip, chip_link_width> chip_up;

  SC_HAS_PROCESS(BehaviouralChip);
  explicit BehaviouralChip(const sc_core::sc_module_name& name);

  sim::ChipModel& model() { return model_; }

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  void wake();  // the model's next event is due
  void send_output(const sc_core::sc_time& delay);  // the outbox up the link, then the next wake-up
  sim::ChipModel model_;
  sc_core::sc_event due_;  // notified for the model's next event
};

}  // namespace nmtwin::systemc
