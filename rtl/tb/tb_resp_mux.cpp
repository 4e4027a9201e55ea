// Bench for resp_mux: no word lost or reordered within a source under random
// back-pressure, fair turns, the halt echo behind earlier spikes (never behind
// one its full queue refused), samples only when no other source has a word, and
// the halt echo between the samples queued before it and those after it.
#include <boost/test/unit_test.hpp>

#include <array>
#include <deque>
#include <vector>

#include "Vresp_mux.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
namespace R = spec::resp;
using nmtwin::tb::chance;
using nmtwin::tb::Harness;

namespace {

// Source words carry their source in the label/tag field and a sequence number.
std::uint64_t word(unsigned src, std::uint64_t seq) {
  switch (src) {
    case 0:
      return R::Error{.reason = 1, .detail = 0, .index = seq}.encode();
    case 1:
      return R::ReadData{.tag = 1, .data = seq}.encode();
    case 2:
      return R::Spike{.label = 2, .systime = seq}.encode();
    default:
      return R::Sample{.neuron = 3, .value = 0x8001, .systime = seq}.encode();
  }
}

class Mux {
 public:
  explicit Mux(const std::string& name) : h(name) {}
  Harness<Vresp_mux> h;
  std::array<std::uint64_t, 4> next{};
  std::array<std::deque<std::uint64_t>, 4> pending;  // words a source still wants to send
  std::vector<std::uint64_t> out;
  unsigned sent = 0, errors = 0;
  bool drop_refused_spikes = false;  // as event_switch does: a spike the full queue refuses is dropped
  unsigned dropped = 0;
  unsigned samples_dropped = 0;  // as the core does: a sample the full queue refuses is lost

  void offer(unsigned src, std::uint64_t w) { pending[src].push_back(w); }
  void step(double ready_p) {
    auto& d = h.dut();
    d.exec_valid_i = !pending[0].empty();
    d.exec_data_i = d.exec_valid_i ? pending[0].front() : 0;
    d.bus_valid_i = !pending[1].empty();
    d.bus_data_i = d.bus_valid_i ? pending[1].front() : 0;
    d.spike_valid_i = !pending[2].empty();
    d.spike_data_i = d.spike_valid_i ? pending[2].front() : 0;
    d.sample_valid_i = !pending[3].empty();
    d.sample_data_i = d.sample_valid_i ? pending[3].front() : 0;
    d.resp_ready_i = chance(ready_p);
    h.settle();
    if (d.exec_valid_i && d.exec_ready_o) pending[0].pop_front();
    if (d.bus_valid_i && d.bus_ready_o) pending[1].pop_front();
    if (d.spike_valid_i && d.spike_ready_o) {
      pending[2].pop_front();
    } else if (d.spike_valid_i && drop_refused_spikes) {
      pending[2].pop_front();
      ++dropped;
    }
    if (d.sample_valid_i) {
      samples_dropped += !d.sample_ready_o;
      pending[3].pop_front();
    }
    if (d.resp_valid_o && d.resp_ready_i) out.push_back(d.resp_data_o);
    sent += d.sent_o;
    errors += d.error_o;
    h.rise();
  }
};

unsigned source_of(std::uint64_t w) {
  switch (R::selector(w)) {
    case R::ResponseType::error:
      return 0;
    case R::ResponseType::halt:
      return 0;
    case R::ResponseType::read_data:
      return 1;
    case R::ResponseType::sample:
      return 3;
    default:
      return 2;
  }
}
std::uint64_t seq_of(std::uint64_t w) {
  switch (R::selector(w)) {
    case R::ResponseType::error:
      return R::Error::decode(w).index;
    case R::ResponseType::read_data:
      return R::ReadData::decode(w).data;
    case R::ResponseType::sample:
      return R::Sample::decode(w).systime;
    default:
      return R::Spike::decode(w).systime;
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_loss_and_per_source_order_under_random_back_pressure) {
  Mux m("random");
  std::array<std::uint64_t, 3> offered{};
  for (int i = 0; i < 30000; ++i) {
    for (unsigned s = 0; s < 3; ++s)
      if (chance(0.25)) m.offer(s, word(s, offered[s]++));
    m.step(0.6);
  }
  for (int i = 0; i < 20000 && (m.out.size() < offered[0] + offered[1] + offered[2]); ++i) m.step(0.6);
  std::array<std::uint64_t, 3> expect{};
  for (const std::uint64_t w : m.out) {
    const unsigned s = source_of(w);
    BOOST_REQUIRE_EQUAL(seq_of(w), expect[s]);
    ++expect[s];
  }
  for (unsigned s = 0; s < 3; ++s) BOOST_TEST(expect[s] == offered[s]);
  BOOST_TEST(m.sent == m.out.size());
  BOOST_TEST(m.errors == offered[0]);
  m.step(1.0);
  m.h.settle();
  BOOST_TEST(m.h->idle_o);
}

BOOST_AUTO_TEST_CASE(saturated_sources_take_turns) {
  Mux m("fair");
  for (int i = 0; i < 3000; ++i) {
    for (unsigned s = 0; s < 3; ++s)
      if (m.pending[s].size() < 4) m.offer(s, word(s, m.next[s]++));
    m.step(1.0);
  }
  std::array<unsigned, 3> n{};
  for (const std::uint64_t w : m.out) ++n[source_of(w)];
  for (unsigned s = 0; s < 3; ++s) BOOST_TEST(n[s] > 900u, "source " << s << " got " << n[s]);
}

BOOST_AUTO_TEST_CASE(halt_waits_for_spikes_queued_before_it) {
  Mux m("halt");
  for (std::uint64_t i = 0; i < 10; ++i) m.offer(2, word(2, i));
  for (int i = 0; i < 12; ++i) m.step(0.0);  // host stalled: spikes pile up
  m.offer(0, R::Halt{.cookie = 1, .systime = 0}.encode());
  for (int i = 0; i < 3; ++i) m.step(0.0);
  for (std::uint64_t i = 10; i < 20; ++i) m.offer(2, word(2, i));  // after the halt
  for (int i = 0; i < 200; ++i) m.step(0.5);
  std::size_t halt_at = m.out.size();
  for (std::size_t i = 0; i < m.out.size(); ++i)
    if (R::selector(m.out[i]) == R::ResponseType::halt) halt_at = i;
  BOOST_REQUIRE(halt_at < m.out.size());
  for (std::size_t i = 0; i < halt_at; ++i) BOOST_TEST((R::selector(m.out[i]) == R::ResponseType::spike));
  BOOST_TEST(halt_at >= 10u);  // every spike queued before the halt went first
  BOOST_TEST(m.out.size() == 21u);
}

// The spike source drops a spike the full queue refuses (event_switch, counter
// spikes_to_host_dropped): a halt in that cycle must not wait for it, or it would wait
// for a spike that never comes.
BOOST_AUTO_TEST_CASE(a_halt_does_not_wait_for_a_spike_the_full_queue_refused) {
  Mux m("halt_drop");
  m.drop_refused_spikes = true;
  for (std::uint64_t i = 0; i < 30; ++i) m.offer(2, word(2, i));
  for (int i = 0; i < 40; ++i) m.step(0.0);  // host stalled: the queue fills, the rest is dropped
  BOOST_TEST(m.dropped > 0u);
  m.offer(0, R::Halt{.cookie = 1, .systime = 0}.encode());
  m.offer(2, word(2, 99));  // refused and dropped in the halt's cycle
  for (int i = 0; i < 3; ++i) m.step(0.0);
  for (int i = 0; i < 100; ++i) m.step(1.0);
  BOOST_REQUIRE(!m.out.empty());
  BOOST_TEST((R::selector(m.out.back()) == R::ResponseType::halt));  // after every queued spike
  BOOST_TEST(m.out.size() + m.dropped == 31u + 1u);
}

BOOST_AUTO_TEST_CASE(empty_flags_follow_the_queues) {
  Mux m("flags");
  m.step(0.0);
  m.h.settle();
  BOOST_TEST(m.h->exec_empty_o);
  BOOST_TEST(m.h->bus_empty_o);
  m.offer(1, word(1, 0));
  m.step(0.0);
  m.h.settle();
  BOOST_TEST(!m.h->bus_empty_o);
  BOOST_TEST(!m.h->idle_o);
  for (int i = 0; i < 5; ++i) m.step(1.0);
  m.h.settle();
  BOOST_TEST(m.h->bus_empty_o);
  BOOST_TEST(m.h->idle_o);
}

BOOST_AUTO_TEST_CASE(samples_go_only_when_no_other_source_has_a_word) {
  Mux m("sample_priority");
  for (int i = 0; i < 400; ++i) {
    for (unsigned s = 0; s < 3; ++s)
      if (m.pending[s].size() < 4) m.offer(s, word(s, m.next[s]++));
    m.offer(3, word(3, m.next[3]++));
    m.step(1.0);
  }
  std::array<unsigned, 4> n{};
  for (const std::uint64_t w : m.out) ++n[source_of(w)];
  BOOST_TEST(n[3] == 0u);                       // the others saturate the output: every sample waits
  BOOST_TEST(m.samples_dropped == 400u - 32u);  // beyond the queue's 32 words, counted
  const std::size_t before = m.out.size();
  for (int i = 0; i < 100; ++i) m.step(1.0);  // the others have drained; the queued samples go in order
  std::uint64_t expect = 0;
  for (std::size_t i = before; i < m.out.size(); ++i)
    if (source_of(m.out[i]) == 3) BOOST_TEST(seq_of(m.out[i]) == expect++);
  BOOST_TEST(expect == 32u);
  m.h.settle();
  BOOST_TEST(m.h->idle_o);
}

BOOST_AUTO_TEST_CASE(halt_waits_for_samples_queued_before_it_and_goes_before_later_ones) {
  Mux m("halt_samples");
  for (std::uint64_t i = 0; i < 10; ++i) m.offer(3, word(3, i));
  for (int i = 0; i < 12; ++i) m.step(0.0);  // host stalled: samples pile up
  m.offer(0, R::Halt{.cookie = 1, .systime = 0}.encode());
  m.step(0.0);
  for (std::uint64_t i = 10; i < 20; ++i) {  // taken after the halt, while the host drains
    m.offer(3, word(3, i));
    m.step(0.5);
  }
  for (int i = 0; i < 200; ++i) m.step(0.5);
  BOOST_REQUIRE(m.out.size() == 21u);
  BOOST_TEST(m.samples_dropped == 0u);
  for (std::size_t i = 0; i < m.out.size(); ++i) {
    if (i == 10) {
      BOOST_TEST((R::selector(m.out[i]) == R::ResponseType::halt));
    } else {
      BOOST_TEST((R::selector(m.out[i]) == R::ResponseType::sample));
      BOOST_TEST(seq_of(m.out[i]) == (i < 10 ? i : i - 1));
    }
  }
}
