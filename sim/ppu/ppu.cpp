#include "sim/ppu/ppu.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "Vppu_top.h"
#include "Vppu_top___024root.h"
#include "sim/reset_model.hpp"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace nmtwin::sim {

namespace {
constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
constexpr unsigned ppu_reset_cycles = 2;
}  // namespace

Ppu::Ppu(VerilatedContext& context, ChipModel& chip, const std::string& name)
    : rtl_(std::make_unique<Vppu_top>(&context, name.c_str())), chip_(chip) {
  auto& m = *rtl_;
  m.chip_req_ready_i = 1;
  reset_model(m, ppu_reset_cycles);
  chip_.attach_ppu(this);
}

Ppu::~Ppu() {
  chip_.attach_ppu(nullptr);
  rtl_->final();
}

void Ppu::host_access(std::uint64_t id, bool write, std::uint32_t addr, std::uint32_t data, std::uint64_t now) {
  waiting_.push_back({id, write, addr, data});
  next_tick_ = std::max(next_tick_, now + 1);  // the word arrived during `now`: the RTL sees it next cycle
}

bool Ppu::clock_needed() const {
  return rtl_->clock_needed_o || !waiting_.empty() || !in_flight_.empty() || chip_rsp_valid_;
}

// The first cycle whose chip time reaches timecmp (the timer wakes the core then).
std::uint64_t Ppu::wake_cycle() const {
  if (!rtl_->sleeping_o) return never;
  const std::uint64_t timecmp = rtl_->timecmp_o;
  if (timecmp > spec::systime_mask) return never;
  const std::uint64_t t = chip_.chip_time(next_tick_);
  // One cycle early: that cycle hands the RTL the wake-up cycle's time through its input
  // register, so the timer interrupt is pending exactly when chip time reaches timecmp.
  return timecmp <= t + 1 ? next_tick_ : next_tick_ + (timecmp - t) - 1;
}

std::uint64_t Ppu::next_event() const { return clock_needed() ? next_tick_ : wake_cycle(); }

void Ppu::advance(std::uint64_t now) {
  while (next_tick_ <= now) {
    const std::uint64_t due = next_event();
    if (due > now) {
      next_tick_ = now + 1;  // gated: these cycles cost nothing
      return;
    }
    next_tick_ = due + 1;  // first: the chip window calls back into the chip, which must not tick us again
    tick(due);
  }
}

namespace {

// Every output of ppu_top, as the driver samples them.
struct Outputs {
  bool host_req_ready, host_rsp_valid, host_rsp_err;
  std::uint32_t host_rsp_rdata;
  bool chip_req_valid, chip_we;
  std::uint8_t chip_be;
  std::uint32_t chip_addr, chip_wdata;
  bool clock_needed, sleeping;
  std::uint64_t timecmp;
  std::uint8_t status;
  bool commit_valid;
  std::uint32_t commit_pc, commit_insn;
  std::uint8_t commit_rd;
  std::uint32_t commit_rd_wdata;
  bool commit_mem_we;
  std::uint32_t commit_mem_addr, commit_mem_wdata;
  std::uint8_t commit_mem_be;
  bool commit_trap;
  std::uint32_t commit_cause, commit_tval;
  bool operator==(const Outputs&) const = default;
};

Outputs outputs(const Vppu_top& m) {
  return {bool(m.host_req_ready_o), bool(m.host_rsp_valid_o), bool(m.host_rsp_err_o), m.host_rsp_rdata_o,
          bool(m.chip_req_valid_o), bool(m.chip_we_o), m.chip_be_o, m.chip_addr_o, m.chip_wdata_o,
          bool(m.clock_needed_o), bool(m.sleeping_o), m.timecmp_o, m.status_o, bool(m.commit_valid_o),
          m.commit_pc_o, m.commit_insn_o, m.commit_rd_o, m.commit_rd_wdata_o, bool(m.commit_mem_we_o),
          m.commit_mem_addr_o, m.commit_mem_wdata_o, m.commit_mem_be_o, bool(m.commit_trap_o), m.commit_cause_o,
          m.commit_tval_o};
}

}  // namespace

// The falling-edge evaluation the tick skips, done and checked: it must change no output.
void Ppu::check_settled(std::uint64_t cycle) {
  auto& m = *rtl_;
  const Outputs before = outputs(m);
  m.clk_i = 0;
  m.eval();
  if (!(outputs(m) == before))
    throw std::logic_error("Ppu: an output of ppu_top changed at the falling edge of cycle " + std::to_string(cycle) +
                           ": an input reaches an output combinationally, so one evaluation a cycle is not enough");
}

// One clock cycle: inputs driven, handshakes sampled, then the rising edge.  ppu_top
// registers every input and drives its outputs from flip-flops, so after the last rising
// edge its outputs already show this cycle's values and an evaluation with the clock low
// would change nothing: one evaluation a cycle does.  Verilator finds a rising edge by
// comparing the clock with its value at the model's last evaluation, so that value is set
// low first (a member of the Verilated model's root, Verilator 5); check_settled proves
// the shortcut right for a run (set_settle_check, used by the tests).
void Ppu::tick(std::uint64_t cycle) {
  auto& m = *rtl_;
  m.systime_i = chip_.chip_time(cycle + 1);  // ppu_top registers its inputs: the time of the next cycle
  m.chip_rsp_valid_i = chip_rsp_valid_;
  m.chip_rsp_err_i = chip_rsp_err_;
  m.chip_rsp_rdata_i = chip_rsp_data_;
  chip_rsp_valid_ = false;
  const bool offer = !waiting_.empty();
  m.host_req_valid_i = offer;
  if (offer) {
    const Access& a = waiting_.front();
    m.host_we_i = a.write;
    m.host_addr_i = a.addr - spec::ppu::host_base;
    m.host_wdata_i = a.data;
  }
  if (settle_check_) check_settled(cycle);

  if (offer && m.host_req_ready_o) {
    in_flight_.push_back(waiting_.front().id);
    waiting_.pop_front();
  }
  if (m.host_rsp_valid_o) {
    chip_.ppu_ack(in_flight_.front(), m.host_rsp_err_o, m.host_rsp_rdata_o);
    in_flight_.pop_front();
  }
  if (m.chip_req_valid_o) {  // ready is always high: the chip answers in the next cycle
    const auto be = static_cast<std::uint8_t>(m.chip_be_o);
    if (m.chip_we_o) {
      chip_rsp_err_ = !chip_.bus_write(m.chip_addr_o, m.chip_wdata_o, be, cycle);
      chip_rsp_data_ = 0;
    } else {
      const auto value = chip_.bus_read(m.chip_addr_o, be, cycle);
      chip_rsp_err_ = !value;
      chip_rsp_data_ = value.value_or(0);
    }
    chip_rsp_valid_ = true;
  }
  if (m.commit_valid_o) {
    const ppu::Commit c{.pc = m.commit_pc_o,
                        .insn = m.commit_insn_o,
                        .rd = static_cast<std::uint8_t>(m.commit_rd_o),
                        .rd_wdata = m.commit_rd_wdata_o,
                        .mem_we = bool(m.commit_mem_we_o),
                        .mem_addr = m.commit_mem_addr_o,
                        .mem_wdata = m.commit_mem_wdata_o,
                        .mem_be = static_cast<std::uint8_t>(m.commit_mem_be_o),
                        .trap = bool(m.commit_trap_o),
                        .cause = m.commit_cause_o,
                        .tval = m.commit_tval_o};
    if (c.trap)
      ++stats_.traps;
    else
      ++stats_.retired;
    if (log_) log_->write(c, cycle);
  }
  ++stats_.clocked;
  m.rootp->__Vtrigrprev__TOP__clk_i = 0;
  m.clk_i = 1;
  m.eval();
  m.host_req_valid_i = 0;
}

void Ppu::trace(VerilatedFstC& file) { rtl_->trace(&file, 99); }

void Ppu::open_commit_log(const std::string& path) {
  log_.reset();
  if (!path.empty()) log_ = std::make_unique<CommitLog>(path);
}

}  // namespace nmtwin::sim
