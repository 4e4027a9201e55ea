// Bench for fpga_regs: every register of spec [[fpga_register]], byte
// enables, access errors, counters and the systime latch.
#define BOOST_TEST_MODULE tb_fpga_regs
#include <boost/test/unit_test.hpp>

#include <functional>

#include "Vfpga_regs.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::tb::Harness;

namespace {

struct Answer {
  std::uint32_t data;
  bool error;
  std::uint64_t reason;
};

class Regs {
 public:
  explicit Regs(const std::string& name) : h(name) { idle(); }
  Harness<Vfpga_regs> h;
  std::uint64_t systime = 0;

  /// One access in this cycle; the answer is read in the next.
  Answer access(bool write, std::uint32_t addr, std::uint32_t data = 0, unsigned be = 0xF) {
    h->req_valid_i = 1;
    h->req_write_i = write;
    h->req_offset_i = addr - spec::bus::fpga_base;
    h->req_wdata_i = data;
    h->req_be_i = be;
    step();
    h->req_valid_i = 0;
    h.settle();
    return {h->rsp_rdata_o, bool(h->rsp_error_o), h->rsp_reason_o};
  }
  std::uint32_t read(std::uint32_t addr) {
    const Answer a = access(false, addr);
    BOOST_TEST(!a.error, "read of 0x" << std::hex << addr << " failed");
    return a.data;
  }
  void step() {
    h->systime_i = systime;
    h.settle();
    h.rise();
    ++systime;
  }
  void idle() {
    h->req_valid_i = 0;
    h->ev_instruction_i = h->ev_spike_to_chip_i = h->ev_spike_from_chip_i = h->ev_response_i = 0;
    h->ev_error_i = h->ev_bus_timeout_i = h->ev_late_wait_i = h->ev_stale_ack_i = h->ev_chip_link_drop_i = 0;
    h->ev_arq_i = 0;
  }
};

std::uint64_t reason(spec::ErrorReason r) { return static_cast<std::uint64_t>(r); }

}  // namespace

BOOST_AUTO_TEST_CASE(constants_scratch_and_timeout) {
  Regs r("constants");
  BOOST_TEST(r.read(spec::fpga_reg::id) == 0x4E4D5457u);
  BOOST_TEST(r.read(spec::fpga_reg::version) == spec::version_word);
  BOOST_TEST(r.read(spec::fpga_reg::scratch) == 0u);
  BOOST_TEST(r.read(spec::fpga_reg::bus_timeout) == spec::timing::bus_timeout_default);
  BOOST_TEST(r.h->bus_timeout_o == spec::timing::bus_timeout_default);
  BOOST_TEST(!r.access(true, spec::fpga_reg::scratch, 0x11223344).error);
  BOOST_TEST(!r.access(true, spec::fpga_reg::scratch, 0xAABBCCDD, 0b0101).error);
  BOOST_TEST(r.read(spec::fpga_reg::scratch) == 0x11BB33DDu);
  r.access(true, spec::fpga_reg::bus_timeout, 77);
  BOOST_TEST(r.h->bus_timeout_o == 77u);
  BOOST_TEST(r.read(spec::fpga_reg::bus_timeout) == 77u);
}

BOOST_AUTO_TEST_CASE(read_only_and_unknown_offsets_fail) {
  Regs r("errors");
  for (const auto& reg : spec::fpga_reg::all) {
    const Answer a = r.access(true, reg.addr, 1);
    BOOST_TEST(a.error == (reg.access == spec::Access::ro), reg.name);
    if (a.error) BOOST_TEST(a.reason == reason(spec::ErrorReason::read_only));
  }
  for (std::uint32_t off = 0; off < spec::bus::fpga_size; ++off) {
    const bool known = std::any_of(spec::fpga_reg::all.begin(), spec::fpga_reg::all.end(),
                                   [&](const spec::FpgaRegister& g) { return g.addr == spec::bus::fpga_base + off; });
    const Answer a = r.access(false, spec::bus::fpga_base + off);
    BOOST_TEST(a.error == !known, "offset 0x" << std::hex << off);
    if (!known) BOOST_TEST(a.reason == reason(spec::ErrorReason::unmapped_address));
  }
}

BOOST_AUTO_TEST_CASE(counters_count_their_events_and_clear) {
  Regs r("counters");
  // One event input per counter register, in spec order.
  auto& d = r.h.dut();
  using Set = std::function<void(bool)>;
  const auto pin = [](unsigned char& p) -> Set { return [&p](bool v) { p = v; }; };
  std::vector<std::pair<std::uint32_t, Set>> counters = {
      {spec::fpga_reg::instructions, pin(d.ev_instruction_i)},
      {spec::fpga_reg::spikes_to_chip, pin(d.ev_spike_to_chip_i)},
      {spec::fpga_reg::spikes_from_chip, pin(d.ev_spike_from_chip_i)},
      {spec::fpga_reg::responses, pin(d.ev_response_i)},
      {spec::fpga_reg::errors, pin(d.ev_error_i)},
      {spec::fpga_reg::bus_timeouts, pin(d.ev_bus_timeout_i)},
      {spec::fpga_reg::late_waits, pin(d.ev_late_wait_i)},
      {spec::fpga_reg::stale_acks, pin(d.ev_stale_ack_i)},
      {spec::fpga_reg::chip_link_drops, pin(d.ev_chip_link_drop_i)},
  };
  // ev_arq_i bit i counts the register at arq_rx_frames + i.
  const std::vector<std::uint32_t> arq = {
      spec::fpga_reg::arq_rx_frames,  spec::fpga_reg::arq_tx_frames,   spec::fpga_reg::arq_retransmits,
      spec::fpga_reg::arq_duplicates, spec::fpga_reg::arq_drop_short,  spec::fpga_reg::arq_drop_length,
      spec::fpga_reg::arq_drop_ptype, spec::fpga_reg::arq_drop_window, spec::fpga_reg::arq_resets,
      spec::fpga_reg::arq_drop_reset,
  };
  for (unsigned i = 0; i < arq.size(); ++i) {
    BOOST_TEST(arq[i] == spec::fpga_reg::arq_rx_frames + i);
    counters.emplace_back(arq[i], [&d, i](bool v) { d.ev_arq_i = v ? (1u << i) : 0; });
  }
  std::size_t counter_regs = 0;
  for (const auto& g : spec::fpga_reg::all) counter_regs += g.counter;
  BOOST_TEST(counters.size() == counter_regs);  // every spec counter is driven here
  for (std::size_t i = 0; i < counters.size(); ++i) {
    counters[i].second(true);
    for (std::size_t n = 0; n < 3 + i; ++n) r.step();
    counters[i].second(false);
  }
  for (std::size_t i = 0; i < counters.size(); ++i) BOOST_TEST(r.read(counters[i].first) == 3 + i);
  BOOST_TEST(!r.access(true, spec::fpga_reg::counter_clear, 0).error);  // bit 0 clear: no effect
  BOOST_TEST(r.read(spec::fpga_reg::errors) == 7u);                     // 3 + its position
  r.access(true, spec::fpga_reg::counter_clear, 1);
  for (const auto& c : counters) BOOST_TEST(r.read(c.first) == 0u);
}

BOOST_AUTO_TEST_CASE(systime_lo_read_latches_the_high_bits_of_the_same_cycle) {
  Regs r("systime");
  r.systime = (std::uint64_t{0x5A5} << 32) | 0xFFFFFFF0;
  const std::uint64_t at = r.systime;
  BOOST_TEST(r.read(spec::fpga_reg::systime_lo) == (at & 0xFFFFFFFF));
  r.systime += 100;  // the high half must not follow systime until the next lo read
  BOOST_TEST(r.read(spec::fpga_reg::systime_hi) == (at >> 32));
  r.h->timer_base_i = (std::uint64_t{0x3} << 32) | 0x1234;
  BOOST_TEST(r.read(spec::fpga_reg::timer_base_lo) == 0x1234u);
  BOOST_TEST(r.read(spec::fpga_reg::timer_base_hi) == 0x3u);
}
