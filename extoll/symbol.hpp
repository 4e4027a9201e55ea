#pragma once
// What crosses an EXTOLL link in either direction, stamped with the FPGA cycle it is
// on the wire at that end (docs/multichip.md "Link layer").

#include <cstdint>

namespace nmtwin::extoll {

struct Symbol {
  enum class Kind : std::uint8_t {
    word,     ///< a packet word; `last` on the CRC word
    ack,      ///< link control: ACK(seq)
    nak,      ///< link control: NAK(seq)
    credit,   ///< one packet buffer freed
    gi,       ///< global interrupt pulse
    measure,  ///< latency measurement pulse
  };
  std::uint64_t cycle = 0;
  Kind kind = Kind::word;
  std::uint64_t word = 0;
  bool last = false;
  std::uint8_t seq = 0;
  friend bool operator==(const Symbol&, const Symbol&) = default;
};

}  // namespace nmtwin::extoll
