// Bench for reg_bus with a scripted FPGA register block and chip: answers by
// tag in any order, every error reason, timeouts, stale answers, id reuse,
// and a silent chip that must not block the bus.
#include <boost/test/unit_test.hpp>

#include <deque>
#include <map>
#include <set>
#include <vector>

#include "Vreg_bus.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
namespace R = spec::resp;
using nmtwin::tb::chance;
using nmtwin::tb::Harness;
using nmtwin::tb::rand_bits;

namespace {

struct Req {
  bool write;
  std::uint32_t addr, data;
  unsigned be;
  std::uint16_t tag;
  std::uint32_t index;
};

std::uint64_t reason(spec::ErrorReason r) { return static_cast<std::uint64_t>(r); }
constexpr std::uint64_t opcode_write = static_cast<std::uint64_t>(spec::instr::Opcode::write);

class Bus {
 public:
  explicit Bus(const std::string& name) : h(name) {
    h->timeout_i = 50;
    h->cfg_ready_i = 1;
  }
  Harness<Vreg_bus> h;
  std::uint64_t now = 0;
  double resp_ready_p = 1.0;
  std::deque<Req> reqs;
  std::vector<std::uint64_t> resp;
  // Chip side.
  std::map<std::uint32_t, std::uint64_t> delay;
  std::set<std::uint32_t> silent, reject;
  std::multimap<std::uint64_t, std::uint64_t> acks;  // cycle -> {id, error, data} packed
  std::vector<unsigned> ids_sent;
  std::set<unsigned> ids_in_flight;
  unsigned timeouts = 0, stales = 0;
  // FPGA side: offset 0 read-only (reads 0xF0F0), offset 1 read-write, others unmapped.
  std::uint32_t fpga_rw = 0;

  void step() {
    auto& d = h.dut();
    d.now_i = static_cast<std::uint32_t>(now);
    d.req_valid_i = !reqs.empty();
    if (!reqs.empty()) {
      const Req& r = reqs.front();
      d.req_write_i = r.write;
      d.req_addr_i = r.addr;
      d.req_wdata_i = r.data;
      d.req_be_i = r.be;
      d.req_tag_i = r.tag;
      d.req_index_i = r.index;
    }
    const bool ack = !acks.empty() && acks.begin()->first <= now;
    d.ack_valid_i = ack;
    if (ack) {
      const std::uint64_t a = acks.begin()->second;
      d.ack_id_i = a >> 40;
      d.ack_error_i = (a >> 32) & 1;
      d.ack_data_i = static_cast<std::uint32_t>(a);
    }
    d.resp_ready_i = chance(resp_ready_p);
    h.settle();
    if (ack) {
      ids_in_flight.erase(d.ack_id_i);
      acks.erase(acks.begin());
    }
    if (d.resp_valid_o && d.resp_ready_i) resp.push_back(d.resp_data_o);
    timeouts += d.timeout_o;
    stales += d.stale_o;
    if (d.cfg_valid_o) {
      BOOST_REQUIRE_MESSAGE(!ids_in_flight.contains(d.cfg_id_o), "id " << int(d.cfg_id_o) << " reused while owed");
      chip(d.cfg_id_o, d.cfg_addr_o, d.cfg_write_o);
    }
    const bool fpga = d.fpga_valid_o;
    const bool fw = d.fpga_write_o;
    const unsigned off = d.fpga_offset_o;
    const std::uint32_t wd = d.fpga_wdata_o;
    if (d.req_valid_i && d.req_ready_o) reqs.pop_front();
    h.rise();
    ++now;
    if (fpga) fpga_answer(fw, off, wd);
  }
  void run(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) step();
  }
  void drain() {
    for (int i = 0; i < 5000 && !(reqs.empty() && acks.empty() && !h->busy_o); ++i) step();
    run(3);
  }
  void read(std::uint16_t tag, std::uint32_t addr, std::uint32_t index = 0) {
    reqs.push_back({false, addr, 0, 0xF, tag, index});
  }
  void write(std::uint32_t addr, std::uint32_t data, unsigned be = 0xF, std::uint32_t index = 0) {
    reqs.push_back({true, addr, data, be, 0, index});
  }
  std::vector<R::Error> errors() const {
    std::vector<R::Error> e;
    for (auto w : resp)
      if (R::selector(w) == R::ResponseType::error) e.push_back(R::Error::decode(w));
    return e;
  }
  std::map<std::uint64_t, std::uint64_t> reads() const {
    std::map<std::uint64_t, std::uint64_t> m;
    for (auto w : resp)
      if (R::selector(w) == R::ResponseType::read_data) {
        const auto r = R::ReadData::decode(w);
        BOOST_TEST(!m.contains(r.tag), "tag " << r.tag << " answered twice");
        m[r.tag] = r.data;
      }
    return m;
  }

 private:
  void chip(unsigned id, std::uint32_t addr, bool write) {
    ids_sent.push_back(id);
    ids_in_flight.insert(id);
    if (silent.contains(addr)) return;
    const auto it = delay.find(addr);
    const std::uint64_t at = now + (it == delay.end() ? 2 : it->second);
    const std::uint64_t err = reject.contains(addr) ? 1 : 0;
    const std::uint64_t data = write ? 0 : (addr ^ 0x5A5A0000u);
    acks.emplace(at, std::uint64_t{id} << 40 | err << 32 | data);
  }
  void fpga_answer(bool write, unsigned off, std::uint32_t data) {
    auto& d = h.dut();
    d.fpga_error_i = off > 1 || (write && off == 0);
    d.fpga_reason_i = reason(off > 1 ? spec::ErrorReason::unmapped_address : spec::ErrorReason::read_only);
    if (write && off == 1) fpga_rw = data;
    d.fpga_rdata_i = write ? 0 : (off == 0 ? 0xF0F0u : fpga_rw);
  }
};

std::uint32_t chip(std::uint32_t a) { return spec::chip::bus_addr(a); }

}  // namespace

BOOST_AUTO_TEST_CASE(reads_are_answered_once_by_tag_in_any_order) {
  Bus b("reads_by_tag");
  b.resp_ready_p = 0.5;
  b.h->timeout_i = 10000;
  b.write(spec::bus::fpga_base + 1, 0x1234);
  std::map<std::uint64_t, std::uint64_t> want;
  for (std::uint16_t tag = 0; tag < 400; ++tag) {
    if (tag % 5 == 0) {
      b.read(tag, spec::bus::fpga_base + 1);
      want[tag] = 0x1234;
    } else {
      const std::uint32_t a = tag;
      b.delay[a] = 1 + rand_bits(6);  // answers overtake each other
      b.read(tag, chip(a));
      want[tag] = a ^ 0x5A5A0000u;
    }
  }
  b.drain();
  BOOST_TEST(b.errors().empty());
  const auto got = b.reads();
  BOOST_TEST(got == want);
  BOOST_TEST(b.stales == 0u);
}

BOOST_AUTO_TEST_CASE(each_error_reason_names_index_and_detail) {
  Bus b("errors");
  b.reject = {0x99};
  b.silent = {0x77};
  b.read(11, 0x00001000, 1);                      // unmapped read
  b.write(0x7FFFFFFF, 0, 0xF, 2);                 // unmapped write
  b.write(chip(0x5), 0, 0x7, 3);                  // partial chip write
  b.write(spec::bus::fpga_base + 0, 0, 0xF, 4);   // read-only FPGA register
  b.read(15, spec::bus::fpga_base + 9, 5);        // unknown FPGA offset
  b.read(16, chip(0x99), 6);                      // chip rejects
  b.write(chip(0x99), 1, 0xF, 7);                 // chip rejects
  b.read(18, chip(0x77), 8);                      // chip silent
  b.write(chip(0x6), 1, 0xF, 9);                  // fine: no response
  b.write(spec::bus::fpga_base + 1, 1, 0xF, 10);  // fine: no response
  b.drain();
  struct Want {
    std::uint64_t index, reason, detail;
  };
  using E = spec::ErrorReason;
  const std::vector<Want> want = {
      {1, reason(E::unmapped_address), 11},        {2, reason(E::unmapped_address), opcode_write},
      {3, reason(E::bad_operand), opcode_write},   {4, reason(E::read_only), opcode_write},
      {5, reason(E::unmapped_address), 15},        {6, reason(E::chip_rejected), 16},
      {7, reason(E::chip_rejected), opcode_write}, {8, reason(E::bus_timeout), 18},
  };
  const auto got = b.errors();
  BOOST_REQUIRE_EQUAL(got.size(), want.size());
  for (const auto& w : want) {
    const bool found = std::any_of(got.begin(), got.end(), [&](const R::Error& e) {
      return e.index == w.index && e.reason == w.reason && e.detail == w.detail;
    });
    BOOST_TEST(found, "index " << w.index);
  }
  BOOST_TEST(b.timeouts == 1u);
  BOOST_TEST(b.reads().empty());
}

BOOST_AUTO_TEST_CASE(timeout_frees_the_slot_but_the_id_waits_for_the_late_answer) {
  Bus b("stale");
  b.h->timeout_i = 20;
  b.delay[0x1] = 60;  // answered long after the timeout
  b.read(1, chip(0x1));
  b.run(30);
  BOOST_TEST(b.errors().size() == 1u);
  BOOST_TEST(!b.h->busy_o);  // no longer outstanding
  const unsigned late_id = b.ids_sent.at(0);
  for (std::uint16_t tag = 2; tag < 40; ++tag) b.read(tag, chip(0x100 + tag));  // ids cycle; the owed one is skipped
  b.drain();
  BOOST_TEST(b.stales == 1u);
  BOOST_TEST(b.reads().size() == 38u);
  // The owed id came back into use only after its late answer.
  std::size_t uses = 0;
  for (unsigned id : b.ids_sent) uses += id == late_id;
  BOOST_TEST(uses >= 1u);
  // An answer nobody asked for is stale as well.
  b.acks.emplace(b.now, std::uint64_t{9} << 40);
  b.run(3);
  BOOST_TEST(b.stales == 2u);
}

BOOST_AUTO_TEST_CASE(silent_chip_makes_chip_accesses_fail_at_once_but_fpga_reads_work) {
  Bus b("silent");
  b.h->timeout_i = 10;
  b.silent = {0x1};
  for (std::uint16_t tag = 0; tag < spec::timing::bus_slots; ++tag) b.read(tag, chip(0x1));
  b.drain();
  BOOST_TEST(b.errors().size() == spec::timing::bus_slots);
  const std::uint64_t t0 = b.now;
  b.read(100, chip(0x2));  // every id is owed: fails at once
  b.read(101, spec::bus::fpga_base + 0);
  b.drain();
  BOOST_TEST(b.now - t0 < 10u);
  const auto errs = b.errors();
  BOOST_TEST(errs.back().detail == 100u);
  BOOST_TEST(errs.back().reason == reason(spec::ErrorReason::bus_timeout));
  BOOST_TEST(b.reads().at(101) == 0xF0F0u);
  BOOST_TEST(b.timeouts == spec::timing::bus_slots + 1);
}

BOOST_AUTO_TEST_CASE(busy_until_the_last_answer_retires) {
  Bus b("busy");
  b.delay[0x3] = 30;
  b.read(1, chip(0x3));
  b.run(5);
  BOOST_TEST(b.h->busy_o);
  b.resp_ready_p = 0.0;  // the answer is in but cannot leave yet
  b.run(40);
  BOOST_TEST(b.h->busy_o);
  b.resp_ready_p = 1.0;
  b.run(3);
  BOOST_TEST(!b.h->busy_o);
  BOOST_TEST(b.reads().at(1) == (0x3u ^ 0x5A5A0000u));
}
