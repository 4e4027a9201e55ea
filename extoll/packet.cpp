#include "extoll/packet.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

namespace nmtwin::extoll {

namespace {

constexpr std::uint32_t reflect32(std::uint32_t v) {
  std::uint32_t r = 0;
  for (int i = 0; i < 32; ++i) r |= ((v >> i) & 1u) << (31 - i);
  return r;
}

constexpr std::array<std::uint32_t, 256> make_table() {
  const std::uint32_t poly = reflect32(spec::net::crc_polynomial);
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ poly : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr auto table = make_table();

std::uint64_t pack(const Event& e) {
  return spec::layout::NetEvent{.deadline = e.deadline, .split = e.split, .label = e.label}.encode();
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint64_t> words) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint64_t w : words)
    for (int b = 0; b < 8; ++b) c = table[(c ^ static_cast<std::uint8_t>(w >> (8 * b))) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::vector<std::uint64_t> Packet::encode() const {
  if (events.empty() || events.size() > max_events)
    throw std::invalid_argument(fmt::format("a packet carries 1 to {} events, not {}", max_events, events.size()));
  auto h = header;
  h.events = events.size();
  h.words = (events.size() + 1) / 2;
  std::vector<std::uint64_t> words{h.encode()};
  for (std::size_t i = 0; i < events.size(); i += 2)
    words.push_back(pack(events[i]) | (i + 1 < events.size() ? pack(events[i + 1]) << 32 : 0));
  words.push_back(spec::layout::NetCrc{.crc = crc32(words)}.encode());
  return words;
}

DecodeResult decode(std::span<const std::uint64_t> words) {
  if (words.size() < 3) return {std::nullopt, fmt::format("{} words are too short for a packet", words.size())};
  if (words.size() > spec::net::max_packet_words)
    return {std::nullopt,
            fmt::format("{} words exceed the largest packet ({})", words.size(), spec::net::max_packet_words)};
  const auto crc = spec::layout::NetCrc::decode(words.back());
  if (crc.crc != crc32(words.first(words.size() - 1)) || words.back() >> 32 != 0) return {std::nullopt, "bad CRC"};
  Packet p;
  p.header = spec::layout::NetHeader::decode(words[0]);
  if (p.header.words != words.size() - 2 || p.header.events == 0 || (p.header.events + 1) / 2 != p.header.words)
    return {std::nullopt, "length disagrees with the header"};
  for (std::size_t i = 0; i < p.header.events; ++i) {
    const auto e = spec::layout::NetEvent::decode(words[1 + i / 2] >> (i % 2 ? 32 : 0));
    p.events.push_back({static_cast<std::uint16_t>(e.label), static_cast<std::uint8_t>(e.split),
                        static_cast<std::uint16_t>(e.deadline)});
  }
  return {std::move(p), {}};
}

}  // namespace nmtwin::extoll
