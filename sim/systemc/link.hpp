#pragma once
// A full-duplex EXTOLL link (extoll::Link: latency, bandwidth, seeded bit errors)
// between two LinkEndIf exports: an Fpga's `net` or a Switch's `ports[i]`.  Every
// `latency` cycles, at the rising edge, it brings both ends up to that cycle and
// carries what each sent to the other: nothing sent since the last exchange can arrive
// before the next one, so the result is that of lock-step (docs/systemc.md).

#include <systemc>
#include <vector>

#include "extoll/link.hpp"
#include "sim/systemc/link_end.hpp"

namespace nmtwin::systemc {

class Link : public sc_core::sc_module {
 public:
  sc_core::sc_port<LinkEndIf> a, b;

  SC_HAS_PROCESS(Link);
  /// Throws std::invalid_argument for a latency of 0 or a bad bit-error rate.
  Link(const sc_core::sc_module_name& name, const extoll::LinkConfig& config);

  const extoll::Link& model() const { return link_; }

 private:
  void end_of_elaboration() override;
  void exchange();
  extoll::Link link_;
  std::vector<extoll::Symbol> sent_, arriving_;
};

}  // namespace nmtwin::systemc
