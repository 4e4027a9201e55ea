// Bench for arq_engine: a host-side model builds real datagrams from the spec
// constants, drives them beat by beat and reads the engine's datagrams back;
// a scripted executor takes instruction words and offers response words.
#define BOOST_TEST_MODULE tb_arq_engine
#include <boost/test/unit_test.hpp>

#include <array>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "Varq_engine.h"
#include "arq_host.hpp"
#include "nmtwin/random.hpp"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace arq = nmtwin::spec::arq;
using nmtwin::tb::chance;
using nmtwin::tb::Harness;
using namespace nmtwin::tb::arq_host;

namespace {

// Counter events, bit i of ev_o = FPGA register arq_rx_frames + i.
enum Ev : unsigned {
  rx_frames,
  tx_frames,
  retransmits,
  duplicates,
  drop_short,
  drop_length,
  drop_ptype,
  drop_window,
  resets,
  drop_reset,
  n_ev
};

/// The engine with its UDP side driven by an ArqWire and its core side by a
/// scripted executor (instruction sink, response source).
class Engine {
 public:
  explicit Engine(const std::string& name) : h_(name) {
    auto& d = h_.dut();
    wire.bind({&d.rx_tvalid_i, &d.rx_tkeep_i, &d.rx_tlast_i, &d.rx_port_i, &d.rx_tready_o, &d.rx_tdata_i,
               &d.tx_tvalid_o, &d.tx_tkeep_o, &d.tx_tlast_o, &d.tx_tready_i, &d.tx_tdata_o});
  }

  ArqWire wire;
  std::vector<std::uint64_t> delivered;      // instruction words, in order
  std::vector<std::uint64_t> delivered_at;   // cycle of each handshake
  std::deque<std::uint64_t> resp;            // response words to offer
  std::vector<std::uint64_t> resp_taken_at;  // cycle of each response handshake
  bool instr_ready = true;
  double instr_ready_p = 1.0;
  std::array<std::uint64_t, n_ev> ev{};
  std::function<void()> each_cycle;  // host model hook, runs before the inputs are set

  Varq_engine& dut() { return h_.dut(); }
  std::uint64_t now() const { return h_.cycle(); }

  void step() {
    if (each_cycle) each_cycle();
    auto& d = h_.dut();
    wire.drive();
    d.instr_ready_i = instr_ready && chance(instr_ready_p);
    d.resp_valid_i = !resp.empty();
    d.resp_data_i = resp.empty() ? 0 : resp.front();
    h_.settle();
    wire.sample(now());
    if (d.instr_valid_o && d.instr_ready_i) {
      delivered.push_back(d.instr_data_o);
      delivered_at.push_back(now());
    }
    if (d.resp_valid_i && d.resp_ready_o) {
      resp.pop_front();
      resp_taken_at.push_back(now());
    }
    for (unsigned i = 0; i < n_ev; ++i) ev[i] += (d.ev_o >> i) & 1;
    h_.rise();
  }
  void run(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) step();
  }
  /// Steps until `done` holds; fails the test after `limit` cycles, so no wait can hang.
  void run_until(const std::function<bool()>& done, std::uint64_t limit = 200000) {
    for (std::uint64_t i = 0; i < limit && !done(); ++i) step();
    BOOST_REQUIRE_MESSAGE(done(), "condition not reached within " << limit << " cycles (at cycle " << now() << ")");
  }
  /// Runs until the wire has delivered every queued datagram and `n` more cycles passed.
  void flush_input(std::uint64_t n = 4) {
    run_until([&] { return wire.input_idle(); });
    run(n);
  }

 private:
  Harness<Varq_engine> h_;
};

std::vector<std::uint64_t> words(std::size_t n, std::uint64_t tag) {
  std::vector<std::uint64_t> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = (tag << 32) | (0xA5ull << 24) | i;
  return w;
}

std::vector<std::uint64_t> concat(const std::vector<std::vector<std::uint64_t>>& frames) {
  std::vector<std::uint64_t> out;
  for (const auto& f : frames) out.insert(out.end(), f.begin(), f.end());
  return out;
}

/// The standalone ACK datagrams received from the engine.
std::vector<const Received*> ack_only_frames(const ArqWire& w) {
  std::vector<const Received*> out;
  for (const auto& r : w.received)
    if (r.frame.ack_only) out.push_back(&r);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(in_order_delivery_and_cumulative_ack) {
  Engine e("in_order");
  HostModel host(e.wire);
  e.each_cycle = [&] { host.pump(e.now()); };
  std::vector<std::vector<std::uint64_t>> frames;
  const std::vector<std::size_t> sizes = {1, 2, arq::max_payload_words, 7, 0, 3, arq::max_payload_words - 1, 64, 5};
  for (std::size_t i = 0; i < sizes.size(); ++i) frames.push_back(words(sizes[i], i));
  host.rto = 4 * arq::delayed_ack_cycles;
  host.send_frames(frames);
  e.run_until([&] { return e.delivered.size() == concat(frames).size(); });
  BOOST_TEST(e.delivered == concat(frames), boost::test_tools::per_element());
  // No response traffic: the delayed standalone ACK reports every frame.
  e.run_until([&] { return host.base == frames.size(); }, 2 * arq::delayed_ack_cycles);
  e.run(4);
  BOOST_TEST(e.ev[rx_frames] == frames.size());
  for (unsigned i = duplicates; i < n_ev; ++i) BOOST_TEST(e.ev[i] == 0u, "counter " << i);
  BOOST_TEST(e.dut().idle_o);
}

BOOST_AUTO_TEST_CASE(delayed_ack_timing_and_piggy_back) {
  Engine e("delayed_ack");
  e.wire.send(frame(0, 0, arq::Ptype::stream, words(3, 1)));
  e.run_until([&] { return e.delivered.size() == 3; });
  // The first word reaches the executor 3 cycles after the frame's last beat.
  BOOST_TEST(e.delivered_at[0] == e.wire.last_input_end + 3);
  BOOST_TEST(e.delivered_at[2] == e.wire.last_input_end + 5);
  const std::uint64_t taken = e.delivered_at.back();
  e.run_until([&] { return !e.wire.received.empty(); }, 2 * arq::delayed_ack_cycles);
  BOOST_REQUIRE_EQUAL(e.wire.received.size(), 1u);
  const Received& ack = e.wire.received[0];
  BOOST_TEST(ack.frame.ack_only);
  BOOST_TEST(ack.frame.ack == 1u);
  // The ACK is pending from the cycle after the last word was taken; it leaves
  // DELAYED_ACK_CYCLES later and is handed over one cycle after that.
  BOOST_TEST(ack.first_beat_at == taken + 2 + arq::delayed_ack_cycles);
  BOOST_TEST(e.dut().idle_o);

  // A response frame sent before the delay expires carries the ACK instead.
  e.wire.send(frame(0, 1, arq::Ptype::stream, words(2, 2)));
  e.run_until([&] { return e.delivered.size() == 5; });
  e.run(100);
  BOOST_TEST(!e.dut().idle_o);  // the delayed ACK is pending
  e.resp.push_back(0x1111);
  e.run_until([&] { return e.wire.received.size() == 2; });
  BOOST_TEST(!e.wire.received[1].frame.ack_only);
  BOOST_TEST(e.wire.received[1].frame.ack == 2u);
  BOOST_TEST(e.wire.received[1].frame.seq == 0u);
  e.wire.send(ack_only(1));  // acknowledge the response frame
  e.run(2 * arq::delayed_ack_cycles);
  BOOST_TEST(e.wire.received.size() == 2u);  // no standalone ACK followed
  BOOST_TEST(e.dut().idle_o);
}

BOOST_AUTO_TEST_CASE(response_packing_and_partial_flush) {
  Engine e("packing");
  // 400 words back to back: two full frames and a partial one.
  for (std::uint64_t i = 0; i < 400; ++i) e.resp.push_back(0xB000'0000'0000'0000ull | i);
  e.run_until([&] { return e.wire.received.size() == 3; }, 5000);
  std::vector<std::uint64_t> got;
  for (std::size_t i = 0; i < 3; ++i) {
    const Frame& f = e.wire.received[i].frame;
    BOOST_TEST(f.seq == i);
    BOOST_TEST((f.ptype == static_cast<std::uint16_t>(arq::Ptype::stream)));
    BOOST_TEST(f.ack == 0u);
    got.insert(got.end(), f.words.begin(), f.words.end());
  }
  BOOST_TEST(e.wire.received[0].frame.words.size() == arq::max_payload_words);
  BOOST_TEST(e.wire.received[1].frame.words.size() == arq::max_payload_words);
  BOOST_TEST(e.wire.received[2].frame.words.size() == 400 - 2 * arq::max_payload_words);
  // A full frame leaves 2 cycles after its last word was taken; the next follows back to back.
  BOOST_TEST(e.wire.received[0].first_beat_at == e.resp_taken_at[arq::max_payload_words - 1] + 2);
  BOOST_TEST(e.wire.received[1].first_beat_at == e.wire.received[0].first_beat_at + arq::max_payload_words + 2);
  BOOST_TEST(got.size() == 400u);
  for (std::uint64_t i = 0; i < got.size(); ++i) BOOST_TEST(got[i] == (0xB000'0000'0000'0000ull | i));
  e.wire.send(ack_only(3));
  e.flush_input();

  // A lone partial frame leaves FLUSH_CYCLES + 2 cycles after its last word was taken.
  for (std::uint64_t i = 0; i < 5; ++i) e.resp.push_back(i);
  e.run_until([&] { return e.wire.received.size() == 4; }, 1000);
  BOOST_TEST(e.wire.received[3].first_beat_at == e.resp_taken_at.back() + arq::flush_cycles + 2);
  BOOST_TEST(e.wire.received[3].frame.words.size() == 5u);
  BOOST_TEST(e.wire.received[3].frame.seq == 3u);
  BOOST_TEST(e.ev[tx_frames] == 4u);
}

BOOST_AUTO_TEST_CASE(transmit_window_fills_and_resumes_on_ack) {
  Engine e("tx_window");
  // One-word frames: each word is taken a pause longer than the flush time after the previous one.
  const std::size_t n = arq::window + 10;
  std::size_t fed = 0;
  e.each_cycle = [&] {
    const bool quiet = e.resp_taken_at.empty() || e.now() >= e.resp_taken_at.back() + arq::flush_cycles + 4;
    if (fed < n && quiet && e.resp.empty()) e.resp.push_back(0xC0DE'0000ull + fed++);
  };
  e.run_until([&] { return e.wire.received.size() == arq::window; }, 20000);
  e.run(500);
  BOOST_TEST(e.wire.received.size() == arq::window);  // window full
  BOOST_TEST(!e.dut().resp_ready_o);
  BOOST_TEST(e.resp.size() == 1u);  // the core is held back
  e.wire.send(ack_only(arq::window));
  e.run_until([&] { return e.wire.received.size() == n; }, 20000);
  for (std::size_t i = 0; i < n; ++i) {
    BOOST_TEST(e.wire.received[i].frame.seq == i % arq::seq_space);
    BOOST_REQUIRE_EQUAL(e.wire.received[i].frame.words.size(), 1u);
    BOOST_TEST(e.wire.received[i].frame.words[0] == 0xC0DE'0000ull + i);
  }
  BOOST_TEST(e.ev[retransmits] == 0u);
}

BOOST_AUTO_TEST_CASE(retransmission_after_a_dropped_ack_on_the_exact_cycle) {
  Engine e("retransmit");
  e.resp = {1, 2, 3};
  e.run_until([&] { return e.wire.received.size() == 1; }, 1000);
  e.resp = {4};
  e.run_until([&] { return e.wire.received.size() == 2; }, 1000);
  const std::uint64_t sent0 = e.wire.received[0].first_beat_at;
  const std::uint64_t sent1 = e.wire.received[1].first_beat_at;
  // The host got both; its ACK for frame 0 arrives, its ACK for frame 1 is lost.
  e.wire.send(ack_only(1));
  e.run_until([&] { return e.wire.received.size() == 3; }, 2 * arq::retransmit_cycles);
  const Received& again = e.wire.received[2];
  BOOST_TEST(again.frame.seq == 1u);
  BOOST_TEST(again.frame.words == e.wire.received[1].frame.words, boost::test_tools::per_element());
  BOOST_TEST(again.first_beat_at == sent1 + arq::retransmit_cycles);
  BOOST_TEST(sent0 + arq::retransmit_cycles < again.first_beat_at);  // frame 0 was not resent
  BOOST_TEST(!e.dut().idle_o);
  // This time the ACK arrives: no further retransmission.
  e.wire.send(ack_only(2));
  e.run(2 * arq::retransmit_cycles);
  BOOST_TEST(e.wire.received.size() == 3u);
  BOOST_TEST(e.ev[retransmits] == 1u);
  BOOST_TEST(e.ev[tx_frames] == 3u);
  BOOST_TEST(e.dut().idle_o);
}

BOOST_AUTO_TEST_CASE(duplicate_frames_are_ignored_counted_and_acknowledged_at_once) {
  Engine e("duplicates");
  const auto f0 = words(4, 0), f1 = words(1, 1), f2 = words(180, 2);
  e.wire.send(frame(0, 0, arq::Ptype::stream, f0));
  e.wire.send(frame(0, 1, arq::Ptype::stream, f1));
  e.wire.send(frame(0, 2, arq::Ptype::stream, f2));
  e.run_until([&] { return e.delivered.size() == 185; });
  const std::vector<std::pair<std::uint32_t, std::size_t>> dups = {{1, 1}, {0, 4}, {2, 180}, {5, 3}};  // 5: ahead
  for (const auto& [seq, len] : dups) {
    const std::size_t acks_before = ack_only_frames(e.wire).size();
    e.wire.send(frame(0, seq, arq::Ptype::stream, words(len, 9)));
    e.flush_input();
    e.run(8);
    const auto acks = ack_only_frames(e.wire);
    BOOST_REQUIRE_EQUAL(acks.size(), acks_before + 1);
    BOOST_TEST(acks.back()->frame.ack == 3u);
    BOOST_TEST(acks.back()->first_beat_at == e.wire.last_input_end + 3);
  }
  e.run(100);
  BOOST_TEST(e.delivered == concat({f0, f1, f2}), boost::test_tools::per_element());
  BOOST_TEST(e.ev[duplicates] == dups.size());
  BOOST_TEST(e.ev[rx_frames] == 3 + dups.size());
  BOOST_TEST(e.dut().idle_o);
}

BOOST_AUTO_TEST_CASE(full_window_back_pressure_loses_and_duplicates_nothing) {
  Engine e("back_pressure");
  HostModel host(e.wire);
  host.rto = 3 * arq::delayed_ack_cycles;  // the host retransmits rarely here
  e.each_cycle = [&] { host.pump(e.now()); };
  std::vector<std::vector<std::uint64_t>> frames;
  for (std::size_t i = 0; i < 3 * arq::window; ++i)
    frames.push_back(words(1 + nmtwin::tb::rand_bits(8) % arq::max_payload_words, i));
  host.send_frames(frames);
  e.instr_ready = false;  // the executor stalls
  e.run_until([&] { return host.next == arq::window && e.wire.input_idle(); }, 100000);
  e.run(3000);
  BOOST_TEST(host.next == arq::window);  // the host's window is full
  BOOST_TEST(host.base == 0u);           // nothing was acknowledged: nothing was delivered
  BOOST_TEST(e.ev[rx_frames] == arq::window);
  // A frame beyond the full receive window is refused.
  e.wire.send(frame(0, arq::window, arq::Ptype::stream, words(1, 999)));
  e.flush_input();
  BOOST_TEST(e.ev[drop_window] == 1u);
  BOOST_TEST(e.delivered.empty());

  e.instr_ready = true;
  e.instr_ready_p = 0.7;
  const auto all = concat(frames);
  e.run_until([&] { return e.delivered.size() == all.size(); }, 400000);
  e.run_until([&] { return host.base == frames.size(); }, 2 * arq::delayed_ack_cycles);
  BOOST_TEST(e.delivered == all, boost::test_tools::per_element());
  BOOST_TEST(e.ev[drop_window] == 1u);
}

BOOST_AUTO_TEST_CASE(reset_in_the_middle_of_a_stream_answers_cfg_and_clears_state) {
  Engine e("reset");
  e.instr_ready = false;
  e.wire.send(frame(0, 0, arq::Ptype::stream, words(10, 1)));
  e.wire.send(frame(0, 1, arq::Ptype::stream, words(180, 2)));
  e.resp = {7, 8, 9};
  e.run_until([&] { return e.wire.received.size() == 1; }, 1000);  // a response frame, never acknowledged
  e.wire.send(Bytes{0xAB, 0xAB, 0xAB}, /*reset_port=*/true);       // not the magic: dropped
  e.wire.send(ack_only(arq::reset_magic), /*reset_port=*/false);   // the magic on the data port: an ACK, refused
  e.flush_input();
  BOOST_TEST(e.ev[drop_reset] == 1u);
  BOOST_TEST(e.ev[drop_window] == 1u);
  BOOST_TEST(e.wire.received.size() == 1u);

  e.wire.send(ack_only(arq::reset_magic), /*reset_port=*/true);
  e.run_until([&] { return e.wire.received.size() == 2; }, 1000);
  const Received& cfg = e.wire.received[1];
  BOOST_TEST(cfg.first_beat_at == e.wire.last_input_end + 4);  // the line was free
  // The CFG frame byte by byte.
  Bytes want;
  put32(want, 0);
  put32(want, arq::unsequenced);
  put16(want, static_cast<std::uint16_t>(arq::Ptype::cfg));
  const std::size_t vwords = (arq::version_string.size() + 7) / 8;
  put16(want, static_cast<std::uint16_t>(1 + vwords));
  put16(want, arq::window);
  put16(want, arq::seq_space);
  put16(want, arq::max_payload_words);
  put16(want, static_cast<std::uint16_t>(arq::version_string.size()));
  for (const char c : arq::version_string) want.push_back(static_cast<std::uint8_t>(c));
  while (want.size() < 12 + 8 * (1 + vwords)) want.push_back(0);
  BOOST_TEST(cfg.bytes == want, boost::test_tools::per_element());
  BOOST_TEST(e.ev[resets] == 1u);

  // Nothing from before the reset is delivered or retransmitted.
  e.instr_ready = true;
  e.run(200);
  BOOST_TEST(e.delivered.empty());
  e.wire.send(frame(0, 0, arq::Ptype::stream, words(2, 3)));
  e.run_until([&] { return e.delivered.size() == 2; });
  BOOST_TEST(e.delivered == words(2, 3), boost::test_tools::per_element());
  e.resp = {0x77};
  e.run_until([&] { return e.wire.received.size() == 3; }, 1000);
  BOOST_TEST(e.wire.received[2].frame.seq == 0u);  // sequence numbers restart
  BOOST_TEST(e.wire.received[2].frame.ack == 1u);
  BOOST_TEST(e.wire.received[2].frame.words == std::vector<std::uint64_t>{0x77}, boost::test_tools::per_element());
  e.wire.send(ack_only(1));
  e.run(arq::retransmit_cycles + 1000);
  BOOST_TEST(e.wire.received.size() == 3u);
  BOOST_TEST(e.ev[retransmits] == 0u);
  BOOST_TEST(e.dut().idle_o);
}

BOOST_AUTO_TEST_CASE(random_malformed_datagrams_are_counted_and_never_hang_the_engine) {
  Engine e("malformed");
  e.wire.gap_p = 0.1;
  e.wire.tx_ready_p = 0.8;
  e.instr_ready_p = 0.8;
  nmtwin::random::Xoshiro256ss rng(20261124);
  const auto pick = [&](std::uint64_t n) { return nmtwin::random::uniform_int<std::uint64_t>(rng, 0, n - 1); };
  std::array<std::uint64_t, n_ev> want{};
  std::vector<std::vector<std::uint64_t>> good;  // frames sent first in order
  std::vector<std::size_t> good_end;             // words up to the end of each good frame
  std::uint64_t next = 0;                        // frame number of the next good frame
  const auto frames_delivered = [&] {
    return static_cast<std::uint64_t>(std::upper_bound(good_end.begin(), good_end.end(), e.delivered.size()) -
                                      good_end.begin());
  };
  const std::size_t rounds = 1500;
  for (std::size_t r = 0; r < rounds; ++r) {
    // Good frames stay well within the receive window: wait for delivery to catch up.
    e.run_until([&] { return next - frames_delivered() < arq::window - 16; });
    const std::uint32_t seq = next % arq::seq_space;
    auto payload = words(pick(12), 0x100 + next);
    switch (pick(10)) {
      case 0: {  // short
        std::size_t n = 1 + pick(11);
        if (n == 4) n = 5;
        e.wire.send(Bytes(n, 0x5A));
        ++want[drop_short];
        break;
      }
      case 1: {  // LEN disagrees with the length, exceeds the maximum, or a bad tkeep
        Bytes b = frame(0, seq, arq::Ptype::stream, payload);
        const auto kind = pick(4);
        if (kind == 0) b.resize(b.size() + 1 + pick(7));
        if (kind == 1) b[11] = static_cast<std::uint8_t>(b[11] + 1 + pick(3));
        if (kind == 2) b = frame(0, seq, arq::Ptype::stream, words(arq::max_payload_words + 1, 5));
        std::vector<std::uint8_t> keeps;
        if (kind == 3) {
          keeps.assign((b.size() + 7) / 8, 0xFF);
          keeps.back() = 0x05;  // a gap in the last beat
        }
        e.wire.send(b, false, keeps);
        ++want[drop_length];
        break;
      }
      case 2: {  // unknown PTYPE
        std::uint16_t p = static_cast<std::uint16_t>(rng());
        if (p == static_cast<std::uint16_t>(arq::Ptype::stream)) p = static_cast<std::uint16_t>(arq::Ptype::cfg);
        Bytes b = frame(0, seq, arq::Ptype::stream, payload);
        b[8] = static_cast<std::uint8_t>(p >> 8);
        b[9] = static_cast<std::uint8_t>(p);
        e.wire.send(b);
        ++want[drop_ptype];
        break;
      }
      case 3: {  // SEQ or ACK outside the window
        const std::uint32_t big = arq::seq_space + static_cast<std::uint32_t>(pick(0xFFFFFF00u));
        const std::uint32_t bad_ack = pick(2) ? big : 1 + static_cast<std::uint32_t>(pick(arq::window - 1));
        const auto kind = pick(3);
        if (kind == 0) e.wire.send(frame(0, big, arq::Ptype::stream, payload));
        if (kind == 1) e.wire.send(frame(bad_ack, seq, arq::Ptype::stream, payload));
        if (kind == 2) e.wire.send(ack_only(bad_ack));
        ++want[drop_window];
        break;
      }
      case 4: {  // not the magic word on the reset port
        Bytes b(pick(2) ? 4 : 1 + pick(40), 0xAB);
        b[pick(b.size())] ^= static_cast<std::uint8_t>(1 + pick(255));
        e.wire.send(b, true);
        ++want[drop_reset];
        break;
      }
      case 5: {  // a duplicate of a delivered frame
        if (next == 0) break;
        const std::uint64_t old = next - 1 - pick(std::min<std::uint64_t>(next, 100));
        e.wire.send(frame(0, old % arq::seq_space, arq::Ptype::stream, good[old]));
        ++want[duplicates];
        ++want[rx_frames];
        break;
      }
      case 6:  // a well-formed standalone ACK
        e.wire.send(ack_only(0));
        ++want[rx_frames];
        break;
      default:  // a good frame
        e.wire.send(frame(0, seq, arq::Ptype::stream, payload));
        good.push_back(payload);
        good_end.push_back((good_end.empty() ? 0 : good_end.back()) + payload.size());
        ++next;
        ++want[rx_frames];
        break;
    }
  }
  e.flush_input();
  const auto all = concat(good);
  e.run_until([&] { return e.delivered.size() == all.size(); });
  e.run(100);
  BOOST_TEST(e.delivered == all, boost::test_tools::per_element());
  for (unsigned i = 0; i < n_ev; ++i)
    if (i != tx_frames) BOOST_TEST(e.ev[i] == want[i], "counter " << i << ": " << e.ev[i] << " want " << want[i]);
  BOOST_TEST(e.ev[resets] == 0u);
  BOOST_TEST_MESSAGE("good frames " << good.size() << ", seq wrapped " << next / arq::seq_space
                                    << " times; dropped: short " << want[drop_short] << ", length " << want[drop_length]
                                    << ", ptype " << want[drop_ptype] << ", window " << want[drop_window] << ", reset "
                                    << want[drop_reset] << "; duplicates " << want[duplicates]);
  // Still alive: a fresh frame goes through.
  e.wire.send(frame(0, next % arq::seq_space, arq::Ptype::stream, words(3, 0xEE)));
  e.run_until([&] { return e.delivered.size() == all.size() + 3; });
}

BOOST_AUTO_TEST_CASE(lossy_link_both_directions_delivers_everything_exactly_once) {
  Engine e("lossy");
  HostModel host(e.wire);
  e.wire.loss_to_fpga = 0.05;
  e.wire.loss_from_fpga = 0.05;
  e.wire.tx_ready_p = 0.9;
  e.instr_ready_p = 0.9;
  host.rto = 20000;
  e.each_cycle = [&] { host.pump(e.now()); };
  // The executor echoes every instruction word as a response word.
  const auto echo = [](std::uint64_t w) { return w ^ 0xFFFF'0000'0000'0000ull; };
  std::vector<std::vector<std::uint64_t>> frames;
  for (std::size_t i = 0; i < 300; ++i) frames.push_back(words(1 + nmtwin::tb::rand_bits(8) % 40, i));
  host.send_frames(frames);
  const auto all = concat(frames);
  std::size_t echoed = 0;
  const auto pump = e.each_cycle;
  e.each_cycle = [&] {
    pump();
    for (; echoed < e.delivered.size(); ++echoed) e.resp.push_back(echo(e.delivered[echoed]));
  };
  e.run_until([&] { return host.responses.size() == all.size() && host.base == frames.size(); }, 6'000'000);
  BOOST_TEST(e.delivered == all, boost::test_tools::per_element());
  std::vector<std::uint64_t> want(all.size());
  std::transform(all.begin(), all.end(), want.begin(), echo);
  BOOST_TEST(host.responses == want, boost::test_tools::per_element());
  BOOST_TEST(e.ev[retransmits] > 0u);
  BOOST_TEST(e.ev[duplicates] > 0u);
  BOOST_TEST_MESSAGE("lost " << e.wire.lost << " datagrams; FPGA retransmits " << e.ev[retransmits]
                             << ", duplicates seen by the FPGA " << e.ev[duplicates] << ", cycles " << e.now());
}

BOOST_AUTO_TEST_CASE(reset_while_a_frame_is_being_sent_completes_that_frame_first) {
  Engine e("reset_busy");
  e.wire.tx_ready_p = 0.2;  // a slow line: the full frame takes about 900 cycles
  for (std::uint64_t i = 0; i < arq::max_payload_words; ++i) e.resp.push_back(0xD000 + i);
  e.run_until([&] { return e.dut().tx_tvalid_o; }, 1000);
  e.run(50);
  e.wire.send(ack_only(arq::reset_magic), /*reset_port=*/true);
  e.run_until([&] { return e.wire.received.size() == 2; }, 5000);
  const Frame& data = e.wire.received[0].frame;  // parse() checked that it is whole
  BOOST_TEST(data.seq == 0u);
  BOOST_TEST(data.words.size() == arq::max_payload_words);
  BOOST_TEST(data.words.back() == 0xD000 + arq::max_payload_words - 1);
  BOOST_TEST((e.wire.received[1].frame.ptype == static_cast<std::uint16_t>(arq::Ptype::cfg)));
  e.wire.tx_ready_p = 1.0;
  e.run(arq::retransmit_cycles + 1000);
  BOOST_TEST(e.wire.received.size() == 2u);  // the frame of the old session is not retransmitted
  BOOST_TEST(e.dut().idle_o);
}
