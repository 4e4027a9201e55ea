// ARQ frames in UDP datagrams (spec/nmtwin.toml [arq]): big-endian ACK u32,
// SEQ u32, PTYPE u16, LEN u16 (payload in 64-bit words), then LEN u64 words; a
// 4-byte datagram is a standalone ACK; the reset port takes a 4-byte magic word.
// One codec for the host, the test's reference FPGA and the simulator's tools.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "hostlink/datagram_link.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::hostlink {

struct ArqFrame {
  std::uint32_t ack = 0;  ///< next sequence number the sender expects (mod seq space)
  std::uint32_t seq = 0;  ///< spec::arq::unsequenced for CFG frames
  std::uint16_t ptype = 0;
  std::vector<std::uint64_t> words;
};

struct StandaloneAck {
  std::uint32_t ack;
};

/// A datagram that is no frame: what is wrong with it, for counters and traces.
struct MalformedFrame {
  std::string why;
};

using DecodedDatagram = std::variant<ArqFrame, StandaloneAck, MalformedFrame>;

Datagram encode_frame(std::uint32_t ack, std::uint32_t seq, spec::arq::Ptype ptype,
                      std::span<const std::uint64_t> words);
Datagram encode_ack(std::uint32_t ack);
/// The magic word for the reset port.
Datagram encode_reset();
bool is_reset(std::span<const std::uint8_t> datagram);
/// Never throws: a datagram that is too short, whose LEN disagrees with its size,
/// is a MalformedFrame. PTYPE is not checked (the receiver knows which it takes).
DecodedDatagram decode_datagram(std::span<const std::uint8_t> datagram);

/// What the FPGA announces in its CFG frame after a reset.
struct ArqCfg {
  std::uint16_t window = spec::arq::window;
  std::uint16_t seq_space = spec::arq::seq_space;
  std::uint16_t max_payload_words = spec::arq::max_payload_words;
  std::string version{spec::arq::version_string};  ///< "VERSION/COMPATIBLE_UNTIL"
  friend bool operator==(const ArqCfg&, const ArqCfg&) = default;
};

std::vector<std::uint64_t> encode_cfg(const ArqCfg& cfg);
/// Throws std::invalid_argument saying what is wrong (too short, string length).
ArqCfg decode_cfg(std::span<const std::uint64_t> words);

}  // namespace nmtwin::hostlink
