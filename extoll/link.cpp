#include "extoll/link.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace nmtwin::extoll {

Link::Link(const LinkConfig& config) : config_(config), flips_(64, config.bit_error_rate) {
  if (config.latency_cycles == 0) throw std::invalid_argument("a link needs a latency of at least 1 cycle");
  if (!(config.bit_error_rate >= 0 && config.bit_error_rate < 1))
    throw std::invalid_argument(fmt::format("bit error rate {} is not in [0, 1)", config.bit_error_rate));
  // Each direction has its own generator, so the errors of one do not depend on the
  // traffic of the other.
  rng_[0].seed(config.seed * 2 + 0x9E3779B97F4A7C15ull);
  rng_[1].seed(config.seed * 2 + 1 + 0x9E3779B97F4A7C15ull);
}

void Link::carry(unsigned from, std::span<const Symbol> sent, std::vector<Symbol>& arriving) {
  auto& rng = rng_[from & 1];
  for (Symbol s : sent) {
    s.cycle += config_.latency_cycles;
    ++stats_.symbols;
    if (s.kind == Symbol::Kind::word) {
      ++stats_.words;
      if (config_.bit_error_rate > 0) {
        const std::uint64_t before = s.word;
        const unsigned n = flips_(rng);
        for (unsigned i = 0; i < n; ++i) s.word ^= std::uint64_t{1} << (rng() % 64);
        stats_.flipped_bits += n;
        stats_.corrupted_words += s.word != before;
      }
    }
    arriving.push_back(s);
  }
}

}  // namespace nmtwin::extoll
