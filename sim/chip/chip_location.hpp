// A decoded chip address (private to the chip model's sources): which register block,
// which element, which field. The register code and the processor window share it.
#pragma once
#include <cstdint>

#include "nmtwin/spec.hpp"

namespace nmtwin::sim {

enum class ChipBlock : std::uint8_t { reg, neuron, row, weight, counter, causal, acausal, corr, fault, sampler };

struct ChipLocation {
  ChipBlock block;
  std::uint32_t index;  // register table index, or array element
  const spec::chip::Field* field;
  spec::Access access;
};

}  // namespace nmtwin::sim
