// Bench for systime: counts every cycle from 0 after reset.
#include <boost/test/unit_test.hpp>

#include "Vsystime.h"
#include "tb_harness.hpp"

BOOST_AUTO_TEST_CASE(counts_one_per_cycle_from_reset) {
  nmtwin::tb::Harness<Vsystime> h("systime");
  for (std::uint64_t c = 0; c < 1000; ++c) {
    h.settle();
    BOOST_REQUIRE_EQUAL(h->systime_o, c);
    h.rise();
  }
  h->rst_ni = 0;
  h.settle();
  h.rise();
  h->rst_ni = 1;
  h.settle();
  BOOST_TEST(h->systime_o == 0u);
}
