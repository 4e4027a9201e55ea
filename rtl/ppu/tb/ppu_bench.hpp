// Bench for ppu_top: the host port driven as the chip link would, the chip
// window answered from a byte map after one cycle (offsets from 0x80000 on
// are refused), and the core's clock gated as the simulator gates it: while
// clock_needed_o is 0 the model is not evaluated and systime jumps ahead to
// timecmp_o (a sleeping core) or stays (a halted or held one).
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "Vppu_top.h"
#include "tb_harness.hpp"

namespace nmtwin::tb {

class PpuBench {
 public:
  // Host word offsets from ppu.host_base (chip registers ppu_*).
  static constexpr std::uint32_t kImem = 0x00000, kDmem = 0x10000, kMailbox = 0x20000,
                                 kCtrl = 0x30000, kStatus = 0x30001, kExitCode = 0x30002,
                                 kTrapCause = 0x30003, kTrapPc = 0x30004, kTrapTval = 0x30005,
                                 kTrapInsn = 0x30006, kWatchdog = 0x30007, kConsole = 0x30008,
                                 kCycles = 0x30009, kInstret = 0x3000A;
  static constexpr std::uint32_t kRunning = 1, kSleeping = 2, kExited = 4, kTrapped = 8,
                                 kWatchdogExpired = 16, kConsoleBytes = 32;

  explicit PpuBench(const std::string& name) : h_(name) {
    h_->chip_req_ready_i = 1;
    h_->host_req_valid_i = 0;
  }

  /// One evaluated cycle (also answers the chip window).
  void cycle() {
    auto& d = h_.dut();
    d.systime_i = systime_;
    d.chip_rsp_valid_i = chip_rsp_;
    d.chip_rsp_err_i = chip_err_;
    d.chip_rsp_rdata_i = chip_rdata_;
    chip_rsp_ = false;
    h_.settle();
    if (d.chip_req_valid_o && d.chip_req_ready_i) chip_access(d);
    h_.rise();
    ++systime_;
    ++clocked_;
  }

  /// A host access; returns the read data, sets `err`.
  std::uint32_t host(bool we, std::uint32_t addr, std::uint32_t data, bool& err) {
    auto& d = h_.dut();
    d.host_req_valid_i = 1;
    d.host_we_i = we;
    d.host_addr_i = addr;
    d.host_wdata_i = data;
    h_.settle();
    BOOST_REQUIRE(d.host_req_ready_o);
    BOOST_REQUIRE(d.clock_needed_o);
    cycle();
    d.host_req_valid_i = 0;
    for (int i = 0; i < 4 && !d.host_rsp_valid_o; ++i) {
      h_.settle();
      if (d.host_rsp_valid_o) break;
      cycle();
    }
    h_.settle();
    BOOST_REQUIRE_MESSAGE(d.host_rsp_valid_o, "no host response to address 0x" << std::hex << addr);
    BOOST_REQUIRE(d.clock_needed_o);  // the response cycle must be clocked
    err = d.host_rsp_err_o;
    const std::uint32_t r = d.host_rsp_rdata_o;
    cycle();
    return r;
  }
  std::uint32_t read(std::uint32_t addr) {
    bool err = false;
    const std::uint32_t v = host(false, addr, 0, err);
    BOOST_REQUIRE_MESSAGE(!err, "host read of 0x" << std::hex << addr << " refused");
    return v;
  }
  void write(std::uint32_t addr, std::uint32_t data) {
    bool err = false;
    host(true, addr, data, err);
    BOOST_REQUIRE_MESSAGE(!err, "host write of 0x" << std::hex << addr << " refused");
  }

  /// Holds the core, loads `test`.bin from `dir` into instruction memory, releases it.
  void load_and_run(const std::string& dir, const std::string& test) {
    write(kCtrl, 0);
    const std::string path = dir + "/" + test + ".bin";
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, path << ": cannot open (built by the isa_tests target)");
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
      std::uint32_t w = 0;
      for (std::size_t b = 0; b < 4 && i + b < bytes.size(); ++b)
        w |= std::uint32_t{static_cast<std::uint8_t>(bytes[i + b])} << (8 * b);
      write(kImem + static_cast<std::uint32_t>(i / 4), w);
    }
    write(kCtrl, 1);
  }

  /// Runs (gating the clock like the simulator) until the status has a bit of
  /// `mask` or `max_cycles` of systime pass; returns the status.
  std::uint32_t run_until(std::uint32_t mask, std::uint64_t max_cycles) {
    auto& d = h_.dut();
    const std::uint64_t end = systime_ + max_cycles;
    while (systime_ < end) {
      d.systime_i = systime_;
      h_.settle();
      if (d.status_o & mask) break;
      if (d.clock_needed_o) {
        cycle();
      } else if (d.sleeping_o && d.timecmp_o > systime_) {
        skipped_ += std::min<std::uint64_t>(d.timecmp_o, end) - systime_;
        systime_ = std::min<std::uint64_t>(d.timecmp_o, end);
      } else {
        break;  // halted, held, or asleep with nothing to wake it: only the host can act
      }
    }
    return d.status_o;
  }

  std::string drain_console() {
    std::string s;
    for (std::uint32_t v = read(kConsole); v & 0x100; v = read(kConsole))
      s += static_cast<char>(v & 0xff);
    return s;
  }

  Harness<Vppu_top>& harness() { return h_; }
  std::map<std::uint32_t, std::uint8_t>& chip() { return chip_; }
  [[nodiscard]] std::uint64_t skipped() const { return skipped_; }
  [[nodiscard]] std::uint64_t clocked() const { return clocked_; }
  [[nodiscard]] std::uint64_t systime() const { return systime_; }

 private:
  void chip_access(Vppu_top& d) {
    const std::uint32_t word = d.chip_addr_o & ~3u;
    chip_rsp_ = true;
    chip_err_ = d.chip_addr_o >= 0x80000;
    chip_rdata_ = 0;
    for (unsigned b = 0; b < 4 && !chip_err_; ++b) {
      if (!(d.chip_be_o & (1u << b))) continue;
      if (d.chip_we_o) chip_[word + b] = static_cast<std::uint8_t>(d.chip_wdata_o >> (8 * b));
      else chip_rdata_ |= std::uint32_t{chip_[word + b]} << (8 * b);
    }
  }

  Harness<Vppu_top> h_;
  std::map<std::uint32_t, std::uint8_t> chip_;
  bool chip_rsp_ = false, chip_err_ = false;
  std::uint32_t chip_rdata_ = 0;
  std::uint64_t systime_ = 0, skipped_ = 0, clocked_ = 0;
};

}  // namespace nmtwin::tb
