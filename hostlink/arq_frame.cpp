#include "hostlink/arq_frame.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace nmtwin::hostlink {
namespace {

void put_be(Datagram& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t get_be(std::span<const std::uint8_t> in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = value << 8 | in[at + static_cast<std::size_t>(i)];
  return value;
}

}  // namespace

Datagram encode_frame(std::uint32_t ack, std::uint32_t seq, spec::arq::Ptype ptype,
                      std::span<const std::uint64_t> words) {
  if (words.size() > 0xFFFF)
    throw std::invalid_argument(fmt::format("ARQ frame of {} words: LEN has 16 bits", words.size()));
  Datagram out;
  out.reserve(spec::arq::header_bytes + 8 * words.size());
  put_be(out, ack, 4);
  put_be(out, seq, 4);
  put_be(out, static_cast<std::uint16_t>(ptype), 2);
  put_be(out, words.size(), 2);
  for (std::uint64_t w : words) put_be(out, w, 8);
  return out;
}

Datagram encode_ack(std::uint32_t ack) {
  Datagram out;
  put_be(out, ack, 4);
  return out;
}

Datagram encode_reset() { return encode_ack(spec::arq::reset_magic); }

bool is_reset(std::span<const std::uint8_t> datagram) {
  return datagram.size() == 4 && get_be(datagram, 0, 4) == spec::arq::reset_magic;
}

DecodedDatagram decode_datagram(std::span<const std::uint8_t> datagram) {
  const std::size_t size = datagram.size();
  if (size == spec::arq::ack_only_bytes) return StandaloneAck{static_cast<std::uint32_t>(get_be(datagram, 0, 4))};
  if (size < spec::arq::header_bytes)
    return MalformedFrame{fmt::format("{} bytes: shorter than the {}-byte header", size, spec::arq::header_bytes)};
  const std::size_t len = get_be(datagram, 10, 2);
  if (size != spec::arq::header_bytes + 8 * len)
    return MalformedFrame{fmt::format("{} bytes, but LEN {} means {}", size, len, spec::arq::header_bytes + 8 * len)};
  ArqFrame frame{.ack = static_cast<std::uint32_t>(get_be(datagram, 0, 4)),
                 .seq = static_cast<std::uint32_t>(get_be(datagram, 4, 4)),
                 .ptype = static_cast<std::uint16_t>(get_be(datagram, 8, 2)),
                 .words = {}};
  frame.words.resize(len);
  for (std::size_t i = 0; i < len; ++i) frame.words[i] = get_be(datagram, spec::arq::header_bytes + 8 * i, 8);
  return frame;
}

std::vector<std::uint64_t> encode_cfg(const ArqCfg& cfg) {
  if (cfg.version.size() > 0xFFFF) throw std::invalid_argument("ARQ CFG: version string longer than 65535 bytes");
  std::vector<std::uint64_t> words{std::uint64_t{cfg.window} << 48 | std::uint64_t{cfg.seq_space} << 32 |
                                   std::uint64_t{cfg.max_payload_words} << 16 | cfg.version.size()};
  for (std::size_t i = 0; i < cfg.version.size(); ++i) {
    if (i % 8 == 0) words.push_back(0);
    words.back() |= std::uint64_t{static_cast<std::uint8_t>(cfg.version[i])} << (56 - 8 * (i % 8));
  }
  return words;
}

ArqCfg decode_cfg(std::span<const std::uint64_t> words) {
  if (words.empty()) throw std::invalid_argument("CFG frame without payload (expected at least 1 word)");
  const std::uint64_t head = words[0];
  const std::size_t length = head & 0xFFFF;
  if (words.size() < 1 + (length + 7) / 8)
    throw std::invalid_argument(
        fmt::format("CFG frame announces a {}-byte version string but carries only {} words", length, words.size()));
  ArqCfg cfg{.window = static_cast<std::uint16_t>(head >> 48),
             .seq_space = static_cast<std::uint16_t>(head >> 32),
             .max_payload_words = static_cast<std::uint16_t>(head >> 16),
             .version = {}};
  for (std::size_t i = 0; i < length; ++i)
    cfg.version.push_back(static_cast<char>(words[1 + i / 8] >> (56 - 8 * (i % 8))));
  return cfg;
}

}  // namespace nmtwin::hostlink
