#pragma once
// The control FPGA top level driven cycle by cycle (host side and a scripted chip),
// shared by the tb_nmtwin_fpga bench files.
#include <boost/test/unit_test.hpp>

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "Vnmtwin_fpga.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace nmtwin::tb::fpga {

/// A word seen on an interface and the systime of the cycle it was handed over.
struct Seen {
  std::uint64_t word;
  std::uint64_t systime;
};

/// Scripted chip: a register file answered after a per-address delay, with
/// addresses that are rejected or never answered.  Spikes and syncs sent to it
/// are recorded; words queued in `up` are offered from their cycle on.
struct Chip {
  std::map<std::uint32_t, std::uint32_t> regs;
  std::map<std::uint32_t, std::uint64_t> delay;
  std::set<std::uint32_t> reject;
  std::set<std::uint32_t> silent;
  std::uint64_t default_delay = 3;
  std::vector<Seen> spikes_in, syncs, acks_sent;
  std::multimap<std::uint64_t, std::uint64_t> up;

  void on_down(std::uint64_t w, std::uint64_t now) {
    using T = spec::chip_down::ChipDownType;
    switch (spec::chip_down::selector(w)) {
      case T::cfg_write: {
        const auto m = spec::chip_down::CfgWrite::decode(w);
        answer(m.id, static_cast<std::uint32_t>(m.addr), now, false);
        if (!reject.contains(m.addr)) regs[m.addr] = static_cast<std::uint32_t>(m.data);
        break;
      }
      case T::cfg_read: {
        const auto m = spec::chip_down::CfgRead::decode(w);
        answer(m.id, static_cast<std::uint32_t>(m.addr), now, true);
        break;
      }
      case T::spike_in:
        spikes_in.push_back({w, now});
        break;
      case T::sync:
        syncs.push_back({w, now});
        break;
    }
  }

  void answer(std::uint64_t id, std::uint32_t addr, std::uint64_t now, bool read) {
    if (silent.contains(addr)) return;
    const auto it = delay.find(addr);
    const std::uint64_t at = now + (it == delay.end() ? default_delay : it->second);
    const bool err = reject.contains(addr);
    const std::uint64_t data = read && !err ? regs[addr] : 0;
    up.emplace(at, spec::chip_up::CfgAck{.id = id, .error = err, .data = data}.encode());
  }
};

/// The top level with its host and chip sides driven cycle by cycle.
class Top {
 public:
  explicit Top(const std::string& name) : h_(name) {}

  Chip chip;
  std::deque<std::uint64_t> instr;
  std::vector<Seen> resp;
  std::vector<Seen> rx_taken;
  double resp_ready_p = 1.0;

  Vnmtwin_fpga& dut() { return h_.dut(); }
  std::uint64_t now() { return h_->systime_o; }

  void step() {
    auto& d = h_.dut();
    d.instr_valid_i = !instr.empty();
    d.instr_data_i = instr.empty() ? 0 : instr.front();
    d.resp_ready_i = chance(resp_ready_p);
    d.chip_tx_ready_i = 1;
    const std::uint64_t t = d.systime_o;
    const bool offer = !chip.up.empty() && chip.up.begin()->first <= t;
    d.chip_rx_valid_i = offer;
    d.chip_rx_data_i = offer ? chip.up.begin()->second : 0;
    h_.settle();
    if (d.instr_valid_i && d.instr_ready_o) instr.pop_front();
    if (d.resp_valid_o && d.resp_ready_i) resp.push_back({d.resp_data_o, t});
    if (d.chip_tx_valid_o && d.chip_tx_ready_i) chip.on_down(d.chip_tx_data_o, t);
    if (d.chip_rx_valid_i && d.chip_rx_ready_o) {
      rx_taken.push_back({d.chip_rx_data_i, t});
      chip.up.erase(chip.up.begin());
    }
    h_.rise();
  }
  void run(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) step();
  }
  /// Steps until `done` holds; fails the test after `limit` cycles.
  void run_until(const std::function<bool()>& done, std::uint64_t limit = 100000) {
    for (std::uint64_t i = 0; i < limit && !done(); ++i) step();
    BOOST_REQUIRE_MESSAGE(done(), "condition not reached within " << limit << " cycles");
  }
  /// Runs until a halt echo with this cookie arrived and returns it.
  Seen run_to_halt(std::uint64_t cookie, std::uint64_t limit = 100000) {
    const auto find = [&]() -> const Seen* {
      for (const auto& r : resp)
        if (spec::resp::selector(r.word) == spec::resp::ResponseType::halt &&
            spec::resp::Halt::decode(r.word).cookie == cookie)
          return &r;
      return nullptr;
    };
    run_until([&] { return find() != nullptr; }, limit);
    return *find();
  }

  // Program building.
  void add(std::uint64_t w) { instr.push_back(w); }
  void read(std::uint64_t tag, std::uint64_t addr) { add(spec::instr::Read{.tag = tag, .addr = addr}.encode()); }
  void write(std::uint64_t addr, std::uint64_t data, std::uint64_t be = 0xF) {
    add(spec::instr::Write{.byte_enable = be, .addr = addr}.encode());
    add(spec::instr::WriteData{.data = data}.encode());
  }
  void halt(std::uint64_t cookie) { add(spec::instr::Halt{.cookie = cookie}.encode()); }
  void timer_reset() { add(spec::instr::TimerReset{}.encode()); }
  void wait_until(std::uint64_t t) { add(spec::instr::WaitUntil{.time = t}.encode()); }
  void barrier() { add(spec::instr::Barrier{.reads = 1}.encode()); }

  /// Data of the read_data response with this tag; fails if absent or repeated.
  std::uint64_t read_data(std::uint64_t tag) const {
    std::vector<std::uint64_t> hits;
    for (const auto& r : resp)
      if (spec::resp::selector(r.word) == spec::resp::ResponseType::read_data &&
          spec::resp::ReadData::decode(r.word).tag == tag)
        hits.push_back(spec::resp::ReadData::decode(r.word).data);
    BOOST_REQUIRE_MESSAGE(hits.size() == 1, "tag " << tag << ": " << hits.size() << " read_data responses");
    return hits.front();
  }
  std::vector<spec::resp::Error> errors() const {
    std::vector<spec::resp::Error> out;
    for (const auto& r : resp)
      if (spec::resp::selector(r.word) == spec::resp::ResponseType::error)
        out.push_back(spec::resp::Error::decode(r.word));
    return out;
  }
  /// Reads an FPGA register through a one-off program and returns its value.
  std::uint64_t read_reg(std::uint32_t addr) {
    const std::uint64_t tag = 0xF000 + next_tag_++;
    read(tag, addr);
    run_until([&] { return has_tag(tag); });
    return read_data(tag);
  }
  bool has_tag(std::uint64_t tag) const {
    for (const auto& r : resp)
      if (spec::resp::selector(r.word) == spec::resp::ResponseType::read_data &&
          spec::resp::ReadData::decode(r.word).tag == tag)
        return true;
    return false;
  }

 private:
  Harness<Vnmtwin_fpga> h_;
  std::uint64_t next_tag_ = 0;
};

inline std::uint64_t reason(spec::ErrorReason r) { return static_cast<std::uint64_t>(r); }
inline std::uint64_t opcode(spec::instr::Opcode o) { return static_cast<std::uint64_t>(o); }

}  // namespace nmtwin::tb::fpga
