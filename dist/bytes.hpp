// The byte format of what ranks send each other (dist/comm.hpp): little-endian integers
// and raw bytes, written by a ByteWriter and read back by a bounds-checked ByteReader.
// A message that is cut short or has bytes left over is an error that names the message
// (its sender) and the field being read, never a silent misread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nmtwin::dist {

using Bytes = std::vector<std::uint8_t>;

class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { put(v, 2); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void bytes(std::span<const std::uint8_t> data) { out_.insert(out_.end(), data.begin(), data.end()); }

  std::size_t size() const { return out_.size(); }
  const Bytes& data() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  void put(std::uint64_t v, unsigned n);
  Bytes out_;
};

// Reads `data` from the front. `source` names the message in errors, e.g. "the message
// from rank 2"; each read may name its field ("the time of event 3"), else its type.
class ByteReader {
 public:
  ByteReader(std::span<const std::uint8_t> data, std::string source) : data_(data), source_(std::move(source)) {}

  std::uint8_t u8(std::string_view field = "a u8") { return static_cast<std::uint8_t>(get(1, field)); }
  std::uint16_t u16(std::string_view field = "a u16") { return static_cast<std::uint16_t>(get(2, field)); }
  std::uint32_t u32(std::string_view field = "a u32") { return static_cast<std::uint32_t>(get(4, field)); }
  std::uint64_t u64(std::string_view field = "a u64") { return get(8, field); }
  std::span<const std::uint8_t> bytes(std::size_t n, std::string_view field = "bytes");

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  // Throws when bytes are left over: the sender wrote more than this reader expects.
  void finish() const;

 private:
  std::uint64_t get(unsigned n, std::string_view field);
  void need(std::size_t n, std::string_view field) const;

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  std::string source_;
};

}  // namespace nmtwin::dist
