#pragma once
// Network packets as words (docs/multichip.md): header, events two per word, CRC word.
// The one C++ definition of packet building, parsing and the CRC; RTL benches and the
// network model both use it.

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "nmtwin/spec.hpp"

namespace nmtwin::extoll {

/// CRC-32 (IEEE polynomial, reflected, init and final xor 0xFFFFFFFF) over the bytes
/// of `words`, least significant byte of each word first.
std::uint32_t crc32(std::span<const std::uint64_t> words);

/// One event in a packet.
struct Event {
  std::uint16_t label = 0;     ///< destination label, 14 bits
  std::uint8_t split = 0;      ///< 0 or 1
  std::uint16_t deadline = 0;  ///< systime bits 15:0
  friend bool operator==(const Event&, const Event&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Event& e) {
    return os << "{label " << e.label << ", split " << unsigned{e.split} << ", deadline " << e.deadline << "}";
  }
};

struct Packet {
  spec::layout::NetHeader header;  ///< `words` and `events` are filled in by encode()
  std::vector<Event> events;
  friend bool operator==(const Packet&, const Packet&) = default;

  /// Header, payload and CRC word. Throws std::invalid_argument for no events or more
  /// than fit in spec::net::max_packet_words.
  std::vector<std::uint64_t> encode() const;
};

/// Why a word sequence is not a good packet (empty when it is).
struct DecodeResult {
  std::optional<Packet> packet;
  std::string error;  ///< "bad CRC", "length disagrees with the header", ...
};

/// Checks length, counts and CRC; the packet when all agree.
DecodeResult decode(std::span<const std::uint64_t> words);

/// Most events one packet carries.
constexpr unsigned max_events = 2 * (spec::net::max_packet_words - 2);

}  // namespace nmtwin::extoll
