#include "sim/node.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "Vnmtwin_fpga.h"
#include "sim/waveform.hpp"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace nmtwin::sim {

namespace {
constexpr unsigned reset_cycles = 4;
constexpr std::uint64_t ps_per_cycle = 8000;  // 125 MHz

// Drops the consumed front of a queue once it is empty, so queues never grow without bound.
void compact(std::vector<std::uint64_t>& queue, std::size_t& head) {
  if (head == queue.size()) {
    queue.clear();
    head = 0;
  }
}
}  // namespace

Node::Node(unsigned id) : id_(id), context_(std::make_unique<VerilatedContext>()) {
  context_->traceEverOn(true);
  context_->randReset(0);  // deterministic: every X becomes 0
  fpga_ = std::make_unique<Vnmtwin_fpga>(context_.get(), fmt::format("node{}", id).c_str());
  auto& f = *fpga_;
  f.resp_ready_i = 1;
  f.chip_tx_ready_i = 1;
  f.instr_valid_i = 0;
  f.chip_rx_valid_i = 0;
  f.rst_ni = 0;
  for (unsigned i = 0; i < reset_cycles; ++i) {
    f.clk_i = 0;
    f.eval();
    f.clk_i = 1;
    f.eval();
  }
  f.rst_ni = 1;
  f.clk_i = 0;
  f.eval();
}

Node::~Node() {
  try {
    close_trace();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nmtwin: node%u: %s\n", id_, e.what());
  }
  fpga_->final();
}

void Node::push_instructions(std::span<const std::uint64_t> words) {
  compact(instr_queue_, instr_head_);
  instr_queue_.insert(instr_queue_.end(), words.begin(), words.end());
}

std::uint64_t Node::systime() const { return fpga_->systime_o; }

bool Node::idle() const {
  return instr_head_ == instr_queue_.size() && chip_up_head_ == chip_up_queue_.size() && fpga_->idle_o &&
         chip_.next_event() == UINT64_MAX;
}

void Node::drain_responses(std::vector<std::uint64_t>& out) {
  out.insert(out.end(), responses_.begin(), responses_.end());
  responses_.clear();
}

// Moves what the chip emitted into the chip_link queue and notes when it next needs a call.
void Node::collect_chip_output() {
  while (chip_.has_output()) chip_up_queue_.push_back(chip_.pop_output());
  chip_next_ = chip_.next_event();
}

void Node::step(std::uint64_t cycles) {
  chip_next_ = chip_.next_event();  // the chip may have been touched directly between steps
  if (trace_) {
    for (std::uint64_t i = 0; i < cycles; ++i) cycle_once<true>();
  } else {
    for (std::uint64_t i = 0; i < cycles; ++i) cycle_once<false>();
  }
}

// One FPGA clock cycle.  Inputs are driven while the clock is low, handshakes are
// sampled from the combinational outputs of that phase, then the rising edge commits.
template <bool traced>
void Node::cycle_once() {
  Vnmtwin_fpga& f = *fpga_;
  const std::uint64_t now = f.systime_o;

  if (now >= chip_next_) {
    chip_.advance(now);
    collect_chip_output();
  }

  const bool instr_valid = instr_head_ < instr_queue_.size();
  f.instr_valid_i = instr_valid;
  if (instr_valid) f.instr_data_i = instr_queue_[instr_head_];
  const bool up_valid = chip_up_head_ < chip_up_queue_.size();
  f.chip_rx_valid_i = up_valid;
  if (up_valid) f.chip_rx_data_i = chip_up_queue_[chip_up_head_];

  f.clk_i = 0;
  f.eval();
  if constexpr (traced) dump_if_in_window(0);

  if (instr_valid && f.instr_ready_o) {
    ++instr_head_;
    ++stats_.instruction_words;
    compact(instr_queue_, instr_head_);
  }
  if (f.resp_valid_o) {
    responses_.push_back(f.resp_data_o);
    ++stats_.response_words;
  }
  if (f.chip_tx_valid_o) {
    chip_.receive(f.chip_tx_data_o, now);
    collect_chip_output();
    ++stats_.chip_down_words;
  }
  if (up_valid && f.chip_rx_ready_o) {
    ++chip_up_head_;
    ++stats_.chip_up_words;
    compact(chip_up_queue_, chip_up_head_);
  }

  f.clk_i = 1;
  f.eval();
  if constexpr (traced) dump_if_in_window(ps_per_cycle / 2);
  ++stats_.cycles;
}

void Node::dump_if_in_window(std::uint64_t phase_ps) {
  const std::uint64_t c = stats_.cycles;
  if (c >= trace_options_.start_cycle && c < trace_options_.end_cycle) trace_->dump(c * ps_per_cycle + phase_ps);
}

void Node::open_trace(const TraceOptions& options) {
  close_trace();
  const auto format = waveform_format(options.path);
  trace_options_ = options;
  trace_fst_path_ = format == WaveFormat::fst ? options.path : options.path + ".tmp.fst";
  trace_ = std::make_unique<VerilatedFstC>();
  fpga_->trace(trace_.get(), 99);
  trace_->open(trace_fst_path_.c_str());
  if (!trace_->isOpen())
    throw std::runtime_error(
        fmt::format("cannot write waveform '{}': check that the directory exists and is writable", trace_fst_path_));
}

void Node::close_trace() {
  if (!trace_) return;
  trace_->close();
  trace_.reset();
  finish_waveform(trace_fst_path_, trace_options_.path);
}

}  // namespace nmtwin::sim
