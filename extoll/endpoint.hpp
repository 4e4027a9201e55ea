#pragma once
// What the network needs of the far end of an FPGA's link (sim::NetPort): the
// symbols the FPGA sent since the last exchange, and a place to deliver to.

#include <vector>

#include "extoll/symbol.hpp"

namespace nmtwin::extoll {

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  /// Appends what was sent since the last call, in cycle order.
  virtual void take_sent(std::vector<Symbol>& out) = 0;
  /// A symbol arriving on its cycle (never earlier than the cycle being simulated).
  virtual void deliver(const Symbol& symbol) = 0;
};

}  // namespace nmtwin::extoll
