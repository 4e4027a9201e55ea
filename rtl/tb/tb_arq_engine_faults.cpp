// Bench for arq_engine under faults: resets mid-stream and mid-frame, random
// malformed datagrams, loss in both directions.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include "arq_engine_bench.hpp"
#include "nmtwin/random.hpp"
#include "nmtwin/spec.hpp"

namespace arq = nmtwin::spec::arq;
using namespace nmtwin::tb::arq_bench;

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

// An empty datagram (one beat without a valid byte) is short; on the reset port it is
// no magic word.  A frame of maximal LEN is taken, one word more is a length error.
BOOST_AUTO_TEST_CASE(empty_and_maximal_datagrams) {
  Engine e("empty");
  e.wire.send(Bytes{});
  e.wire.send(Bytes{}, /*reset_port=*/true);
  e.wire.send(frame(0, 0, arq::Ptype::stream, words(arq::max_payload_words, 1)));
  e.wire.send(frame(0, 1, arq::Ptype::stream, words(arq::max_payload_words + 1, 2)));
  e.flush_input();
  e.run_until([&] { return e.delivered.size() == arq::max_payload_words; });
  BOOST_TEST(e.ev[drop_short] == 1u);
  BOOST_TEST(e.ev[drop_reset] == 1u);
  BOOST_TEST(e.ev[drop_length] == 1u);
  BOOST_TEST(e.ev[rx_frames] == 1u);
  BOOST_TEST(e.delivered == words(arq::max_payload_words, 1), boost::test_tools::per_element());
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
      case 0: {  // short, empty included (one beat without a valid byte)
        std::size_t n = pick(12);
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
