#pragma once
// One simulated chip system node: the Verilated control FPGA plus the behavioural
// chip model, stepped cycle by cycle in plain C++ (no SystemC inside the loop).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/chip_model.hpp"

class Vnmtwin_fpga;
class VerilatedContext;
class VerilatedFstC;

namespace nmtwin::sim {

/// Which cycles of a node go into its waveform file.
struct TraceOptions {
  std::string path;  ///< `.fst` written directly; `.vcd` converted from FST with fst2vcd on close
  std::uint64_t start_cycle = 0;
  std::uint64_t end_cycle = UINT64_MAX;  ///< exclusive
};

/// Counters of what crossed the node's boundary, for statistics and benchmarks.
struct NodeStats {
  std::uint64_t cycles = 0;
  std::uint64_t instruction_words = 0;
  std::uint64_t response_words = 0;
  std::uint64_t chip_down_words = 0;
  std::uint64_t chip_up_words = 0;
};

class Node {
 public:
  explicit Node(unsigned id = 0);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  unsigned id() const { return id_; }

  /// Queues host instruction words; they enter the FPGA at one word per cycle as it accepts them.
  void push_instructions(std::span<const std::uint64_t> words);

  /// Runs `cycles` FPGA clock cycles.
  void step(std::uint64_t cycles);

  /// Moves the response words produced so far into `out` (appended).
  void drain_responses(std::vector<std::uint64_t>& out);
  bool has_responses() const { return !responses_.empty(); }

  /// True when nothing can change without new host input: no queued words, FPGA idle, chip quiet.
  bool idle() const;

  std::uint64_t cycle() const { return stats_.cycles; }
  std::uint64_t systime() const;
  const NodeStats& stats() const { return stats_; }
  ChipModel& chip() { return chip_; }
  const ChipModel& chip() const { return chip_; }

  /// Starts writing a waveform; the file is complete after close_trace() or destruction.
  void open_trace(const TraceOptions& options);
  void close_trace();

 private:
  template <bool traced>
  void cycle_once();
  void dump_if_in_window(std::uint64_t phase_ps);
  void collect_chip_output();

  unsigned id_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vnmtwin_fpga> fpga_;
  ChipModel chip_;
  std::vector<std::uint64_t> instr_queue_;
  std::size_t instr_head_ = 0;
  std::uint64_t chip_next_ = 0;  ///< cached chip_.next_event(): the loop calls the chip only when due
  std::vector<std::uint64_t> chip_up_queue_;
  std::size_t chip_up_head_ = 0;
  std::vector<std::uint64_t> responses_;
  NodeStats stats_;
  std::unique_ptr<VerilatedFstC> trace_;
  TraceOptions trace_options_;
  std::string trace_fst_path_;
};

}  // namespace nmtwin::sim
