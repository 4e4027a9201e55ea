// Bench for event_router: table access over the bus, hits and misses, disabled
// splits, back-pressure, one event a cycle.
#include <boost/test/unit_test.hpp>

#include <deque>

#include "Vevent_router.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::tb::Harness;

namespace {

struct Routed {
  unsigned bucket, split, label;
  std::uint64_t cycle;
  friend bool operator==(const Routed&, const Routed&) = default;
};
std::ostream& operator<<(std::ostream& os, const Routed& r) {
  return os << "{bucket " << r.bucket << " split " << r.split << " label " << r.label << " @" << r.cycle << "}";
}

struct Router {
  explicit Router(const std::string& name) : h(name) {}
  Harness<Vevent_router> h;
  std::uint64_t routed = 0, disabled = 0, invalid = 0;
  std::vector<Routed> out;
  bool out_ready = true;

  // One cycle: counts the pulses, records a routed event, then the clock edge.
  void step() {
    h->out_ready_i = out_ready;
    h.settle();
    routed += h->routed_o;
    disabled += h->loss_disabled_o;
    invalid += h->loss_invalid_o;
    if (h->out_valid_o && out_ready) out.push_back({h->out_bucket_o, h->out_split_o, h->out_label_o, h.cycle()});
    h.rise();
  }
  std::uint32_t table(bool write, unsigned split, unsigned source, std::uint32_t data = 0) {
    h->tbl_valid_i = 1;
    h->tbl_write_i = write;
    h->tbl_index_i = split * spec::net::router_entries + source;
    h->tbl_wdata_i = data;
    step();
    h->tbl_valid_i = 0;
    h.settle();
    return h->tbl_rdata_o;
  }
  void route(unsigned split, unsigned source, unsigned bucket, unsigned label) {
    table(true, split, source,
          static_cast<std::uint32_t>(spec::layout::RouterEntry{.valid = 1, .bucket = bucket, .label = label}.encode()));
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_table_reads_back_over_the_bus) {
  Router r("table");
  r.route(0, 5, 3, 0x1ABC);
  r.route(1, 16383, 7, 0x3FFF);
  BOOST_TEST(r.table(false, 0, 5) == ((1u << 17) | (3u << 14) | 0x1ABC));
  BOOST_TEST(r.table(false, 1, 16383) == ((1u << 17) | (7u << 14) | 0x3FFF));
  BOOST_TEST(r.table(false, 1, 5) == 0u);  // untouched entries are invalid
}

BOOST_AUTO_TEST_CASE(hits_are_routed_one_a_cycle_misses_and_disabled_splits_counted) {
  Router r("hits");
  r.route(0, 10, 2, 100);
  r.route(1, 10, 5, 200);
  r.route(0, 11, 1, 300);
  r.h->enable_i = 0b01;  // split 1 disabled
  // Labels: split in bit 14.
  const std::vector<unsigned> labels = {10, 11, (1u << 14) | 10, 12, 10, 11};
  const std::uint64_t t0 = r.h.cycle();
  for (unsigned l : labels) {
    r.h->evt_valid_i = 1;
    r.h->evt_label_i = l;
    r.h.settle();
    BOOST_TEST(r.h->evt_ready_o);
    r.step();
  }
  r.h->evt_valid_i = 0;
  r.step();
  // Each hit leaves the cycle after it was accepted.
  const std::vector<Routed> want = {{2, 0, 100, t0 + 1}, {1, 0, 300, t0 + 2}, {2, 0, 100, t0 + 5}, {1, 0, 300, t0 + 6}};
  BOOST_TEST(r.out == want, boost::test_tools::per_element());
  BOOST_TEST(r.routed == 4u);
  BOOST_TEST(r.disabled == 1u);  // the split-1 event
  BOOST_TEST(r.invalid == 1u);   // label 12 has no entry
  r.h->enable_i = 0b11;
  r.h->evt_valid_i = 1;
  r.h->evt_label_i = (1u << 14) | 10;
  r.step();
  r.h->evt_valid_i = 0;
  r.step();
  BOOST_TEST(r.out.back() == (Routed{5, 1, 200, r.h.cycle() - 1}));
}

BOOST_AUTO_TEST_CASE(back_pressure_loses_nothing) {
  Router r("backpressure");
  for (unsigned s = 0; s < 64; ++s) r.route(0, s, s % 8, 1000 + s);
  r.h->enable_i = 0b11;
  unsigned next = 0;
  for (int c = 0; c < 400 && r.out.size() < 64; ++c) {
    r.out_ready = (c % 3) != 0;  // the buckets refuse every third cycle
    r.h->evt_valid_i = next < 64;
    r.h->evt_label_i = next;
    r.h->out_ready_i = r.out_ready;
    r.h.settle();
    const bool took = r.h->evt_valid_i && r.h->evt_ready_o;
    r.step();
    next += took;
  }
  BOOST_REQUIRE_EQUAL(r.out.size(), 64u);
  for (unsigned i = 0; i < 64; ++i) {
    BOOST_TEST(r.out[i].label == 1000 + i);
    BOOST_TEST(r.out[i].bucket == i % 8);
  }
  BOOST_TEST(r.routed == 64u);
  BOOST_TEST(r.invalid + r.disabled == 0u);
}
