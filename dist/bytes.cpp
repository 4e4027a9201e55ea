#include "dist/bytes.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace nmtwin::dist {

void ByteWriter::put(std::uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::span<const std::uint8_t> ByteReader::bytes(std::size_t n, std::string_view field) {
  need(n, field);
  const auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

std::uint64_t ByteReader::get(unsigned n, std::string_view field) {
  need(n, field);
  std::uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= std::uint64_t{data_[pos_ + i]} << (8 * i);
  pos_ += n;
  return v;
}

void ByteReader::need(std::size_t n, std::string_view field) const {
  if (n <= remaining()) return;
  throw std::runtime_error(fmt::format(
      "{}: cut short reading {} ({} byte{}) at byte {}: only {} of its {} bytes are left; the ranks must run the "
      "same build",
      source_, field, n, n == 1 ? "" : "s", pos_, remaining(), data_.size()));
}

void ByteReader::finish() const {
  if (remaining() == 0) return;
  throw std::runtime_error(
      fmt::format("{}: {} byte{} left over at byte {} of {} after its last field; the ranks must run the same build",
                  source_, remaining(), remaining() == 1 ? "" : "s", pos_, data_.size()));
}

}  // namespace nmtwin::dist
