// Bench for chip_link: spike and sync latency, label order, cfg encoding and
// priority, no loss under chip back-pressure, and the up direction (acks,
// spike_out and sample systime rebuild, dropped unknown words).
#include <boost/test/unit_test.hpp>

#include <deque>
#include <vector>

#include "Vchip_link.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
namespace D = spec::chip_down;
using nmtwin::tb::chance;
using nmtwin::tb::Harness;
using nmtwin::tb::rand_bits;

namespace {

struct Sent {
  std::uint64_t word, systime;
};

class Link {
 public:
  explicit Link(const std::string& name, std::uint64_t start = 0) : h(name), systime(start) { quiet(); }
  Harness<Vchip_link> h;
  std::uint64_t systime;
  double tx_ready_p = 1.0;
  std::vector<Sent> tx;
  std::vector<Sent> spikes;   // spike responses
  std::vector<Sent> samples;  // sample responses
  unsigned to_chip = 0, from_chip = 0, samples_from_chip = 0, drops = 0;

  void quiet() {
    h->spikes_valid_i = 0;
    h->sync_valid_i = 0;
    h->cfg_valid_i = 0;
    h->rx_valid_i = 0;
    h->spike_ready_i = 1;
  }
  /// Settles the cycle with the inputs set so far; the caller may sample, then calls finish().
  void settle() {
    h->systime_i = systime;
    h->tx_ready_i = chance(tx_ready_p);
    h.settle();
  }
  void finish() {
    if (h->tx_valid_o && h->tx_ready_i) tx.push_back({h->tx_data_o, systime});
    if (h->spike_valid_o && h->spike_ready_i) spikes.push_back({h->spike_data_o, systime});
    if (h->sample_valid_o) samples.push_back({h->sample_data_o, systime});
    samples_from_chip += h->sample_from_chip_o;
    to_chip += h->spike_to_chip_o;
    from_chip += h->spike_from_chip_o;
    drops += h->drop_o;
    h.rise();
    ++systime;
  }
  void step() {
    settle();
    finish();
  }
  /// Offers a spikes instruction until accepted; returns the accept cycle.
  std::uint64_t spikes_in(unsigned count, std::uint64_t labels) {
    h->spikes_valid_i = 1;
    h->spikes_count_i = count;
    h->spikes_labels_i = labels;
    for (;;) {
      settle();
      const bool ok = h->ev_ready_o;
      finish();
      if (ok) break;
    }
    h->spikes_valid_i = 0;
    return systime - 1;
  }
  std::uint64_t sync() {
    h->sync_valid_i = 1;
    for (;;) {
      settle();
      const bool ok = h->ev_ready_o;
      finish();
      if (ok) break;
    }
    h->sync_valid_i = 0;
    return systime - 1;
  }
  void cfg(bool write, unsigned id, std::uint32_t addr, std::uint32_t data) {
    h->cfg_valid_i = 1;
    h->cfg_write_i = write;
    h->cfg_id_i = id;
    h->cfg_addr_i = addr;
    h->cfg_data_i = data;
    settle();
    BOOST_REQUIRE(h->cfg_ready_o);
    finish();
    h->cfg_valid_i = 0;
  }
};

std::uint64_t labels(std::uint64_t l0, std::uint64_t l1, std::uint64_t l2) { return l0 | l1 << 16 | l2 << 32; }

}  // namespace

BOOST_AUTO_TEST_CASE(spikes_leave_one_label_a_cycle_with_the_spec_latency) {
  Link l("spike_latency");
  l.step();
  for (unsigned count = 1; count <= 3; ++count) {
    l.tx.clear();
    const std::uint64_t t = l.spikes_in(count, labels(10 * count, 10 * count + 1, 10 * count + 2));
    for (int i = 0; i < 6; ++i) l.step();
    BOOST_REQUIRE_EQUAL(l.tx.size(), count);
    for (unsigned i = 0; i < count; ++i) {
      BOOST_TEST((D::selector(l.tx[i].word) == D::ChipDownType::spike_in));
      BOOST_TEST(D::SpikeIn::decode(l.tx[i].word).label == 10 * count + i);
      BOOST_TEST(l.tx[i].systime == t + spec::timing::spike_in_latency + i);
    }
  }
  BOOST_TEST(l.to_chip == 6u);
}

BOOST_AUTO_TEST_CASE(executor_waits_while_labels_are_still_leaving) {
  Link l("spike_busy");
  const std::uint64_t t0 = l.spikes_in(3, labels(1, 2, 3));
  const std::uint64_t t1 = l.spikes_in(1, labels(4, 0, 0));
  BOOST_TEST(t1 == t0 + 3);  // the next instruction is accepted once label2 has left
  for (int i = 0; i < 4; ++i) l.step();
  BOOST_REQUIRE_EQUAL(l.tx.size(), 4u);
  for (unsigned i = 0; i < 4; ++i) BOOST_TEST(l.tx[i].systime == t0 + 1 + i);
}

BOOST_AUTO_TEST_CASE(sync_carries_the_systime_of_its_accept_cycle) {
  Link l("sync", 123456789);
  l.step();
  const std::uint64_t t = l.sync();
  l.step();
  BOOST_REQUIRE_EQUAL(l.tx.size(), 1u);
  BOOST_TEST((D::selector(l.tx[0].word) == D::ChipDownType::sync));
  BOOST_TEST(D::Sync::decode(l.tx[0].word).systime == t);
  BOOST_TEST(l.tx[0].systime == t + spec::timing::sync_latency);
}

BOOST_AUTO_TEST_CASE(cfg_words_carry_id_address_and_data_and_yield_to_spikes) {
  Link l("cfg");
  l.cfg(true, 3, 0xABCDEF, 0x12345678);
  l.cfg(false, 9, 0x000102, 0);
  // The cfg FIFO needs two edges before its head is valid: offer a spike now.
  const std::uint64_t t = l.spikes_in(1, labels(77, 0, 0));
  for (int i = 0; i < 5; ++i) l.step();
  BOOST_REQUIRE_EQUAL(l.tx.size(), 3u);
  BOOST_TEST((D::selector(l.tx[0].word) == D::ChipDownType::spike_in));
  BOOST_TEST(l.tx[0].systime == t + spec::timing::spike_in_latency);
  const auto w = D::CfgWrite::decode(l.tx[1].word);
  BOOST_TEST((D::selector(l.tx[1].word) == D::ChipDownType::cfg_write));
  BOOST_TEST(w.id == 3u);
  BOOST_TEST(w.addr == 0xABCDEFu);
  BOOST_TEST(w.data == 0x12345678u);
  const auto r = D::CfgRead::decode(l.tx[2].word);
  BOOST_TEST((D::selector(l.tx[2].word) == D::ChipDownType::cfg_read));
  BOOST_TEST(r.id == 9u);
  BOOST_TEST(r.addr == 0x102u);
}

BOOST_AUTO_TEST_CASE(nothing_is_lost_or_reordered_under_chip_back_pressure) {
  Link l("back_pressure");
  l.tx_ready_p = 0.35;
  std::vector<std::uint64_t> want_labels, want_cfg;
  std::uint64_t label = 0;
  unsigned id = 0;
  for (int i = 0; i < 3000; ++i) {
    l.quiet();
    // Offer a spikes instruction when the link is ready, sometimes a cfg access too.
    if (chance(0.5)) {
      const unsigned count = 1 + rand_bits(2) % 3;
      l.h->spikes_valid_i = 1;
      l.h->spikes_count_i = count;
      l.h->spikes_labels_i = labels(label, label + 1, label + 2);
    }
    if (chance(0.2)) {
      l.h->cfg_valid_i = 1;
      l.h->cfg_write_i = 1;
      l.h->cfg_id_i = id % 16;
      l.h->cfg_addr_i = id;
      l.h->cfg_data_i = id;
    }
    l.settle();
    if (l.h->spikes_valid_i && l.h->ev_ready_o) {
      for (unsigned k = 0; k < l.h->spikes_count_i; ++k) want_labels.push_back(label + k);
      label += 3;
    }
    if (l.h->cfg_valid_i && l.h->cfg_ready_o) want_cfg.push_back(id++);
    l.finish();
  }
  l.quiet();
  l.tx_ready_p = 1.0;
  for (int i = 0; i < 100; ++i) l.step();
  std::vector<std::uint64_t> got_labels, got_cfg;
  for (const auto& s : l.tx) {
    if (D::selector(s.word) == D::ChipDownType::spike_in) got_labels.push_back(D::SpikeIn::decode(s.word).label);
    if (D::selector(s.word) == D::ChipDownType::cfg_write) got_cfg.push_back(D::CfgWrite::decode(s.word).addr);
  }
  BOOST_TEST(got_labels == want_labels, boost::test_tools::per_element());
  BOOST_TEST(got_cfg == want_cfg, boost::test_tools::per_element());
  BOOST_TEST(l.to_chip == want_labels.size());
  l.settle();
  BOOST_TEST(l.h->idle_o);
}

BOOST_AUTO_TEST_CASE(up_direction_acks_spikes_and_drops) {
  Link l("up", 0x2FFF0);
  // cfg_ack: forwarded in the cycle it is handed over.
  l.h->rx_valid_i = 1;
  l.h->rx_data_i = spec::chip_up::CfgAck{.id = 5, .error = 1, .data = 0xDEADBEEF}.encode();
  l.settle();
  BOOST_TEST(l.h->rx_ready_o);
  BOOST_TEST(l.h->ack_valid_o);
  BOOST_TEST(l.h->ack_id_o == 5u);
  BOOST_TEST(l.h->ack_error_o);
  BOOST_TEST(l.h->ack_data_o == 0xDEADBEEFu);
  l.finish();
  // spike_out: the response names the firing time, across the 16-bit wrap.
  std::vector<std::uint64_t> fired;
  for (std::uint64_t ago : {0ull, 1ull, 5ull, 20ull, 0x8000ull, 0xFFFFull}) {
    const std::uint64_t s = l.systime - ago;
    fired.push_back(s);
    l.h->rx_data_i = spec::chip_up::SpikeOut{.label = ago & 0xFFFF, .timestamp = s & 0xFFFF}.encode();
    l.settle();
    BOOST_TEST(!l.h->ack_valid_o);
    l.finish();
  }
  // An unknown type is dropped and reported.
  l.h->rx_data_i = std::uint64_t{0xF} << spec::chip_up::selector_lsb;
  l.step();
  l.h->rx_valid_i = 0;
  for (int i = 0; i < 3; ++i) l.step();
  BOOST_REQUIRE_EQUAL(l.spikes.size(), fired.size());
  for (std::size_t i = 0; i < fired.size(); ++i)
    BOOST_TEST(spec::resp::Spike::decode(l.spikes[i].word).systime == fired[i], "spike " << i);
  BOOST_TEST(l.from_chip == fired.size());
  BOOST_TEST(l.drops == 1u);
}

BOOST_AUTO_TEST_CASE(spike_out_waits_when_the_response_queue_is_full) {
  Link l("rx_stall");
  l.h->spike_ready_i = 0;
  l.h->rx_valid_i = 1;
  l.h->rx_data_i = spec::chip_up::SpikeOut{.label = 1, .timestamp = 0}.encode();
  l.step();  // taken into the stage
  l.settle();
  BOOST_TEST(!l.h->rx_ready_o);  // stage full, queue full
  BOOST_TEST(l.h->spike_valid_o);
  l.finish();
  l.h->spike_ready_i = 1;
  l.h->rx_valid_i = 0;
  l.step();
  BOOST_TEST(l.spikes.size() == 1u);
}

// sample: neuron and value pass unchanged, the systime of the stamp is rebuilt as for
// spikes and its bits 34:0 go to the host (here across the 2^35 wrap); a sample takes
// one cycle in the stage, never waits, and does not count as dropped.
BOOST_AUTO_TEST_CASE(samples_become_sample_responses_with_systime_bits_34_to_0) {
  namespace R = spec::resp;
  constexpr std::uint64_t wrap = std::uint64_t{1} << R::Sample::systime_width;
  Link l("samples", wrap + 0x100);
  std::vector<std::uint64_t> taken;
  l.h->rx_valid_i = 1;
  for (std::uint64_t ago : {0ull, 3ull, 0x100ull, 0x101ull, 0x8000ull, 0xFFFFull}) {
    const std::uint64_t t = l.systime - ago;
    taken.push_back(t);
    const std::uint64_t i = taken.size() - 1;
    l.h->rx_data_i = spec::chip_up::Sample{.neuron = 500 + i, .value = 0xFFFF - i, .timestamp = t & 0xFFFF}.encode();
    l.step();
  }
  l.h->rx_data_i = spec::chip_up::SpikeOut{.label = 7, .timestamp = l.systime & 0xFFFF}.encode();
  l.step();  // a spike between samples keeps its own path
  l.h->rx_valid_i = 0;
  for (int i = 0; i < 3; ++i) l.step();
  BOOST_REQUIRE_EQUAL(l.samples.size(), taken.size());
  for (std::size_t i = 0; i < taken.size(); ++i) {
    BOOST_TEST_CONTEXT("sample " << i) {
      BOOST_TEST((R::selector(l.samples[i].word) == R::ResponseType::sample));
      const auto s = R::Sample::decode(l.samples[i].word);
      BOOST_TEST(s.systime == (taken[i] & (wrap - 1)));
      BOOST_TEST(s.neuron == 500 + i);
      BOOST_TEST(s.value == 0xFFFF - i);
    }
  }
  BOOST_TEST(l.samples_from_chip == taken.size());
  BOOST_TEST(l.spikes.size() == 1u);
  BOOST_TEST(l.drops == 0u);
  l.settle();
  BOOST_TEST(l.h->idle_o);
}
