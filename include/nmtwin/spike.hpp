// A spike the chip sent to the host, as Program::received_spikes() reports it.
#pragma once
#include <cstdint>

namespace nmtwin::hostlink {

/// A spike from the chip; systime in FPGA cycles (8 ns).
struct Spike {
  std::uint16_t label;
  std::uint64_t systime;
  friend bool operator==(const Spike&, const Spike&) = default;
};

}  // namespace nmtwin::hostlink
