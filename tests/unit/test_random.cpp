// nmtwin/random.hpp: the first outputs of each generator and each draw are pinned
// to literals (computed once, and checked against an independent Python
// transcription of the algorithms), so a change of any algorithm, constant or
// seeding fails here before it changes a golden file.  The same literals hold for
// g++ and clang++ builds (docs/determinism.md).
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "nmtwin/random.hpp"

namespace rnd = nmtwin::random;

namespace {
template <typename Draw>
auto first(unsigned count, Draw draw) {
  std::vector<decltype(draw())> out;
  for (unsigned i = 0; i < count; ++i) out.push_back(draw());
  return out;
}

// The sample mean of `count` draws, for a check that the algorithm draws what it says.
template <typename Draw>
double mean_of(unsigned count, Draw draw) {
  double sum = 0;
  for (unsigned i = 0; i < count; ++i) sum += static_cast<double>(draw());
  return sum / count;
}
}  // namespace

BOOST_AUTO_TEST_CASE(splitmix64_matches_the_reference_sequence_of_seed_0) {
  rnd::SplitMix64 g(0);
  const std::vector<std::uint64_t> want{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f,
                                        0xf88bb8a8724c81ec};
  BOOST_TEST(first(4, [&] { return g(); }) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(xoshiro256ss_seeded_by_splitmix64) {
  rnd::Xoshiro256ss g(1);
  const std::vector<std::uint64_t> want{0xb3f2af6d0fc710c5, 0x853b559647364cea, 0x92f89756082a4514,
                                        0x642e1c7bc266a3a7};
  BOOST_TEST(first(4, [&] { return g(); }) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(uniform_double_takes_the_top_53_bits) {
  rnd::Xoshiro256ss g(2);
  const std::vector<double> want{0x1.a28690da8a8dp-4, 0x1.73770085b5dbap-1, 0x1.78c14d7800f78p-3,
                                 0x1.7ee67cc7a272dp-1};
  BOOST_TEST(first(4, [&] { return rnd::uniform(g); }) == want, boost::test_tools::per_element());
  rnd::Xoshiro256ss h(2);
  BOOST_TEST(rnd::uniform(h) == static_cast<double>(rnd::Xoshiro256ss(2)() >> 11) * 0x1.0p-53);
}

BOOST_AUTO_TEST_CASE(uniform_int_signed_and_unsigned) {
  rnd::Xoshiro256ss g(3);
  const std::vector<int> want{572, 422, -845, 102, -226, -302};
  BOOST_TEST(first(6, [&] { return rnd::uniform_int(g, -1500, 1500); }) == want, boost::test_tools::per_element());
  rnd::Xoshiro256ss h(3);
  const std::vector<std::uint64_t> want6{4, 3, 1, 3};
  BOOST_TEST(first(4, [&] { return rnd::uniform_int<std::uint64_t>(h, 0, 5); }) == want6,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(uniform_int_edges_and_no_bias) {
  rnd::Xoshiro256ss g(8), raw(8);
  BOOST_TEST(rnd::uniform_int<std::uint64_t>(g, 0, std::numeric_limits<std::uint64_t>::max()) == raw());
  BOOST_TEST(rnd::uniform_int(g, 17, 17) == 17);
  constexpr auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  BOOST_TEST(rnd::uniform_int<std::int64_t>(g, lo, hi) != 0);  // a full-range draw of 0 would be 2^-64 unlikely
  // Three values: 2^64 mod 3 = 1 output in 2^64 is redrawn; the counts stay even.
  std::uint64_t counts[3]{};
  for (unsigned i = 0; i < 30000; ++i) ++counts[rnd::uniform_int(g, 0, 2)];
  for (auto c : counts) BOOST_TEST((c > 9500 && c < 10500), "count " << c);
}

BOOST_AUTO_TEST_CASE(bernoulli_compares_one_uniform) {
  rnd::Xoshiro256ss g(4);
  const std::vector<bool> want{true, false, false, false, true, false, false, false, true, false};
  BOOST_TEST(first(10, [&] { return rnd::bernoulli(g, 0.3); }) == want, boost::test_tools::per_element());
  for (unsigned i = 0; i < 100; ++i) {
    BOOST_TEST(!rnd::bernoulli(g, 0.0));
    BOOST_TEST(rnd::bernoulli(g, 1.0));
  }
}

BOOST_AUTO_TEST_CASE(binomial_by_geometric_skipping) {
  rnd::Xoshiro256ss g(5);
  const std::vector<std::uint64_t> want{3, 3, 2, 4, 2, 4};
  BOOST_TEST(first(6, [&] { return rnd::binomial(g, 64, 0.05); }) == want, boost::test_tools::per_element());
  rnd::Xoshiro256ss h(5);
  const std::vector<std::uint64_t> want_high{696, 708, 688, 694};  // p > 1/2 counts the failures
  BOOST_TEST(first(4, [&] { return rnd::binomial(h, 1000, 0.7); }) == want_high, boost::test_tools::per_element());
  BOOST_TEST(rnd::binomial(g, 64, 0.0) == 0u);
  BOOST_TEST(rnd::binomial(g, 64, 1.0) == 64u);
  BOOST_TEST(rnd::binomial(g, 0, 0.3) == 0u);
  const double m = mean_of(20000, [&] { return rnd::binomial(g, 64, 1e-3); });
  BOOST_TEST(m > 0.058);  // n p = 0.064, standard error 0.0018
  BOOST_TEST(m < 0.070);
}

BOOST_AUTO_TEST_CASE(exponential_by_inversion) {
  rnd::Xoshiro256ss g(6);
  const std::vector<double> want{0x1.74f433c583867p+1, 0x1.67c99d3ad9a8bp+2, 0x1.0e25b8b6af035p+2,
                                 0x1.38bf48bcdb2aap-2};
  BOOST_TEST(first(4, [&] { return rnd::exponential(g, 0.5); }) == want, boost::test_tools::per_element());
  const double m = mean_of(20000, [&] { return rnd::exponential(g, 0.5); });
  BOOST_TEST(m > 1.94);  // mean 2, standard error 0.014
  BOOST_TEST(m < 2.06);
}

BOOST_AUTO_TEST_CASE(poisson_by_knuths_product_in_chunks_of_64) {
  rnd::Xoshiro256ss g(7);
  const std::vector<std::uint64_t> want{6, 2, 6, 2, 3, 2};
  BOOST_TEST(first(6, [&] { return rnd::poisson(g, 3.5); }) == want, boost::test_tools::per_element());
  rnd::Xoshiro256ss h(7);
  const std::vector<std::uint64_t> want_big{205, 184, 212};  // 64 + 64 + 64 + 8
  BOOST_TEST(first(3, [&] { return rnd::poisson(h, 200.0); }) == want_big, boost::test_tools::per_element());
  BOOST_TEST(rnd::poisson(g, 0.0) == 0u);
  const double m = mean_of(20000, [&] { return rnd::poisson(g, 3.5); });
  BOOST_TEST(m > 3.46);  // standard error 0.013
  BOOST_TEST(m < 3.54);
  const double big = mean_of(2000, [&] { return rnd::poisson(g, 200.0); });
  BOOST_TEST(big > 198.9);  // standard error 0.32
  BOOST_TEST(big < 201.1);
}
