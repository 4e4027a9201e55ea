#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "hostlink/tests/fake_fpga.hpp"
#include "hostlink/tests/message.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/response.hpp"

namespace spec = nmtwin::spec;
namespace resp = nmtwin::spec::resp;
using namespace nmtwin::hostlink;
using namespace std::chrono_literals;
using nmtwin::hostlink::test::FakeFpga;
using nmtwin::hostlink::test::message_contains;

namespace {

// The program of the example in docs/hostlink.md: its read #17 has tag 3.
Program program_with_read_17() {
  Program p;
  for (std::uint32_t i = 0; i < 3; ++i) p.read(spec::fpga_reg::scratch);
  for (int i = 3; i < 15; ++i) p.nop();
  p.write(0x4, 1);
  p.wait_until(1000);
  p.read(0x7fff0000);
  const std::uint16_t labels[] = {1, 2};
  p.spikes(labels);
  p.barrier();
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connection)

BOOST_AUTO_TEST_CASE(tickets_are_matched_by_tag_when_answers_come_reversed) {
  FakeFpga fpga;
  fpga.reverse_answers = true;
  fpga.batch_size = 3;
  Program p;
  std::vector<Ticket> tickets;
  for (std::uint32_t a = 0; a < 100; ++a) {
    fpga.memory[0x80000000 + a] = a * 7 + 1;
    tickets.push_back(p.read(0x80000000 + a));
  }
  p.wait_until(5000);
  fpga.run(p);
  BOOST_TEST(p.has_run());
  BOOST_TEST(p.halt_systime() >= 5000u);
  for (std::uint32_t a = 0; a < 100; ++a) {
    BOOST_TEST(tickets[a].ready());
    BOOST_TEST(tickets[a].value() == a * 7 + 1);
  }
}

BOOST_AUTO_TEST_CASE(written_values_read_back_in_the_same_program) {
  FakeFpga fpga;
  Program p;
  p.write(spec::fpga_reg::scratch, 0x12345678);
  const Ticket t = p.read(spec::fpga_reg::scratch);
  fpga.run(p);
  BOOST_TEST(t.value() == 0x12345678u);
}

BOOST_AUTO_TEST_CASE(an_error_names_the_instruction_its_neighbours_and_the_reason) {
  FakeFpga fpga;
  fpga.failing[0x7fff0000] = spec::ErrorReason::unmapped_address;
  Program p = program_with_read_17();
  const Ticket later = p.read(spec::fpga_reg::scratch);  // #20, reads what #15 wrote
  try {
    fpga.run(p);
    BOOST_FAIL("run should have thrown RunError");
  } catch (const ProtocolError& e) {
    BOOST_FAIL(e.what());
  } catch (const RunError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "program failed on fake:fpga0: 1 error\n"
               "  instruction #17 read 0x7fff0000 (tag 3): unmapped_address — address decodes "
               "to no register block\n"
               "      #15 write 0x00000004 = 0x00000001\n"
               "      #16 wait_until 1000\n"
               "   >  #17 read 0x7fff0000 (tag 3)\n"
               "      #18 spikes 1, 2\n"
               "      #19 barrier reads");
    BOOST_TEST(e.index() == 17u);
    BOOST_TEST((e.reason() == spec::ErrorReason::unmapped_address));
    BOOST_TEST(e.errors().size() == 1u);
    BOOST_TEST(e.errors()[0].detail == 3u);
  }
  BOOST_TEST(p.has_run());
  BOOST_TEST(later.value() == 1u);  // the other reads of the program still have their values
}

BOOST_AUTO_TEST_CASE(a_failed_read_has_a_ticket_that_names_the_error) {
  FakeFpga fpga;
  fpga.failing[0x80fffff0] = spec::ErrorReason::chip_rejected;
  Program p;
  const Ticket t = p.read(0x80fffff0);
  BOOST_CHECK_THROW(fpga.run(p), RunError);
  BOOST_TEST(!t.ready());
  BOOST_CHECK_EXCEPTION((void)t.value(), RunError, [](const RunError& e) {
    return message_contains(e, "#0 read 0x80fffff0 (tag 0) failed on fake:fpga0: chip_rejected") && e.index() == 0;
  });
}

BOOST_AUTO_TEST_CASE(several_errors_are_counted_and_listed) {
  FakeFpga fpga;
  fpga.failing[0x0] = spec::ErrorReason::read_only;
  Program p;
  p.nop();
  for (int i = 0; i < 8; ++i) p.write(0x0, 1);
  BOOST_CHECK_EXCEPTION(fpga.run(p), RunError, [](const RunError& e) {
    return e.errors().size() == 8 && e.index() == 1 &&
           message_contains(e, "program failed on fake:fpga0: 8 errors\n") &&
           message_contains(e,
                            "and 7 more errors:\n    instruction #2 write 0x00000000 = "
                            "0x00000001: read_only") &&
           message_contains(e, "#6 write") && !message_contains(e, "#7 write") &&
           message_contains(e, "RunError::errors()");
  });
}

BOOST_AUTO_TEST_CASE(a_silent_fpga_times_out_within_the_set_time) {
  FakeFpga fpga;
  fpga.stall = true;
  fpga.set_timeout(100ms);
  Program p;
  const Ticket t = p.read(0);
  const auto start = std::chrono::steady_clock::now();
  BOOST_CHECK_EXCEPTION(fpga.run(p), TimeoutError, [](const TimeoutError& e) {
    return e.missing() == 2 && message_contains(e, "no response from fake:fpga0 for 100 ms") &&
           message_contains(e, "responses still missing: 2 (the halt echo with cookie 0 and 1 read answer)");
  });
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(took >= 100ms);
  BOOST_TEST(took < 1s);
  BOOST_TEST(!p.has_run());
  BOOST_CHECK_EXCEPTION((void)t.value(), std::logic_error,
                        [](const auto& e) { return message_contains(e, "timed out"); });
}

BOOST_AUTO_TEST_CASE(late_answers_of_a_timed_out_program_are_not_taken_for_the_next) {
  FakeFpga fpga;
  fpga.set_timeout(50ms);
  fpga.memory[0x10] = 111;
  fpga.stall = true;
  Program first;
  first.read(0x10);
  BOOST_CHECK_THROW(fpga.run(first), TimeoutError);

  // The first program's answer (tag 0, 111) and halt arrive now, before the
  // second program's answer with the same tag.
  fpga.stall = false;
  fpga.memory[0x10] = 222;
  Program second;
  const Ticket t = second.read(0x10);
  fpga.run(second);
  BOOST_TEST(t.value() == 222u);
}

BOOST_AUTO_TEST_CASE(a_lost_halt_of_a_timed_out_program_is_named_in_the_next_timeout) {
  FakeFpga fpga;
  fpga.set_timeout(50ms);
  fpga.stall = true;
  Program p;
  p.nop();
  BOOST_CHECK_THROW(fpga.run(p), TimeoutError);
  BOOST_CHECK_EXCEPTION(fpga.run(p), TimeoutError,
                        [](const auto& e) { return message_contains(e, "earlier timed-out program (cookie 0)"); });
}

BOOST_AUTO_TEST_CASE(spikes_after_the_halt_echo_are_kept_for_the_next_run) {
  FakeFpga fpga;
  fpga.echo_spikes = true;
  fpga.after_halt = {resp::Spike{.label = 77, .systime = 9000}.encode()};
  Program first;
  first.wait_until(100);
  first.spike(5);
  fpga.run(first);
  BOOST_TEST_REQUIRE(first.received_spikes().size() == 1u);
  BOOST_TEST((first.received_spikes()[0] == Spike{5, 101}));

  Program second;
  second.nop();
  fpga.run(second);
  BOOST_TEST_REQUIRE(second.received_spikes().size() == 1u);
  BOOST_TEST((second.received_spikes()[0] == Spike{77, 9000}));
}

// docs/protocol.md "Samples": values in microvolts, systime bits 34:0 extended with the
// halt echo of the run they arrive in, those after the echo kept for the next run.
BOOST_AUTO_TEST_CASE(samples_are_extended_with_the_halt_of_the_run_they_arrive_in) {
  constexpr std::uint64_t span = std::uint64_t{1} << resp::Sample::systime_width;
  FakeFpga fpga;
  fpga.before = {resp::Sample{.neuron = 3, .value = 0xFFFF, .systime = span - 50}.encode(),
                 resp::Sample{.neuron = 4, .value = 0x0100, .systime = 40}.encode()};
  fpga.after_halt = {resp::Sample{.neuron = 5, .value = 0x8000, .systime = 70}.encode()};
  Program first;
  first.wait_until(span + 100);
  fpga.run(first);
  BOOST_TEST_REQUIRE(first.received_samples().size() == 2u);
  BOOST_TEST((first.received_samples()[0] == Sample{3, -32, span - 50}));
  BOOST_TEST((first.received_samples()[1] == Sample{4, 256 * 32, span + 40}));
  BOOST_TEST(first.received_spikes().empty());

  Program second;
  second.wait_until(3 * span);
  fpga.run(second);
  BOOST_TEST_REQUIRE(second.received_samples().size() == 1u);
  BOOST_TEST((second.received_samples()[0] == Sample{5, -32768 * 32, 2 * span + 70}));
}

BOOST_AUTO_TEST_CASE(after_a_takeover_the_answers_of_an_earlier_program_are_discarded) {
  FakeFpga fpga;
  // Another host's program is still running: its answer to tag 0 and its halt
  // (cookie 0, like this connection's first run) come before anything of ours.
  fpga.before = {resp::ReadData{.tag = 0, .data = 999}.encode(), resp::Halt{.cookie = 0, .systime = 1}.encode()};
  fpga.memory[0x10] = 7;
  fpga.take_over();
  Program p;
  const Ticket t = p.read(0x10);
  fpga.run(p);
  BOOST_TEST(t.value() == 7u);
}

BOOST_AUTO_TEST_CASE(a_takeover_without_an_echo_times_out_naming_the_endpoint) {
  FakeFpga fpga;
  fpga.stall = true;
  fpga.set_timeout(20ms);
  BOOST_CHECK_EXCEPTION(fpga.take_over(), TimeoutError, [](const auto& e) {
    return message_contains(e, "no echo from fake:fpga0 for 20 ms of the halt (cookie ");
  });
}

BOOST_AUTO_TEST_CASE(an_answer_with_an_unknown_tag_is_a_protocol_error_naming_the_word) {
  FakeFpga fpga;
  fpga.before = {resp::ReadData{.tag = 5, .data = 1}.encode()};
  Program p;
  p.read(0);
  BOOST_CHECK_EXCEPTION(fpga.run(p), ProtocolError, [](const ProtocolError& e) {
    return e.errors().empty() && e.protocol_errors().size() == 1 &&
           message_contains(e, "program failed on fake:fpga0: 1 protocol error") &&
           message_contains(e, "response 0x1000000500000001: read_data with tag 5");
  });
  Program next;  // the connection is still in step
  const Ticket t = next.read(spec::fpga_reg::scratch);
  fpga.run(next);
  BOOST_TEST(t.value() == 0u);
}

BOOST_AUTO_TEST_CASE(malformed_words_stale_halts_and_foreign_indices_are_protocol_errors) {
  FakeFpga fpga;
  fpga.before = {0xf000000000000001, resp::Halt{.cookie = 999, .systime = 0}.encode(),
                 resp::Error{.reason = 2, .detail = 1, .index = 50}.encode(),
                 resp::Error{.reason = 2, .detail = 7, .index = 0}.encode()};
  Program p;
  p.nop();
  BOOST_CHECK_EXCEPTION(fpga.run(p), ProtocolError, [](const ProtocolError& e) {
    return e.protocol_errors().size() == 4 &&
           message_contains(e, "response word 0xf000000000000001: unknown response type 0xf") &&
           message_contains(e, "halt echo with cookie 999, but this run's halt has cookie 0") &&
           message_contains(e,
                            "bus_timeout for instruction #50, but the program ends with its "
                            "halt at #1") &&
           message_contains(e, "but its detail 0x7 is not that instruction's opcode 0x0");
  });
}

BOOST_AUTO_TEST_CASE(an_unanswered_read_fails_the_run_and_its_ticket) {
  FakeFpga fpga;
  fpga.lose_read_answers = true;
  Program p;
  const Ticket t = p.read(0x4);
  BOOST_CHECK_EXCEPTION(fpga.run(p), ProtocolError, [](const auto& e) {
    return message_contains(e, "1 read got no answer before the halt echo: #0 read 0x00000004");
  });
  BOOST_CHECK_EXCEPTION((void)t.value(), ProtocolError, [](const auto& e) {
    return message_contains(e, "#0 read 0x00000004 (tag 0) got no answer from fake:fpga0");
  });
}

BOOST_AUTO_TEST_CASE(more_than_65536_reads_reuse_tags_after_a_barrier) {
  FakeFpga fpga;
  fpga.reverse_answers = true;
  Program p;
  std::vector<Ticket> tickets;
  for (std::uint32_t i = 0; i < 70'000; ++i) {
    fpga.memory[i] = i ^ 0x5a5a;
    tickets.push_back(p.read(i));
  }
  fpga.run(p);
  for (std::uint32_t i = 0; i < 70'000; ++i) BOOST_REQUIRE(tickets[i].value() == (i ^ 0x5a5a));
  BOOST_TEST(tickets[65536].tag() == 0u);
}

BOOST_AUTO_TEST_CASE(a_program_can_run_again_with_fresh_results) {
  FakeFpga fpga;
  Program p;
  const Ticket t = p.read(spec::fpga_reg::scratch);
  fpga.memory[spec::fpga_reg::scratch] = 1;
  fpga.run(p);
  BOOST_TEST(t.value() == 1u);
  fpga.memory[spec::fpga_reg::scratch] = 2;
  fpga.run(p);
  BOOST_TEST(t.value() == 2u);
}

BOOST_AUTO_TEST_CASE(a_million_instructions_run_in_one_go) {
  FakeFpga fpga;
  Program p;
  std::vector<Ticket> tickets;
  for (std::uint32_t i = 0; i < 250'000; ++i) {
    p.write(i, i + 1);
    tickets.push_back(p.read(i));
    p.spike(static_cast<std::uint16_t>(i));
    p.wait_until(i);
  }
  const auto start = std::chrono::steady_clock::now();
  fpga.run(p);
  BOOST_TEST_MESSAGE("1e6 instructions ran in "
                     << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");
  BOOST_TEST(tickets.back().value() == 250'000u);
}

BOOST_AUTO_TEST_SUITE_END()
