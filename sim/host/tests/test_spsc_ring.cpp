#define BOOST_TEST_MODULE spsc_ring
#include <boost/test/unit_test.hpp>

#include <thread>

#include "sim/host/spsc_ring.hpp"

using nmtwin::sim::SpscRing;

BOOST_AUTO_TEST_CASE(full_and_empty) {
  SpscRing<int> ring(3);
  BOOST_TEST(ring.capacity() == 4u);
  BOOST_TEST(!ring.pop().has_value());
  for (int i = 0; i < 4; ++i) BOOST_TEST(ring.push(int{i}));
  BOOST_TEST(!ring.push(99));
  BOOST_TEST(*ring.pop() == 0);
  BOOST_TEST(ring.push(4));
  for (int i = 1; i <= 4; ++i) BOOST_TEST(*ring.pop() == i);
  BOOST_TEST(ring.empty());
}

BOOST_AUTO_TEST_CASE(two_threads_keep_order_and_lose_nothing) {
  SpscRing<std::vector<int>> ring(64);
  constexpr int n = 200000;
  std::thread producer([&] {
    for (int i = 0; i < n; ++i) {
      std::vector<int> v{i, -i};
      while (!ring.push(std::move(v))) std::this_thread::yield();
    }
  });
  int expected = 0;
  bool ordered = true;
  while (expected < n) {
    if (auto v = ring.pop()) {
      ordered = ordered && (*v)[0] == expected && (*v)[1] == -expected;
      ++expected;
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
  BOOST_TEST(ordered);
  BOOST_TEST(ring.empty());
}
