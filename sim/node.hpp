#pragma once
// One simulated chip system node: the Verilated control FPGA (ARQ engine + core) plus
// the behavioural chip model, stepped cycle by cycle in plain C++ (no SystemC inside
// the loop).  Its host side is the UDP payload stream: whole datagrams in and out.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/chip/chip_model.hpp"
#include "sim/chip/chip_port.hpp"
#include "sim/net_port.hpp"
#include "sim/ppu/ppu.hpp"

class Vnmtwin_top;
class VerilatedContext;
class VerilatedFstC;

namespace nmtwin::sim {

/// Which cycles of a node go into its waveform file.
struct TraceOptions {
  std::string path;  ///< `.fst` written directly; `.vcd` converted from FST with fst2vcd on close
  std::uint64_t start_cycle = 0;
  std::uint64_t end_cycle = UINT64_MAX;  ///< exclusive
  bool systime_window = false;           ///< start and end are systime values, not cycle counts

  /// Records only from `pre` cycles before `cycle` to `post` after it.
  void around(std::uint64_t cycle, std::uint64_t pre, std::uint64_t post) {
    start_cycle = cycle > pre ? cycle - pre : 0;
    end_cycle = cycle + post;
    systime_window = false;
  }
};

/// Observation of the FPGA for the system-level waveform (sim/trace/system_trace): the
/// cycles on which counter events (bit i: the i-th 48-bit counter of the spec) or an
/// error response happened.
struct ObservedEvent {
  std::uint64_t cycle = 0;
  std::uint64_t counters = 0;
  bool error = false;
};

/// What starts a triggered waveform (docs/waves.md): the runners find the trigger's
/// cycle in a first run without waveforms, then run again (runs are deterministic)
/// with the window around it.
enum class TraceTrigger { none, error, drop };
/// "error" or "drop" (or "none"); std::invalid_argument naming the text otherwise.
TraceTrigger parse_trace_trigger(std::string_view text);
/// "error response" or "dropped event", for messages.
std::string_view trace_trigger_name(TraceTrigger trigger);
/// The cycle of the first event of that kind, or UINT64_MAX.  Drops: an increment of a
/// counter the spec tags `loss` (spec::counter::loss_mask48: expired or full in a delay
/// buffer, router losses, packets with CRC errors).
std::uint64_t first_trigger(const std::vector<ObservedEvent>& events, TraceTrigger trigger);

/// Whether nodes gate (Node::set_gating) unless told otherwise: true, or false when the
/// environment variable NMTWIN_NO_GATING is set to anything but "0" (to rule gating out
/// when a result looks wrong; the results are the same either way).
bool gating_by_default();

/// Counters of what crossed the node's boundary, for statistics and benchmarks.
struct NodeStats {
  std::uint64_t cycles = 0;
  std::uint64_t datagrams_in = 0, bytes_in = 0;
  std::uint64_t datagrams_out = 0, bytes_out = 0;
  std::uint64_t chip_down_words = 0;
  std::uint64_t chip_up_words = 0;
};

class Node {
 public:
  /// `processor`: the chip carries its embedded processor (docs/firmware.md); false only
  /// to measure what it costs (bench_node).
  explicit Node(unsigned id = 0, bool processor = true);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  unsigned id() const { return id_; }

  /// Queues a UDP payload from the host for the data port or the reset port; it enters
  /// the FPGA 8 bytes per cycle as the FPGA accepts them.
  void push_datagram(bool reset_port, std::vector<std::uint8_t> bytes);
  /// Bytes of host datagrams queued and not yet taken whole by the FPGA, each datagram
  /// counted with 8 more (a beat at least, for an empty one). A server stops reading its
  /// sockets above a bound, so that a host that sends faster than the FPGA takes costs no
  /// memory (the kernel's socket buffer holds the rest, and drops and counts beyond it).
  std::size_t queued_bytes() const { return rx_queued_bytes_; }

  /// Runs `cycles` FPGA clock cycles.  With warp on (the default), stretches in which
  /// nothing but counters can change run as one evaluation of the FPGA (docs/performance.md,
  /// "Warp"); the result is the same as stepping every cycle.
  void step(std::uint64_t cycles);

  /// The ARQ engine's delayed ACK in FPGA cycles: 0 (default) the hardware's
  /// spec delayed_ack_cycles (62 500); a smaller value for a host that counts wall-clock
  /// time (`nmtwin sim`, docs/protocol.md "Time in a simulated FPGA").  Larger values
  /// act as 0.  Same value, same run.
  void set_ack_delay(std::uint32_t cycles);

  /// Warp on (default) or off (`--no-warp`: every cycle is evaluated).
  void set_warp(bool on) { warp_ = on; }
  bool warp() const { return warp_; }
  /// Gating on (default) or off (NMTWIN_NO_GATING=1): in a stepped cycle that changes
  /// nothing but counters, only the counters' registers evaluate the clock edge
  /// (docs/rtl.md "Gating"); the result is the same either way.
  void set_gating(bool on) { gating_ = on; }
  bool gating() const { return gating_; }
  /// How many cycles from the current one the whole node would only count through without
  /// new input from the host or the network: the FPGA's horizon, the chip's next event and
  /// the link port's next arrival (0 while anything is queued or warp is off).  The
  /// system jumps all nodes by their common minimum (Simulation::run).
  std::uint64_t horizon() const;
  /// Cycles run as part of a warp rather than stepped (statistics).
  std::uint64_t warped_cycles() const { return warped_; }
  /// Stepped cycles in which only the counters' registers evaluated the edge (gating).
  std::uint64_t gated_cycles() const { return gated_; }

  /// Moves the datagrams the FPGA sent so far into `out` (appended).
  void drain_datagrams(std::vector<std::vector<std::uint8_t>>& out);
  /// From now on hands every datagram to `sink` on the cycle its last byte leaves the
  /// FPGA, instead of keeping it for drain_datagrams(): a server answers mid-quantum, so
  /// the round trip does not wait for the end of the quantum.  An empty sink restores
  /// drain_datagrams().
  using DatagramSink = std::function<void(std::vector<std::uint8_t>&&)>;
  void set_datagram_sink(DatagramSink sink) { sink_ = std::move(sink); }
  bool has_datagrams() const { return !tx_done_.empty(); }

  /// True when nothing can change without new host input: no queued datagrams, FPGA idle
  /// (no ARQ timer running either), chip quiet.
  bool idle() const;

  std::uint64_t cycle() const { return stats_.cycles; }
  std::uint64_t systime() const;
  const NodeStats& stats() const { return stats_; }
  /// The built-in chip model (unused while a ChipPort is attached).
  ChipModel& chip() { return chip_; }
  const ChipModel& chip() const { return chip_; }
  /// The chip's embedded processor (docs/firmware.md); it belongs to the built-in model.
  /// std::logic_error for a node built without one.
  Ppu& ppu();
  bool has_processor() const { return ppu_ != nullptr; }
  const Ppu& ppu() const;
  /// Writes the processor's commit log to `path` from now on (empty: stop).
  void open_commit_log(const std::string& path) { ppu().open_commit_log(path); }
  /// Puts `port` behind the chip_link instead of the built-in model (nullptr: the built-in
  /// model again).  The port must outlive the node or be detached first.
  void attach_chip(ChipPort* port) { port_ = port; }
  /// The node's EXTOLL link port: the network delivers into it and collects from it
  /// between quanta.
  NetPort& net() { return net_; }
  /// Sets the link bandwidth the port paces its sending to (bits per cycle).
  void set_link_bandwidth(double bits_per_cycle) { net_ = NetPort(bits_per_cycle); }

  /// Records ObservedEvents from now on (costs a few comparisons a cycle).
  void observe(bool on) { observing_ = on; }
  /// Moves what was observed since the last call into `out` (appended).
  void take_observed(std::vector<ObservedEvent>& out);

  /// Starts writing a waveform; the file is complete after close_trace() or destruction.
  void open_trace(const TraceOptions& options);
  void close_trace();

 private:
  template <bool traced>
  void cycle_once();
  bool can_warp() const;
  std::uint64_t untraced_until(std::uint64_t end) const;
  void warp(std::uint64_t end);
  void dump_if_in_window(std::uint64_t phase_ps);
  /// fn(chip) on the attached port or, without one, on the built-in model (no virtual call).
  template <typename Fn>
  decltype(auto) with_chip(Fn&& fn) {
    return port_ ? fn(*port_) : fn(chip_);
  }
  void collect_chip_output();

  unsigned id_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vnmtwin_top> fpga_;
  ChipModel chip_;
  std::unique_ptr<Ppu> ppu_;  ///< after chip_: attached to it, destroyed first
  ChipPort* port_ = nullptr;
  NetPort net_;
  std::uint64_t net_next_ = UINT64_MAX;  ///< cached net_.next_arrival(): the loop drives the port only when due
  struct Inbound {
    bool reset_port;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<Inbound> rx_queue_;
  std::size_t rx_head_ = 0;               ///< datagram being fed
  std::size_t rx_offset_ = 0;             ///< its next byte
  std::size_t rx_queued_bytes_ = 0;       ///< queued_bytes()
  std::vector<std::uint8_t> tx_current_;  ///< datagram being received from the FPGA
  std::vector<std::vector<std::uint8_t>> tx_done_;
  DatagramSink sink_;
  std::uint64_t chip_next_ = 0;  ///< cached chip_.next_event(): the loop calls the chip only when due
  std::vector<std::uint64_t> chip_up_queue_;
  std::size_t chip_up_head_ = 0;
  NodeStats stats_;
  bool warp_ = true;
  bool gating_ = gating_by_default();
  std::uint64_t warped_ = 0;
  std::uint64_t gated_ = 0;
  bool settled_ = false;  ///< the last edge was given in full or gated, in a quiet cycle (gating)
  bool observing_ = false;
  std::vector<ObservedEvent> observed_;
  std::unique_ptr<VerilatedFstC> trace_;
  TraceOptions trace_options_;
  std::string trace_fst_path_;
};

}  // namespace nmtwin::sim
