// Bench for fpga_regs: every register of spec [[fpga_register]], byte
// enables, access errors, counters and the systime latch.
#include <boost/test/unit_test.hpp>

#include <functional>

#include "Vfpga_regs.h"
#include "Vfpga_regs___024root.h"
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
    h->ev_net_i = 0;
    h->gi_measure_i = 0;
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
    const std::uint32_t addr = spec::bus::fpga_base + off;
    const bool known = std::any_of(spec::fpga_reg::all.begin(), spec::fpga_reg::all.end(), [&](const auto& g) {
      return g.addr == addr || (g.bits == 48 && g.addr + 1 == addr);
    });
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
      {spec::fpga_reg::spikes_to_host_dropped, pin(d.ev_spike_to_host_drop_i)},
      {spec::fpga_reg::samples_from_chip, pin(d.ev_sample_from_chip_i)},
      {spec::fpga_reg::samples_to_host_dropped, pin(d.ev_sample_to_host_drop_i)},
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
  for (const auto& g : spec::fpga_reg::all) counter_regs += g.counter && g.bits == 32;
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

// The 48-bit counters: ev_net_i bit i counts the counter at packets_sent + 2 i, in
// the order of spec [[fpga_register]].
std::vector<const spec::FpgaRegister*> net_counters() {
  std::vector<const spec::FpgaRegister*> out;
  for (const auto& g : spec::fpga_reg::all)
    if (g.bits == 48) out.push_back(&g);
  return out;
}

BOOST_AUTO_TEST_CASE(counters_of_48_bits_are_laid_out_in_event_order) {
  const auto regs = net_counters();
  BOOST_REQUIRE_EQUAL(regs.size(), 39u);
  for (std::size_t i = 0; i < regs.size(); ++i)
    BOOST_TEST(regs[i]->addr == spec::fpga_reg::packets_sent(0) + 2 * i, regs[i]->name);
  BOOST_TEST(spec::fpga_reg::link_credit_stalls == spec::fpga_reg::packets_sent(0) + 2 * 38);
}

BOOST_AUTO_TEST_CASE(counters_of_48_bits_count_latch_their_high_half_and_clear) {
  Regs r("net_counters");
  const auto regs = net_counters();
  for (std::size_t i = 0; i < regs.size(); ++i) {
    r.h->ev_net_i = std::uint64_t{1} << i;
    for (std::size_t n = 0; n < 1 + i % 5; ++n) r.step();
    r.h->ev_net_i = 0;
  }
  for (std::size_t i = 0; i < regs.size(); ++i) {
    BOOST_TEST(r.read(regs[i]->addr) == 1 + i % 5, regs[i]->name);
    BOOST_TEST(r.read(regs[i]->addr + 1) == 0u, regs[i]->name);
  }
  // Across bit 32: preload a counter just below 2^32 and count over it.
  // (The model is built with --public-flat-rw for this.)
  auto& net = r.h.dut().rootp->fpga_regs__DOT__net_q;
  const unsigned k = 7;  // packets_sent[7]: bits 336..383 of the packed counters
  const auto set_bits = [&](unsigned lsb, std::uint64_t value, unsigned width) {
    for (unsigned b = 0; b < width; ++b) {
      const unsigned bit = lsb + b;
      auto& w = net[bit / 32];
      w = (w & ~(1u << (bit % 32))) | (static_cast<std::uint32_t>((value >> b) & 1) << (bit % 32));
    }
  };
  set_bits(k * 48, 0xFFFFFFFEull, 48);
  r.h->ev_net_i = std::uint64_t{1} << k;
  for (int n = 0; n < 3; ++n) r.step();
  r.h->ev_net_i = 0;
  BOOST_TEST(r.read(regs[k]->addr) == 1u);  // 0xFFFFFFFE + 3 = 0x1_0000_0001
  BOOST_TEST(r.read(regs[k]->addr + 1) == 1u);
  // The high half is the one latched with the low read, not the live one.
  set_bits(k * 48 + 32, 0x1234, 16);
  BOOST_TEST(r.read(regs[k]->addr) == 1u);
  set_bits(k * 48 + 32, 0x5678, 16);
  BOOST_TEST(r.read(regs[k]->addr + 1) == 0x1234u);
  r.access(true, spec::fpga_reg::counter_clear, 1);
  for (const auto* g : regs) BOOST_TEST(r.read(g->addr) == 0u);
}

BOOST_AUTO_TEST_CASE(network_configuration_registers_read_back_and_drive_their_outputs) {
  Regs r("net_config");
  r.access(true, spec::fpga_reg::node_id, 0x1234ABCD);
  BOOST_TEST(r.read(spec::fpga_reg::node_id) == 0xABCDu);
  BOOST_TEST(r.h->node_id_o == 0xABCDu);
  r.access(true, spec::fpga_reg::delay_control, 0xFF);
  BOOST_TEST(r.read(spec::fpga_reg::delay_control) == 0x3u);  // bits 1:0
  for (unsigned b = 0; b < 8; ++b) {
    r.access(true, spec::fpga_reg::bucket_dest(b), 0x10000 | (100 + b));
    r.access(true, spec::fpga_reg::bucket_delay(b), 1000 + b);
    r.access(true, spec::fpga_reg::bucket_timeout(b), 0x0102 * (b + 1));
  }
  for (unsigned b = 0; b < 8; ++b) {
    BOOST_TEST(r.read(spec::fpga_reg::bucket_dest(b)) == (0x10000u | (100 + b)));
    BOOST_TEST(r.read(spec::fpga_reg::bucket_delay(b)) == 1000 + b);
    BOOST_TEST(r.read(spec::fpga_reg::bucket_timeout(b)) == 0x0102 * (b + 1));
  }
  const auto field = [](const auto& wide, unsigned lsb, unsigned width) {
    std::uint64_t v = 0;
    for (unsigned b = 0; b < width; ++b) v |= std::uint64_t{(wide[(lsb + b) / 32] >> ((lsb + b) % 32)) & 1u} << b;
    return v;
  };
  for (unsigned b = 0; b < 8; ++b) {
    BOOST_TEST(field(r.h->bucket_dest_o, 17 * b, 17) == (0x10000u | (100 + b)));
    BOOST_TEST(field(r.h->bucket_delay_o, 10 * b, 10) == 1000 + b);
    BOOST_TEST(field(r.h->bucket_timeout_o, 16 * b, 16) == 0x0102 * (b + 1));
  }
  r.access(true, spec::fpga_reg::systime_preset_lo, 0xDEADBEEF);
  r.access(true, spec::fpga_reg::systime_preset_hi, 0xFFF);
  BOOST_TEST(r.h->systime_preset_o == ((std::uint64_t{0x7FF} << 32) | 0xDEADBEEF));
  r.h->gi_measure_i = 321;
  BOOST_TEST(r.read(spec::fpga_reg::gi_measure) == 321u);
  // gi_control: one pulse on the cycle after the write.
  r.access(true, spec::fpga_reg::gi_control, 1);
  BOOST_TEST(r.h->gi_send_o == 1u);
  BOOST_TEST(r.h->gi_measure_o == 0u);
  r.step();
  r.h.settle();
  BOOST_TEST(r.h->gi_send_o == 0u);
}
