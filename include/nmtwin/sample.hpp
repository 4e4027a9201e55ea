// A membrane sample the chip's sampler sent to the host, as Program::received_samples()
// reports it (docs/chip.md "Sampler", docs/protocol.md "Samples").
#pragma once
#include <cstdint>

namespace nmtwin::hostlink {

/// A membrane sample from the chip's sampler; systime in FPGA cycles (8 ns).
struct Sample {
  std::uint16_t neuron;
  std::int32_t value_uv;  ///< the sample's code times spec::chip::sample_lsb_uv
  std::uint64_t systime;  ///< the cycle the sample was taken
  friend bool operator==(const Sample&, const Sample&) = default;
};

}  // namespace nmtwin::hostlink
