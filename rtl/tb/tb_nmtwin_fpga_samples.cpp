// tb_nmtwin_fpga: membrane samples from the chip to the host (docs/protocol.md
// "Samples"): systime bits 34:0 rebuilt from the chip's 16-bit stamp, losses counted
// while the host takes nothing, and no sample ahead of a halt echo younger than the halt.
#include <boost/test/unit_test.hpp>

#include <vector>

#include "fpga_bench.hpp"

using namespace nmtwin::tb::fpga;
namespace spec = nmtwin::spec;
namespace R = spec::resp;

namespace {

std::uint64_t sample_word(std::uint64_t neuron, std::uint64_t value, std::uint64_t taken) {
  return spec::chip_up::Sample{.neuron = neuron, .value = value, .timestamp = taken & 0xFFFF}.encode();
}

std::vector<R::Sample> samples(const Top& top) {
  std::vector<R::Sample> out;
  for (const auto& r : top.resp)
    if (R::selector(r.word) == R::ResponseType::sample) out.push_back(R::Sample::decode(r.word));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sample_systime_is_rebuilt_across_a_16_bit_wrap_beside_spikes) {
  Top top("samples");
  struct Case {
    std::uint64_t arrive, taken;
  };
  const std::vector<Case> cases = {
      {100, 99}, {0xFFF0, 0xFF00}, {0x10001, 0xFFFF}, {0x10004, 0x10002}, {0x2000A, 0x1FFFF}};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    top.chip.up.emplace(cases[i].arrive, sample_word(510 - i, 0x8000 + i, cases[i].taken));
    top.chip.up.emplace(cases[i].arrive + 1,
                        spec::chip_up::SpikeOut{.label = i, .timestamp = cases[i].arrive & 0xFFFF}.encode());
  }
  top.run_until([&] { return top.resp.size() == 2 * cases.size(); }, 0x30000);
  const auto got = samples(top);
  BOOST_REQUIRE_EQUAL(got.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    BOOST_TEST_CONTEXT("sample " << i) {
      BOOST_TEST(got[i].neuron == 510 - i);
      BOOST_TEST(got[i].value == 0x8000 + i);
      BOOST_TEST(got[i].systime == cases[i].taken);  // below 2^35: all bits
    }
  }
  BOOST_TEST(top.read_reg(spec::fpga_reg::samples_from_chip) == cases.size());
  BOOST_TEST(top.read_reg(spec::fpga_reg::spikes_from_chip) == cases.size());
  BOOST_TEST(top.read_reg(spec::fpga_reg::samples_to_host_dropped) == 0u);
  BOOST_TEST(top.read_reg(spec::fpga_reg::chip_link_drops) == 0u);
}

BOOST_AUTO_TEST_CASE(samples_the_host_does_not_take_are_dropped_and_counted_spikes_are_not) {
  Top top("sample_drops");
  top.resp_ready_p = 0;  // the host takes nothing
  constexpr std::uint64_t n = 200;
  for (std::uint64_t i = 0; i < n; ++i) top.chip.up.emplace(10 + i, sample_word(i, i, 9 + i));
  top.chip.up.emplace(10 + n, spec::chip_up::SpikeOut{.label = 3, .timestamp = 9 + n}.encode());
  top.run(400);
  BOOST_TEST(top.rx_taken.size() == n + 1);  // the chip link never waited
  top.resp_ready_p = 1;
  top.run(100);  // the queued samples drain
  const auto got = samples(top);
  const std::uint64_t dropped = top.read_reg(spec::fpga_reg::samples_to_host_dropped);
  BOOST_TEST(dropped > 0u);
  BOOST_TEST(got.size() + dropped == n);
  for (std::size_t i = 1; i < got.size(); ++i) BOOST_TEST(got[i].systime > got[i - 1].systime);  // in order
  BOOST_TEST(top.read_reg(spec::fpga_reg::spikes_to_host_dropped) == 0u);
  std::size_t spikes = 0;
  for (const auto& r : top.resp) spikes += R::selector(r.word) == R::ResponseType::spike;
  BOOST_TEST(spikes == 1u);
}

BOOST_AUTO_TEST_CASE(every_sample_ahead_of_a_halt_echo_was_taken_before_the_halt) {
  Top top("sample_halt");
  top.resp_ready_p = 0.3;
  for (std::uint64_t t = 20; t < 3000; t += 2) top.chip.up.emplace(t, sample_word(1, 0, t - 1));
  top.timer_reset();
  top.wait_until(400);
  top.halt(5);
  const Seen halt = top.run_to_halt(5);
  const std::uint64_t halt_at = R::Halt::decode(halt.word).systime;
  bool after = false;
  std::size_t before = 0;
  for (const auto& r : top.resp) {
    if (R::selector(r.word) == R::ResponseType::halt) after = true;
    if (R::selector(r.word) != R::ResponseType::sample) continue;
    const std::uint64_t taken = R::Sample::decode(r.word).systime;
    if (!after) {
      ++before;
      BOOST_TEST(taken < halt_at, "sample taken at " << taken << " ahead of the halt of " << halt_at);
    }
  }
  BOOST_TEST(before > 0u);
  // Every sample taken into the FPGA before the halt came ahead of it, or was dropped.
  top.resp_ready_p = 1;
  const std::uint64_t dropped = top.read_reg(spec::fpga_reg::samples_to_host_dropped);
  std::size_t in_fpga_before_halt = 0;
  for (const auto& s : top.rx_taken) in_fpga_before_halt += s.systime + 1 < halt_at;
  BOOST_TEST(before + dropped >= in_fpga_before_halt);
}
