#include <array>
#include <boost/test/unit_test.hpp>
#include <string>

#include "nmtwin/program.hpp"
#include "hostlink/tests/message.hpp"

namespace spec = nmtwin::spec;
namespace instr = nmtwin::spec::instr;
using nmtwin::hostlink::Program;
using nmtwin::hostlink::Ticket;
using nmtwin::hostlink::test::message_contains;

BOOST_AUTO_TEST_SUITE(program)

BOOST_AUTO_TEST_CASE(encode_and_describe_every_instruction_kind) {
  Program p;
  p.nop();
  p.write(0x4, 0xdeadbeef);
  p.write(0x80010004, 7, 0x3);
  p.read(0x80010004);
  p.timer_reset();
  p.wait_until(1000);
  p.systime_sync();
  const std::array<std::uint16_t, 2> labels{1, 2};
  p.spikes(labels);
  p.barrier();
  BOOST_TEST(p.size() == 9u);

  const auto w = p.encode(42);
  BOOST_TEST_REQUIRE(w.size() == 12u);  // two writes of two words, the halt
  BOOST_TEST((instr::selector(w[0]) == instr::Opcode::nop));
  BOOST_TEST((instr::Write::decode(w[1]) == instr::Write{.byte_enable = 0xF, .addr = 0x4}));
  BOOST_TEST(instr::WriteData::decode(w[2]).data == 0xdeadbeefu);
  BOOST_TEST((instr::Write::decode(w[3]) == instr::Write{.byte_enable = 0x3, .addr = 0x80010004}));
  BOOST_TEST(instr::WriteData::decode(w[4]).data == 7u);
  BOOST_TEST(w[5] == (instr::Read{.tag = 0, .addr = 0x80010004}.encode()));
  BOOST_TEST(w[6] == instr::TimerReset{}.encode());
  BOOST_TEST(w[7] == instr::WaitUntil{.time = 1000}.encode());
  BOOST_TEST(w[8] == instr::SystimeSync{}.encode());
  BOOST_TEST(w[9] == (instr::Spikes{.count = 2, .label2 = 0, .label1 = 2, .label0 = 1}.encode()));
  BOOST_TEST(w[10] == instr::Barrier{.reads = 1}.encode());
  BOOST_TEST(w[11] == instr::Halt{.cookie = 42}.encode());

  const char* expected[] = {
      "#0 nop",
      "#1 write 0x00000004 = 0xdeadbeef",
      "#2 write 0x80010004 = 0x00000007 (byte_enable 0x3)",
      "#3 read 0x80010004 (tag 0)",
      "#4 timer_reset",
      "#5 wait_until 1000",
      "#6 systime_sync",
      "#7 spikes 1, 2",
      "#8 barrier reads",
      "#9 halt",
  };
  for (std::size_t i = 0; i <= p.size(); ++i) BOOST_TEST(p.describe(i) == expected[i]);
  BOOST_CHECK_THROW((void)p.describe(10), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(wait_until_accepts_43_bits_and_names_a_larger_value) {
  Program p;
  p.wait_until(instr::WaitUntil::time_max);
  BOOST_TEST(p.describe(0) == "#0 wait_until 8796093022207");
  BOOST_CHECK_EXCEPTION(p.wait_until(instr::WaitUntil::time_max + 1), std::invalid_argument,
                        [](const auto& e) { return message_contains(e, "8796093022208"); });
  BOOST_TEST(p.size() == 1u);
}

BOOST_AUTO_TEST_CASE(write_rejects_a_byte_enable_wider_than_4_bits) {
  Program p;
  BOOST_CHECK_EXCEPTION(p.write(0x4, 1, 0x1F), std::invalid_argument,
                        [](const auto& e) { return message_contains(e, "0x1f"); });
  BOOST_TEST(p.size() == 0u);
}

BOOST_AUTO_TEST_CASE(spikes_are_packed_three_per_instruction_in_order) {
  Program p;
  const std::array<std::uint16_t, 7> labels{10, 11, 12, 13, 14, 15, 16};
  p.spikes(labels);
  p.spike(0xffff);
  p.spikes({});
  BOOST_TEST(p.size() == 4u);
  const auto w = p.encode(0);
  BOOST_TEST(w[0] == (instr::Spikes{.count = 3, .label2 = 12, .label1 = 11, .label0 = 10}.encode()));
  BOOST_TEST(w[1] == (instr::Spikes{.count = 3, .label2 = 15, .label1 = 14, .label0 = 13}.encode()));
  BOOST_TEST(w[2] == (instr::Spikes{.count = 1, .label0 = 16}.encode()));
  BOOST_TEST(w[3] == (instr::Spikes{.count = 1, .label0 = 0xffff}.encode()));
  BOOST_TEST(p.describe(2) == "#2 spikes 16");
}

BOOST_AUTO_TEST_CASE(the_65537th_read_follows_a_barrier_and_reuses_tag_0) {
  Program p;
  Ticket last;
  for (std::size_t i = 0; i <= 65536; ++i) last = p.read(static_cast<std::uint32_t>(i));
  BOOST_TEST(p.size() == 65538u);
  BOOST_TEST(p.describe(65535) == "#65535 read 0x0000ffff (tag 65535)");
  BOOST_TEST(p.describe(65536) == "#65536 barrier reads");
  BOOST_TEST(p.describe(65537) == "#65537 read 0x00010000 (tag 0)");
  BOOST_TEST(last.tag() == 0u);
  BOOST_TEST(last.index() == 65537u);
  BOOST_TEST(last.address() == 0x10000u);
}

BOOST_AUTO_TEST_CASE(a_ticket_before_the_run_says_to_run_the_program) {
  Program p;
  p.nop();
  const Ticket t = p.read(spec::fpga_reg::scratch);
  BOOST_TEST(!t.ready());
  BOOST_TEST(t.address() == spec::fpga_reg::scratch);
  BOOST_CHECK_EXCEPTION((void)t.value(), std::logic_error, [](const auto& e) {
    return message_contains(e, "#1 read 0x00000004") && message_contains(e, "Connection::run");
  });
  BOOST_TEST(!p.has_run());
  BOOST_CHECK_THROW((void)p.halt_systime(), std::logic_error);
  BOOST_TEST(p.received_spikes().empty());
}

BOOST_AUTO_TEST_CASE(an_empty_ticket_says_where_tickets_come_from) {
  const Ticket t;
  BOOST_TEST(!t.ready());
  BOOST_CHECK_EXCEPTION((void)t.value(), std::logic_error,
                        [](const auto& e) { return message_contains(e, "Program::read"); });
}

BOOST_AUTO_TEST_CASE(a_million_instructions_stay_compact) {
  Program p;
  for (std::uint32_t i = 0; i < 250'000; ++i) {
    p.write(i, i);
    p.read(i);
    p.spike(static_cast<std::uint16_t>(i));
    p.wait_until(i);
  }
  BOOST_TEST(p.size() == 1'000'003u);  // three barriers for tag reuse
  BOOST_TEST(p.encode(1).size() == 1'250'004u);
  BOOST_TEST(p.describe(p.size() - 3) == "#1000000 read 0x0003d08f (tag 53391)");
}

BOOST_AUTO_TEST_SUITE_END()
