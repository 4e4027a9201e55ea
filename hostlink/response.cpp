#include "nmtwin/response.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <utility>

#include "nmtwin/errors.hpp"

namespace nmtwin::hostlink {
namespace {

namespace resp = spec::resp;

constexpr std::uint64_t field_mask(unsigned lsb, unsigned width) { return ((std::uint64_t{1} << width) - 1) << lsb; }

// Bits covered by the selector and the given fields; all others are reserved.
constexpr std::uint64_t used_bits(std::initializer_list<std::pair<unsigned, unsigned>> fields) {
  std::uint64_t used = field_mask(resp::selector_lsb, resp::selector_width);
  for (auto [lsb, width] : fields) used |= field_mask(lsb, width);
  return used;
}

template <class R>
constexpr std::uint64_t used_bits();
template <>
constexpr std::uint64_t used_bits<resp::ReadData>() {
  using R = resp::ReadData;
  return used_bits({{R::tag_lsb, R::tag_width}, {R::data_lsb, R::data_width}});
}
template <>
constexpr std::uint64_t used_bits<resp::Spike>() {
  using R = resp::Spike;
  return used_bits({{R::label_lsb, R::label_width}, {R::systime_lsb, R::systime_width}});
}
template <>
constexpr std::uint64_t used_bits<resp::Halt>() {
  using R = resp::Halt;
  return used_bits({{R::cookie_lsb, R::cookie_width}, {R::systime_lsb, R::systime_width}});
}
template <>
constexpr std::uint64_t used_bits<resp::Error>() {
  using R = resp::Error;
  return used_bits(
      {{R::reason_lsb, R::reason_width}, {R::detail_lsb, R::detail_width}, {R::index_lsb, R::index_width}});
}

template <>
constexpr std::uint64_t used_bits<resp::Sample>() {
  using R = resp::Sample;
  return used_bits(
      {{R::neuron_lsb, R::neuron_width}, {R::value_lsb, R::value_width}, {R::systime_lsb, R::systime_width}});
}

[[noreturn]] void malformed(std::uint64_t word, const std::string& why) {
  const std::string what = fmt::format("response word {}: {}", hex_word(word), why);
  throw ProtocolError(what, {}, {what});
}

template <class R>
R checked(std::uint64_t word) {
  if (const std::uint64_t stray = word & ~used_bits<R>())
    malformed(word, fmt::format("{} with reserved bits {} set", R::name, hex_word(stray)));
  return R::decode(word);
}

}  // namespace

std::string hex_word(std::uint64_t word) { return fmt::format("{:#018x}", word); }

std::uint64_t sample_systime(std::uint64_t low, std::uint64_t halt) {
  constexpr std::uint64_t span = std::uint64_t{1} << resp::Sample::systime_width;
  const std::uint64_t t = (halt & ~(span - 1)) | (low & (span - 1));
  return t <= halt || t < span ? t : t - span;  // before systime 2^35 there is no older wrap
}

Response decode_response(std::uint64_t word) {
  switch (resp::selector(word)) {
    case resp::ResponseType::read_data:
      return checked<resp::ReadData>(word);
    case resp::ResponseType::spike:
      return checked<resp::Spike>(word);
    case resp::ResponseType::halt:
      return checked<resp::Halt>(word);
    case resp::ResponseType::sample:
      return checked<resp::Sample>(word);
    case resp::ResponseType::error: {
      const auto e = checked<resp::Error>(word);
      if (spec::name_of(static_cast<spec::ErrorReason>(e.reason)).empty())
        malformed(word, fmt::format("error with reason {}, which the spec does not define", e.reason));
      return e;
    }
  }
  malformed(word, fmt::format("unknown response type {:#x}", word >> resp::selector_lsb));
}

}  // namespace nmtwin::hostlink
