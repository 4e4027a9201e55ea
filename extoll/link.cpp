#include "extoll/link.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace nmtwin::extoll {

// Each direction has its own generator, so the errors of one do not depend on the
// traffic of the other.
Link::Link(const LinkConfig& config)
    : config_(config), rng_{random::Xoshiro256ss(config.seed * 2), random::Xoshiro256ss(config.seed * 2 + 1)} {
  if (config.latency_cycles == 0) throw std::invalid_argument("a link needs a latency of at least 1 cycle");
  if (!(config.bit_error_rate >= 0 && config.bit_error_rate < 1))
    throw std::invalid_argument(fmt::format("bit error rate {} is not in [0, 1)", config.bit_error_rate));
}

void Link::carry(unsigned from, std::span<const Symbol> sent, std::vector<Symbol>& arriving) {
  auto& rng = rng_[from & 1];
  if (config_.dead) {
    stats_.dead_symbols += sent.size();
    return;
  }
  for (Symbol s : sent) {
    s.cycle += config_.latency_cycles;
    ++stats_.symbols;
    if (s.kind == Symbol::Kind::word) {
      ++stats_.words;
      if (config_.bit_error_rate > 0) {
        const std::uint64_t before = s.word;
        const std::uint64_t n = random::binomial(rng, 64, config_.bit_error_rate);
        for (std::uint64_t i = 0; i < n; ++i) s.word ^= std::uint64_t{1} << random::uniform_int(rng, 0, 63);
        stats_.flipped_bits += n;
        stats_.corrupted_words += s.word != before;
      }
    }
    arriving.push_back(s);
  }
}

}  // namespace nmtwin::extoll
