// Decoding of response words (FPGA -> host), shared by Connection and tests.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "nmtwin/spec.hpp"

namespace nmtwin::hostlink {

using Response =
    std::variant<spec::resp::ReadData, spec::resp::Spike, spec::resp::Halt, spec::resp::Error, spec::resp::Sample>;

/// Decodes one response word. Throws ProtocolError naming the word in hex when its
/// type is not in the spec, a bit outside every field is set, or an error's
/// reason is not in the spec: such a word means the two sides disagree on the format.
Response decode_response(std::uint64_t word);

/// The full systime of a sample response whose systime field is `low` (bits 34:0), in a
/// run that ended with a halt echo of systime `halt`: the newest systime <= halt with
/// those low bits (every sample ahead of a halt echo was taken before the halt,
/// docs/protocol.md "Samples").
std::uint64_t sample_systime(std::uint64_t low, std::uint64_t halt);

/// "0x1000000300000004": every word in a message looks the same.
std::string hex_word(std::uint64_t word);

}  // namespace nmtwin::hostlink
