// Bench for arq_engine: a host-side model builds real datagrams from the spec
// constants, drives them beat by beat and reads the engine's datagrams back;
// a scripted executor takes instruction words and offers response words.
// Resets, malformed datagrams and lossy links are in tb_arq_engine_faults.cpp.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "arq_engine_bench.hpp"
#include "nmtwin/spec.hpp"

namespace arq = nmtwin::spec::arq;
using namespace nmtwin::tb::arq_bench;

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

// nmtwin sim gives a host on wall-clock time a shorter delayed ACK (sim-only input
// ack_delay_i, docs/protocol.md "Time in a simulated FPGA"): it leaves that many cycles
// after the delivery, on the same rule; a value at or above the spec's is the spec's.
BOOST_AUTO_TEST_CASE(simulation_only_ack_delay_shortens_the_delayed_ack) {
  for (const std::uint32_t delay : {64u, 1u, static_cast<std::uint32_t>(arq::delayed_ack_cycles) + 5}) {
    Engine e("ack_delay");
    e.dut().ack_delay_i = delay;
    const std::uint64_t want = std::min<std::uint64_t>(delay, arq::delayed_ack_cycles);
    for (std::uint32_t seq = 0; seq < 2; ++seq) {  // the second: the timer starts again from 0
      e.wire.send(frame(0, seq, arq::Ptype::stream, words(3, seq)));
      e.run_until([&] { return e.delivered.size() == 3 * (seq + 1); });
      const std::uint64_t taken = e.delivered_at.back();
      e.run_until([&] { return e.wire.received.size() == seq + 1; }, 2 * arq::delayed_ack_cycles);
      BOOST_REQUIRE_EQUAL(e.wire.received.size(), seq + 1);
      const Received& ack = e.wire.received[seq];
      BOOST_TEST(ack.frame.ack_only);
      BOOST_TEST(ack.frame.ack == seq + 1);
      BOOST_TEST(ack.first_beat_at == taken + 2 + want, "delay " << delay);
    }
    BOOST_TEST(e.ev[retransmits] == 0u);
    BOOST_TEST(e.dut().idle_o);
  }
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
