#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <stdexcept>

#include "sim/chip/tests/chip_test_helpers.hpp"

using namespace chip_test;

// ---------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(registers)

BOOST_AUTO_TEST_CASE(every_neuron_field_reads_back_its_reset_and_written_values) {
  ChipModel m;
  unsigned id = 0;
  for (const auto& f : nrn::fields) {
    BOOST_TEST_CONTEXT("field " << f.name) {
      const auto reset = read(m, nrn::addr(7, f.offset), 0, id % 16);
      BOOST_TEST(reset.error == 0u);
      BOOST_TEST(reset.id == id % 16);
      BOOST_TEST(reset.data == static_cast<std::uint32_t>(f.reset));
      for (const std::int64_t v : {f.min, f.max, (f.min + f.max) / 2}) {
        ++id;
        const auto w = write(m, nrn::addr(7, f.offset), static_cast<std::uint32_t>(v), 0, id % 16);
        BOOST_TEST(w.error == 0u);
        BOOST_TEST(w.id == id % 16);
        const auto r = read(m, nrn::addr(7, f.offset), 0, (id + 5) % 16);
        BOOST_TEST(r.id == (id + 5) % 16);
        BOOST_TEST(r.data == static_cast<std::uint32_t>(v));
      }
      // The neighbour keeps its reset value.
      BOOST_TEST(read(m, nrn::addr(6, f.offset)).data == static_cast<std::uint32_t>(f.reset));
    }
  }
}

BOOST_AUTO_TEST_CASE(out_of_range_values_are_rejected_and_leave_the_register) {
  ChipModel m;
  for (const auto& f : nrn::fields) {
    BOOST_TEST_CONTEXT("field " << f.name) {
      const auto addr = nrn::addr(3, f.offset);
      const bool is_signed = f.min < 0;
      for (const std::int64_t bad : {f.min - 1, f.max + 1}) {
        const bool representable = is_signed ? bad >= INT32_MIN && bad <= INT32_MAX : bad >= 0 && bad <= UINT32_MAX;
        if (!representable) continue;
        const auto a = write(m, addr, static_cast<std::uint32_t>(bad), 0, 9);
        BOOST_TEST(a.error == 1u);
        BOOST_TEST(a.id == 9u);
        BOOST_TEST(read(m, addr).data == static_cast<std::uint32_t>(f.reset));
      }
    }
  }
  BOOST_TEST(write(m, nrn::addr(0, nrn::tau_m_ns), 0).error == 1u);
  BOOST_TEST(write(m, nrn::addr(0, nrn::threshold_uv), static_cast<std::uint32_t>(-1000001)).error == 1u);
  BOOST_TEST(write(m, nrn::addr(0, nrn::threshold_uv), static_cast<std::uint32_t>(-1000000)).error == 0u);
  BOOST_TEST(m.counters().rejected >= 2u);
}

BOOST_AUTO_TEST_CASE(rows_and_weights_read_back_and_check_their_limits) {
  ChipModel m;
  const auto row_addr = chip::row::addr(200, chip::row::inhibitory);
  BOOST_TEST(read(m, row_addr).data == 0u);
  BOOST_TEST(write(m, row_addr, 1).error == 0u);
  BOOST_TEST(read(m, row_addr).data == 1u);
  BOOST_TEST(write(m, row_addr, 2).error == 1u);
  BOOST_TEST(read(m, row_addr).data == 1u);

  const auto w_addr = chip::weight::addr(255 * chip::neurons + 511, 0);  // last synapse
  const auto w_max = static_cast<std::uint32_t>(chip::weight::fields[0].max);
  BOOST_TEST(write(m, w_addr, w_max).error == 0u);
  BOOST_TEST(read(m, w_addr).data == w_max);
  BOOST_TEST(write(m, w_addr, w_max + 1).error == 1u);
  BOOST_TEST(read(m, w_addr).data == w_max);
  BOOST_TEST(read(m, w_addr - 1).data == 0u);
}

BOOST_AUTO_TEST_CASE(fixed_registers_unknown_addresses_and_words) {
  ChipModel m;
  const auto id = read(m, chip::chip_id, 0, 3);
  BOOST_TEST(id.error == 0u);
  BOOST_TEST(id.id == 3u);
  BOOST_TEST(id.data == chip::registers[0].reset);
  BOOST_TEST(write(m, chip::chip_id, 1, 0, 4).error == 1u);  // read-only
  BOOST_TEST(read(m, chip::chip_id).data == chip::registers[0].reset);
  BOOST_TEST(write(m, chip::neuron_reset, 1).error == 0u);
  BOOST_TEST(read(m, chip::neuron_reset).error == 1u);  // write-only

  const std::uint32_t unknown[] = {
      chip::sampler_dropped + 1,
      nrn::addr(0, static_cast<std::uint32_t>(nrn::fields.size())),  // gap in a neuron's stride
      nrn::addr(chip::neurons, 0),                                   // past the last neuron
      chip::row::addr(chip::rows, 0),
      static_cast<std::uint32_t>(down::CfgWrite::addr_max),
  };
  for (const auto addr : unknown) {
    BOOST_TEST_CONTEXT("address " << std::hex << addr) {
      const auto w = write(m, addr, 0, 0, 15);
      BOOST_TEST(w.error == 1u);
      BOOST_TEST(w.id == 15u);
      BOOST_TEST(read(m, addr).error == 1u);
    }
  }
  const auto before = m.counters();
  m.receive(std::uint64_t{0xF} << down::selector_lsb, 0);
  m.receive(0, 0);
  BOOST_TEST(!m.has_output());
  BOOST_TEST(m.counters().unknown_words == before.unknown_words + 2);
  BOOST_TEST(m.counters().cfg_writes == 7u);
  BOOST_TEST(m.counters().cfg_reads == 8u);
  BOOST_TEST(m.counters().rejected == 12u);
}

BOOST_AUTO_TEST_CASE(words_in_the_past_are_refused) {
  ChipModel m;
  m.advance(100);
  BOOST_CHECK_NO_THROW(spike_in(m, 0, 100));
  BOOST_CHECK_THROW(spike_in(m, 0, 99), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
