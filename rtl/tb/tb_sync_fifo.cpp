// Bench for sync_fifo (Verilated with WIDTH=16, DEPTH=5): full and empty
// behaviour, fall-through latency, and order under random push/pop.
#include <boost/test/unit_test.hpp>

#include <deque>

#include "Vsync_fifo.h"
#include "tb_harness.hpp"

using nmtwin::tb::chance;
using nmtwin::tb::Harness;

namespace {
constexpr unsigned depth = 5;

/// Drives one cycle; returns whether a push and a pop happened.
struct Fifo {
  Harness<Vsync_fifo> h;
  explicit Fifo(const std::string& name) : h(name) {}
  std::pair<bool, bool> cycle(bool push, std::uint16_t data, bool pop_ready, std::uint16_t* popped = nullptr) {
    h->in_valid_i = push;
    h->in_data_i = data;
    h->out_ready_i = pop_ready;
    h.settle();
    const bool pushed = h->in_valid_i && h->in_ready_o;
    const bool popped_now = h->out_valid_o && h->out_ready_i;
    if (popped_now && popped) *popped = h->out_data_o;
    h.rise();
    return {pushed, popped_now};
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(fills_to_depth_then_refuses_and_drains_in_order) {
  Fifo f("fill_drain");
  f.h.settle();
  BOOST_TEST(!f.h->out_valid_o);
  BOOST_TEST(f.h->count_o == 0u);
  for (unsigned i = 0; i < depth; ++i) BOOST_TEST(f.cycle(true, 100 + i, false).first);
  f.h.settle();
  BOOST_TEST(!f.h->in_ready_o);
  BOOST_TEST(f.h->count_o == depth);
  BOOST_TEST(!f.cycle(true, 999, false).first);  // full: refused, nothing lost
  for (unsigned i = 0; i < depth; ++i) {
    std::uint16_t v = 0;
    BOOST_TEST(f.cycle(false, 0, true, &v).second);  // a full FIFO streams one word a cycle
    BOOST_TEST(v == 100 + i);
  }
  f.h.settle();
  BOOST_TEST(!f.h->out_valid_o);
  BOOST_TEST(f.h->count_o == 0u);
}

BOOST_AUTO_TEST_CASE(word_written_into_empty_fifo_appears_two_edges_later) {
  Fifo f("latency");
  f.cycle(true, 7, true);
  f.h.settle();
  BOOST_TEST(!f.h->out_valid_o);
  BOOST_TEST(f.h->count_o == 1u);
  f.cycle(false, 0, false);
  f.h.settle();
  BOOST_TEST(f.h->out_valid_o);
  BOOST_TEST(f.h->out_data_o == 7u);
}

BOOST_AUTO_TEST_CASE(random_push_pop_keeps_every_word_in_order) {
  Fifo f("random");
  std::deque<std::uint16_t> model;
  std::uint16_t next = 0;
  unsigned pops = 0;
  for (int i = 0; i < 20000; ++i) {
    const bool push = chance(0.6);
    const std::uint16_t data = next;
    f.h->in_valid_i = push;
    f.h->in_data_i = data;
    f.h->out_ready_i = chance(0.5);
    f.h.settle();
    BOOST_REQUIRE_EQUAL(f.h->count_o, model.size());
    BOOST_REQUIRE_EQUAL(bool(f.h->in_ready_o), model.size() < depth);
    if (f.h->out_valid_o) BOOST_REQUIRE(!model.empty());
    const bool pushed = f.h->in_valid_i && f.h->in_ready_o;
    const bool popped = f.h->out_valid_o && f.h->out_ready_i;
    const std::uint16_t got = f.h->out_data_o;
    f.h.rise();
    if (popped) {
      BOOST_REQUIRE_EQUAL(got, model.front());
      model.pop_front();
      ++pops;
    }
    if (pushed) {
      model.push_back(data);
      ++next;
    }
  }
  BOOST_TEST(pops > 5000u);
}
