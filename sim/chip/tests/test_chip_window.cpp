// The processor window (bus_read / bus_write) and fault injection.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>

#include "sim/chip/tests/chip_test_helpers.hpp"

// A bus read prints as its word or as "fault".
template <>
struct boost::test_tools::tt_detail::print_log_value<std::optional<std::uint32_t>> {
  void operator()(std::ostream& os, const std::optional<std::uint32_t>& v) {
    if (v)
      os << "0x" << std::hex << *v << std::dec;
    else
      os << "fault";
  }
};

using namespace chip_test;
namespace fault = chip::fault;

namespace {

// Window offsets (docs/chip.md, "Processor window").
constexpr std::uint32_t causal_at = 0x20000, acausal_at = 0x40000, counter_at = 0x60000, neuron_at = 0x70000;
constexpr std::uint32_t corr_reset_at = 0x80000, counter_reset_at = 0x80004;
constexpr std::uint32_t synapse(unsigned row, unsigned n) { return row * chip::neurons + n; }
constexpr std::uint32_t neuron_reg(unsigned n, unsigned off) { return neuron_at + (n * nrn::stride + off) * 4; }

void set_fault(ChipModel& m, std::uint32_t field, std::uint32_t v, std::uint64_t now = 0) {
  BOOST_TEST_REQUIRE(write(m, fault::addr(0, field), v, now).error == 0u);
}

}  // namespace

// ---------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(window)

BOOST_AUTO_TEST_CASE(weights_by_word_half_and_byte_meet_the_host_view) {
  ChipModel m;
  const std::uint32_t at = synapse(200, 40);
  BOOST_TEST(m.bus_write(at, 0x3F201001, 0xF, 0));
  for (unsigned k = 0; k < 4; ++k)
    BOOST_TEST(read(m, chip::weight_addr(200, 40 + k)).data == (0x3F201001u >> (8 * k) & 0xFF));
  BOOST_TEST(m.bus_read(at, 0xF, 0) == std::optional<std::uint32_t>(0x3F201001));
  BOOST_TEST(m.bus_read(at, 0x3, 0) == std::optional<std::uint32_t>(0x1001));
  BOOST_TEST(m.bus_read(at, 0xC, 0) == std::optional<std::uint32_t>(0x3F200000));
  BOOST_TEST(m.bus_read(at + 3, 0x8, 0) == std::optional<std::uint32_t>(0x3F000000));  // bits 1:0 ignored
  BOOST_TEST(m.bus_read(at, 0x2, 0) == std::optional<std::uint32_t>(0x1000));
  BOOST_TEST(m.bus_write(at + 2, 0x00050000, 0x4, 0));
  BOOST_TEST(m.bus_write(at, 0x0000070B, 0x3, 0));
  BOOST_TEST(m.bus_read(at, 0xF, 0) == std::optional<std::uint32_t>(0x3F05070B));
  BOOST_TEST(write(m, chip::weight_addr(255, 511), 9).error == 0u);  // the last synapse, last byte lane
  BOOST_TEST(m.bus_read(synapse(255, 508), 0xF, 0) == std::optional<std::uint32_t>(0x09000000));
  // A byte over the weight's 6 bits refuses the whole word.
  BOOST_TEST(!m.bus_write(at, 0x01404040, 0xF, 0));
  BOOST_TEST(!m.bus_write(at, 0x4000, 0x3, 0));
  BOOST_TEST(m.bus_read(at, 0xF, 0) == std::optional<std::uint32_t>(0x3F05070B));
}

BOOST_AUTO_TEST_CASE(sensors_counters_and_neuron_registers_through_the_window) {
  ChipModel m;
  set(m, 12, nrn::bias_uv, 1000000);
  for (std::uint64_t t = 5; t < 2000; t += 7) spike_in(m, 3, t);
  m.advance(2000);
  const std::uint32_t s = synapse(3, 12);
  const std::uint32_t c = read(m, chip::corr_causal::addr(s, 0), 2000).data,
                      a = read(m, chip::corr_acausal::addr(s, 0), 2000).data;
  BOOST_TEST(c > 0u);
  BOOST_TEST(a > 0u);
  BOOST_TEST(m.bus_read(causal_at + s, 0x1, 2000) == std::optional<std::uint32_t>(c));
  BOOST_TEST(m.bus_read(acausal_at + s, 0x3, 2000) == std::optional<std::uint32_t>(a));  // neuron 13 is silent
  const std::uint32_t spikes = read(m, chip::spike_counter::addr(12, 0), 2000).data;
  BOOST_TEST(spikes > 5u);
  BOOST_TEST(m.bus_read(counter_at + 12, 0xF, 2000) == std::optional<std::uint32_t>(spikes));
  // Read-only regions refuse writes at every width.
  for (const std::uint32_t at : {causal_at + s, acausal_at + s, counter_at + 12})
    for (const std::uint8_t be : {0x1, 0x3, 0xF}) BOOST_TEST(!m.bus_write(at & ~3u, 0, be, 2000));
  // Resets through the window: row 3 of the sensors, neuron 12's counter.
  BOOST_TEST(m.bus_write(corr_reset_at, 3, 0xF, 2000));
  BOOST_TEST(m.bus_read(causal_at + s, 0x1, 2000) == std::optional<std::uint32_t>(0));
  BOOST_TEST(m.bus_read(acausal_at + s, 0x1, 2000) == std::optional<std::uint32_t>(0));
  BOOST_TEST(m.bus_write(counter_reset_at, 12, 0xF, 2000));
  BOOST_TEST(m.bus_read(counter_at + 12, 0x1, 2000) == std::optional<std::uint32_t>(0));
  BOOST_TEST(m.bus_read(counter_at + 12, 0x1, 2400).value() > 0u);  // counting again
  BOOST_TEST(m.bus_write(counter_reset_at, 0xFFFFFFFF, 0xF, 2400));
  BOOST_TEST(m.bus_read(counter_at + 12, 0x1, 2400) == std::optional<std::uint32_t>(0));
  // Neuron registers: word access, the host's limits.
  BOOST_TEST(m.bus_read(neuron_reg(511, nrn::tau_m_ns), 0xF, 2400) == std::optional<std::uint32_t>(10000));
  BOOST_TEST(m.bus_write(neuron_reg(511, nrn::threshold_uv), static_cast<std::uint32_t>(-40000), 0xF, 2400));
  BOOST_TEST(read(m, nrn::addr(511, nrn::threshold_uv), 2400).data == static_cast<std::uint32_t>(-40000));
  BOOST_TEST(!m.bus_write(neuron_reg(511, nrn::tau_m_ns), 7, 0xF, 2400));
  BOOST_TEST(!m.bus_write(neuron_reg(0, nrn::tau_m_ns), 100, 0x3, 2400));
  BOOST_TEST(!m.bus_read(neuron_reg(0, nrn::tau_m_ns), 0x1, 2400));
  BOOST_TEST(read(m, nrn::addr(0, nrn::tau_m_ns), 2400).data == 10000u);
}

BOOST_AUTO_TEST_CASE(every_access_fault) {
  ChipModel m;
  const auto faults = [&] { return m.counters().bus_faults; };
  // Byte enables other than an aligned byte, half-word or word.
  for (const std::uint8_t be : {0x0, 0x5, 0x6, 0x7, 0x9, 0xA, 0xB, 0xD, 0xE, 0x10, 0xFF}) {
    BOOST_TEST_CONTEXT("be " << unsigned{be}) {
      BOOST_TEST(!m.bus_read(0, be, 0));
      BOOST_TEST(!m.bus_write(0, 0, be, 0));
    }
  }
  // Undecoded offsets: past the counters, past the neurons, after the resets, the window's end.
  for (const std::uint32_t at :
       {counter_at + chip::neurons, 0x68000u, neuron_at + 0x8000, 0x80008u, 0xFFFFCu, 0x100000u}) {
    BOOST_TEST_CONTEXT("offset " << std::hex << at) {
      BOOST_TEST(!m.bus_read(at, 0xF, 0));
      BOOST_TEST(!m.bus_write(at, 0, 0xF, 0));
    }
  }
  // Neuron offsets 10..15 decode to nothing.
  BOOST_TEST(!m.bus_read(neuron_reg(3, nrn::fields.size()), 0xF, 0));
  BOOST_TEST(!m.bus_write(neuron_reg(3, 15), 0, 0xF, 0));
  // The resets: write-only, word only, valid row / neuron or all ones.
  for (const std::uint32_t at : {corr_reset_at, counter_reset_at}) {
    BOOST_TEST(!m.bus_read(at, 0xF, 0));
    BOOST_TEST(!m.bus_write(at, 0, 0x1, 0));
    BOOST_TEST(!m.bus_write(at, 0xFFFFFFFE, 0xF, 0));
  }
  BOOST_TEST(!m.bus_write(corr_reset_at, chip::rows, 0xF, 0));
  BOOST_TEST(m.bus_write(corr_reset_at, chip::rows - 1, 0xF, 0));
  BOOST_TEST(!m.bus_write(counter_reset_at, chip::neurons, 0xF, 0));
  BOOST_TEST(m.bus_write(counter_reset_at, chip::neurons - 1, 0xF, 0));
  BOOST_TEST(m.counters().bus_reads == 11u + 6u + 1u + 2u);
  BOOST_TEST(m.counters().bus_writes == 11u + 6u + 1u + 4u + 4u);
  BOOST_TEST(faults() == m.counters().bus_reads + m.counters().bus_writes - 2);
  BOOST_TEST(m.counters().cfg_writes == 0u);  // the window is not the chip link
  m.advance(50);
  BOOST_CHECK_THROW(m.bus_read(0, 0xF, 49), std::invalid_argument);
  BOOST_CHECK_THROW(m.bus_write(0, 0, 0xF, 10), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(stuck_bits_show_in_host_reads_bus_reads_and_the_dynamics) {
  ChipModel faulty, healthy;
  const std::uint32_t s = synapse(17, 300);
  set_weight(faulty, 17, 300, 0x15);
  set_fault(faulty, fault::stuck_mask, 0x2A);
  set_fault(faulty, fault::stuck_value, 0x20);
  BOOST_TEST(read(faulty, chip::weight_addr(17, 300)).data == 0x15u);  // another synapse is stuck (index 0)
  set_fault(faulty, fault::stuck_synapse, s);
  // Bits 5, 3, 1 are stuck at 1, 0, 0: 0b010101 is stored as 0b110101, whatever is written.
  BOOST_TEST(read(faulty, chip::weight_addr(17, 300)).data == 0x35u);
  BOOST_TEST(write(faulty, chip::weight_addr(17, 300), 0x0A).error == 0u);
  BOOST_TEST(read(faulty, chip::weight_addr(17, 300)).data == 0x20u);
  BOOST_TEST(faulty.bus_write(s, 0x3F3F3F00, 0xF, 0));
  BOOST_TEST(faulty.bus_read(s, 0xF, 0) == std::optional<std::uint32_t>(0x3F3F3F20));
  BOOST_TEST(faulty.bus_write(s, 0x15, 0x1, 0));
  BOOST_TEST(faulty.bus_read(s, 0x1, 0) == std::optional<std::uint32_t>(0x35));
  BOOST_TEST(read(faulty, chip::weight_addr(17, 299)).data == 0u);  // neighbours unaffected
  // The dynamics use the stored weight: the same as a healthy chip holding 0x35.
  set_weight(healthy, 17, 300, 0x35);
  for (ChipModel* m : {&faulty, &healthy}) spike_in(*m, 17, 10);
  BOOST_TEST(faulty.membrane_uv(300, 200) == healthy.membrane_uv(300, 200));
  BOOST_TEST(faulty.membrane_uv(300, 200) > leak + 1000);
  // Lifting the fault keeps the stored bits; the next write stores what it is given.
  set_fault(faulty, fault::stuck_mask, 0, 200);
  BOOST_TEST(read(faulty, chip::weight_addr(17, 300), 200).data == 0x35u);
  BOOST_TEST(write(faulty, chip::weight_addr(17, 300), 0x0A, 200).error == 0u);
  BOOST_TEST(read(faulty, chip::weight_addr(17, 300), 200).data == 0x0Au);
}

BOOST_AUTO_TEST_CASE(a_dead_neuron_never_spikes_and_others_are_unaffected) {
  ChipModel dead, healthy;
  for (ChipModel* m : {&dead, &healthy}) {
    for (const unsigned n : {40u, 41u}) {
      set(*m, n, nrn::bias_uv, 30000);
      set(*m, n, nrn::output, enable | n);
    }
    set(*m, 41, nrn::loopback, enable | 9);
  }
  set_fault(dead, fault::dead_neuron, 41);
  set_fault(dead, fault::dead_enable, 1);
  BOOST_TEST(read(dead, fault::addr(0, fault::dead_neuron)).data == 41u);
  dead.advance(20000);
  healthy.advance(20000);
  BOOST_TEST(drain(dead).size() == spike_times(dead, 40).size());  // only neuron 40's spike_out words
  BOOST_TEST(spike_times(dead, 41).empty());
  BOOST_TEST(spike_times(healthy, 41).size() > 5u);
  BOOST_TEST(spike_times(dead, 40) == spike_times(healthy, 40), boost::test_tools::per_element());
  BOOST_TEST(read(dead, chip::spike_counter::addr(41, 0), 20000).data == 0u);
  BOOST_TEST(dead.counters().loopbacks == 0u);
  // Revived, it fires again; its membrane kept evolving meanwhile (far above threshold).
  set_fault(dead, fault::dead_enable, 0, 20000);
  dead.advance(20010);
  BOOST_TEST(spike_times(dead, 41).size() == 1u);
  BOOST_TEST(spike_times(dead, 41).at(0) == 20001u);
  BOOST_TEST(write(dead, fault::addr(0, fault::dead_neuron), chip::neurons, 20010).error == 1u);
  BOOST_TEST(write(dead, fault::addr(0, fault::stuck_mask), 64, 20010).error == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
