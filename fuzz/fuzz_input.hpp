// FuzzInput: reads the fuzzer's bytes as the fields a target needs. Past the end every
// read gives 0 (an empty span), so any input is a valid one; the targets stop on done().
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace nmtwin::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : bytes_(data, size) {}
  bool done() const { return pos_ >= bytes_.size(); }
  std::size_t left() const { return bytes_.size() - pos_; }
  std::uint8_t u8() { return done() ? 0 : bytes_[pos_++]; }
  /// Big-endian, as on the wire.
  std::uint64_t be(int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value = value << 8 | u8();
    return value;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(be(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(be(4)); }
  std::uint64_t u64() { return be(8); }
  /// The next `n` bytes (fewer at the end).
  std::span<const std::uint8_t> take(std::size_t n) {
    n = std::min(n, left());
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::span<const std::uint8_t> rest() { return take(left()); }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

/// A finding the sanitizers cannot see (a broken invariant): printed, then abort()
/// so that libFuzzer saves the input.
[[noreturn]] void finding(const char* what);

}  // namespace nmtwin::fuzz
