#include "sim/systemc/link.hpp"

#include "sim/systemc/chip_link.hpp"

namespace nmtwin::systemc {

Link::Link(const sc_core::sc_module_name& name, const extoll::LinkConfig& config)
    : sc_core::sc_module(name), a("a"), b("b"), link_(config) {
  SC_METHOD(exchange);  // first at time 0, which only schedules the first exchange
}

void Link::end_of_elaboration() {
  a->connect(link_.config().bits_per_cycle);
  b->connect(link_.config().bits_per_cycle);
}

void Link::exchange() {
  const std::uint64_t cycle = cycle_at(sc_core::sc_time_stamp());
  const std::uint64_t latency = link_.config().latency_cycles;
  next_trigger(cycle_start(cycle + latency) - sc_core::sc_time_stamp());
  if (cycle == 0) return;
  a->catch_up(cycle);
  b->catch_up(cycle);
  LinkEndIf* ends[2] = {a.operator->(), b.operator->()};
  for (unsigned from = 0; from < 2; ++from) {
    sent_.clear();
    arriving_.clear();
    ends[from]->take_sent(sent_);
    link_.carry(from, sent_, arriving_);
    for (const auto& s : arriving_) ends[1 - from]->deliver(s);
  }
}

}  // namespace nmtwin::systemc
