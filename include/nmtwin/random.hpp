#pragma once
// nmtwin's own random numbers: two fixed generators and the draws built on them,
// specified here bit for bit so that a seed gives the same numbers with every
// compiler and standard library (docs/determinism.md).  The std:: distributions
// are not used anywhere results are kept: the standard fixes their distribution
// but not their algorithm, so libstdc++ and libc++ draw different numbers.
//
// Floating point: the draws use only +, -, *, / (exact IEEE-754 double rounding)
// and std::log, std::log1p, std::exp.  These functions are not correctly rounded by the
// standard; nmtwin assumes one C library (glibc on Debian, which g++ and clang++
// share there), so both compilers call the same code and get the same bits.  The
// build must not enable -ffast-math (which lets a compiler reassociate).
//
// Every draw takes any generator g with `std::uint64_t g()` giving 64 uniform bits.

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace nmtwin::random {

/// SplitMix64 (Steele, Lea, Flood 2014; the constants of Vigna's reference code):
/// a 64-bit counter advanced by the golden ratio, each value scrambled.  Used to
/// expand one seed into the state of Xoshiro256ss, and as a small generator.
class SplitMix64 {
 public:
  using result_type = std::uint64_t;
  explicit constexpr SplitMix64(std::uint64_t seed) : state_(seed) {}

  constexpr std::uint64_t operator()() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  static constexpr std::uint64_t min() { return 0; }
  static constexpr std::uint64_t max() { return std::numeric_limits<std::uint64_t>::max(); }

 private:
  std::uint64_t state_;
};

/// xoshiro256** 1.0 (Blackman, Vigna 2018): 256 bits of state, period 2^256 - 1.
/// The state is the first four outputs of SplitMix64(seed), as the authors
/// recommend; it is never all zero (SplitMix64 is a bijection of its counter).
class Xoshiro256ss {
 public:
  using result_type = std::uint64_t;
  explicit constexpr Xoshiro256ss(std::uint64_t seed) {
    SplitMix64 expand(seed);
    for (auto& word : s_) word = expand();
  }

  constexpr std::uint64_t operator()() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  static constexpr std::uint64_t min() { return 0; }
  static constexpr std::uint64_t max() { return std::numeric_limits<std::uint64_t>::max(); }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

/// Uniform double in [0, 1): the top 53 bits of one output times 2^-53, so every
/// value is a multiple of 2^-53 and 1 is never reached.
template <typename G>
double uniform(G& g) {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

namespace detail {
/// High and low 64 bits of the 128-bit product a * b, in portable C++.
constexpr void multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
  const std::uint64_t a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const std::uint64_t middle = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  lo = (middle << 32) | (p00 & 0xffffffff);
  hi = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

/// Uniform in [0, range) for range >= 1: Lemire's multiply-and-reject ("Fast random
/// integer generation in an interval", 2019).  The high word of x * range is the
/// result; outputs whose low word falls below 2^64 mod range are redrawn, which
/// leaves every result exactly equally likely.
template <typename G>
std::uint64_t below(G& g, std::uint64_t range) {
  std::uint64_t hi = 0, lo = 0;
  multiply(g(), range, hi, lo);
  if (lo < range) {
    const std::uint64_t threshold = (0 - range) % range;  // 2^64 mod range
    while (lo < threshold) multiply(g(), range, hi, lo);
  }
  return hi;
}
}  // namespace detail

/// Uniform integer in [lo, hi] (lo <= hi), every value equally likely: below() on
/// the width of the interval; the full 64-bit interval takes one output as it is.
template <typename T, typename G>
T uniform_int(G& g, T lo, T hi) {
  static_assert(std::is_integral_v<T> && sizeof(T) <= 8);
  using U = std::make_unsigned_t<T>;
  const std::uint64_t span = static_cast<std::uint64_t>(static_cast<U>(static_cast<U>(hi) - static_cast<U>(lo)));
  const std::uint64_t offset = span == std::numeric_limits<std::uint64_t>::max() ? g() : detail::below(g, span + 1);
  return static_cast<T>(static_cast<U>(static_cast<U>(lo) + static_cast<U>(offset)));
}

/// true with probability p: uniform(g) < p (one output; p <= 0 never, p >= 1 always).
template <typename G>
bool bernoulli(G& g, double p) {
  return uniform(g) < p;
}

/// Exponential with the given rate (mean 1 / rate): inversion, -log(1 - u) / rate
/// with u = uniform(g); 1 - u is in (0, 1], so the result is finite and >= 0.
template <typename G>
double exponential(G& g, double rate) {
  return -std::log(1 - uniform(g)) / rate;
}

/// Binomial(n, p): the number of successes in n Bernoulli(p) trials, by geometric
/// skipping (Devroye, Non-Uniform Random Variate Generation, 1986, X.4.3): the
/// failures before the next success are floor(log(1 - u) / log(1 - p)), so a draw
/// costs one uniform and one log per success plus one, O(n p + 1) whatever n is.
/// For p > 1/2 it counts the failures instead (n - Binomial(n, 1 - p)).
template <typename G>
std::uint64_t binomial(G& g, std::uint64_t n, double p) {
  if (!(p > 0) || n == 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(g, n, 1 - p);
  const double log_q = std::log1p(-p);  // log(1 - p) < 0, exact for tiny p
  std::uint64_t successes = 0;
  std::uint64_t left = n;  // trials not yet decided
  for (;;) {
    const double failures = std::floor(std::log(1 - uniform(g)) / log_q);
    if (failures >= static_cast<double>(left)) return successes;
    left -= static_cast<std::uint64_t>(failures) + 1;
    ++successes;
  }
}

/// Poisson(mean), mean >= 0: Knuth's product of uniforms (TAOCP vol. 2, 3.4.1):
/// the count of uniforms whose running product stays above exp(-mean).  A mean
/// above 64 is drawn as a sum of Poisson draws of at most 64 each (the sum of
/// independent Poisson variables is Poisson), so exp(-chunk) >= 1.6e-28 never
/// underflows and the draw stays exact for any mean; it costs about mean + 1
/// uniforms, meant for the modest means a simulation asks for.
template <typename G>
std::uint64_t poisson(G& g, double mean) {
  constexpr double chunk = 64;
  std::uint64_t count = 0;
  for (double left = mean; left > 0; left -= chunk) {
    const double limit = std::exp(-(left < chunk ? left : chunk));
    for (double product = uniform(g); product > limit; product *= uniform(g)) ++count;
  }
  return count;
}

}  // namespace nmtwin::random
