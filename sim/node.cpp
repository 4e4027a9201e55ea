#include "sim/node.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "Vnmtwin_top.h"
#include "Vnmtwin_top___024root.h"
#include "nmtwin/spec.hpp"
#include "sim/reset_model.hpp"
#include "sim/trace/system_trace.hpp"
#include "sim/trace/waveform.hpp"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace nmtwin::sim {

namespace {
constexpr unsigned reset_cycles = 4;
constexpr std::uint64_t ps_per_cycle = spec::cycle_ps;

// The rising edge in one evaluation: Verilator finds an edge against the clock's value at
// the model's last evaluation (a member of its root, Verilator 5), so that is set low first.
// busy_clk_i rises with clk_i; `busy` false hides its edge from Verilator the same way
// (its last value set high), so that only the counters' registers take the edge
// (rtl/nmtwin_top.sv, docs/rtl.md "Gating"); a waveform still shows it rise.
void rising_edge(Vnmtwin_top& f, bool busy) {
  f.rootp->__Vtrigrprev__TOP__clk_i = 0;
  f.clk_i = 1;
  f.rootp->__Vtrigrprev__TOP__busy_clk_i = !busy;
  f.busy_clk_i = 1;
  f.eval();
}

// Drops the consumed front of a queue once it is empty, so queues never grow without bound.
template <typename T>
void compact(std::vector<T>& queue, std::size_t& head) {
  if (head == queue.size()) {
    queue.clear();
    head = 0;
  } else if (head >= 1024 && 2 * head >= queue.size()) {
    // A queue that never quite empties (a host always a little ahead) must not grow.
    queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(head));
    head = 0;
  }
}
}  // namespace

bool gating_by_default() {
  const char* no = std::getenv("NMTWIN_NO_GATING");
  return no == nullptr || *no == '\0' || std::string_view(no) == "0";
}

Node::Node(unsigned id, bool processor) : id_(id) {
  // Verilator 5.006's runtime notes the context last built in a plain global
  // (Verilated::s_lastContextp), written by every VerilatedContext and every model
  // constructor: NodeThreads builds nodes on several threads at once, so one node's
  // Verilator objects are built at a time (ThreadSanitizer found the race).
  static std::mutex verilator_construction;
  std::lock_guard lock(verilator_construction);
  context_ = std::make_unique<VerilatedContext>();
  // The models are Verilated single-threaded: without this the context would start
  // Verilator's thread pool, hardware_concurrency() - 1 idle threads for every node.
  context_->threads(1);
  context_->traceEverOn(true);
  context_->randReset(0);  // deterministic: every X becomes 0
  fpga_ = std::make_unique<Vnmtwin_top>(context_.get(), fmt::format("node{}", id).c_str());
  auto& f = *fpga_;
  f.udp_tx_tready_i = 1;
  f.chip_tx_ready_i = 1;
  f.udp_rx_tvalid_i = 0;
  f.chip_rx_valid_i = 0;
  reset_model(f, reset_cycles);
  if (processor) ppu_ = std::make_unique<Ppu>(*context_, chip_, fmt::format("node{}_ppu", id));
}

Ppu& Node::ppu() {
  if (!ppu_) throw std::logic_error(fmt::format("node{} was built without its processor", id_));
  return *ppu_;
}

const Ppu& Node::ppu() const { return const_cast<Node*>(this)->ppu(); }

Node::~Node() {
  try {
    close_trace();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nmtwin: node%u: %s\n", id_, e.what());
  }
  fpga_->final();
}

void Node::set_ack_delay(std::uint32_t cycles) {
  fpga_->ack_delay_i = cycles;
  settled_ = false;  // an input changed: the next edge is evaluated in full
}

void Node::push_datagram(bool reset_port, std::vector<std::uint8_t> bytes) {
  compact(rx_queue_, rx_head_);
  rx_queued_bytes_ += bytes.size() + 8;
  rx_queue_.push_back({reset_port, std::move(bytes)});
}

std::uint64_t Node::systime() const { return fpga_->systime_o; }

bool Node::idle() const {
  return rx_head_ == rx_queue_.size() && chip_up_head_ == chip_up_queue_.size() && fpga_->idle_o &&
         (port_ ? port_->next_event() : chip_.next_event()) == UINT64_MAX && net_.idle();
}

void Node::drain_datagrams(std::vector<std::vector<std::uint8_t>>& out) {
  for (auto& d : tx_done_) out.push_back(std::move(d));
  tx_done_.clear();
}

// Moves what the chip emitted into the chip_link queue and notes when it next needs a call.
void Node::collect_chip_output() {
  with_chip([this](auto& chip) {
    while (chip.has_output()) chip_up_queue_.push_back(chip.pop_output());
    chip_next_ = chip.next_event();
  });
}

void Node::take_observed(std::vector<ObservedEvent>& out) {
  out.insert(out.end(), observed_.begin(), observed_.end());
  observed_.clear();
}

void Node::step(std::uint64_t cycles) {
  chip_next_ = with_chip([](auto& chip) { return chip.next_event(); });  // touched between steps
  net_next_ = net_.next_arrival();  // the network delivered between steps
  const std::uint64_t end = stats_.cycles + cycles;
  if (trace_ || observing_) {
    // Observed events come from activity, which a warp has none of; the waveform gets
    // every cycle of its window, so warps stop where the window starts.
    while (stats_.cycles < end) {
      const std::uint64_t until = warp_ ? untraced_until(end) : stats_.cycles;
      if (until > stats_.cycles + 1 && can_warp())
        warp(until);
      else
        cycle_once<true>();
    }
  } else if (warp_) {
    while (stats_.cycles < end)
      if (can_warp())
        warp(end);
      else
        cycle_once<false>();
  } else {
    while (stats_.cycles < end) cycle_once<false>();
  }
}

// The FPGA only counts for at least two cycles from this one (its horizon), nothing
// waits to enter it, and the link port neither delivers now nor needs driving.
bool Node::can_warp() const {
  const Vnmtwin_top& f = *fpga_;
  return f.horizon_o > 1 && rx_head_ == rx_queue_.size() && chip_up_head_ == chip_up_queue_.size() &&
         net_next_ > stats_.cycles && !(f.net_tx_valid_o || f.net_rx_ctl_valid_o || f.net_rx_credit_o || f.gi_o ||
                                        f.gi_meas_o || f.udp_tx_tvalid_o || f.chip_tx_valid_o);
}

// The first cycle from now on (at most `end`) that goes into the waveform: a warp must
// not run into it.  A systime window counts in systime, which advances with the cycles
// (a systime sync load needs activity, which ends a warp); the dump after a cycle's
// rising edge shows the next cycle's systime, so that cycle is dumped already.
std::uint64_t Node::untraced_until(std::uint64_t end) const {
  const std::uint64_t now = stats_.cycles;
  if (!trace_) return end;
  const bool systime = trace_options_.systime_window;
  const std::uint64_t t = systime ? std::uint64_t{fpga_->systime_o} : now;
  if (t >= trace_options_.end_cycle) return end;
  if (t + (systime ? 1 : 0) >= trace_options_.start_cycle) return now;
  return std::min(end, now + (trace_options_.start_cycle - t) - (systime ? 1 : 0));
}

std::uint64_t Node::horizon() const {
  const std::uint64_t now = stats_.cycles;
  const std::uint64_t chip = port_ ? port_->next_event() : chip_.next_event();
  const std::uint64_t net = net_.next_arrival();  // the network may have delivered since the last step
  if (!warp_ || !net_.idle() || net <= now || chip <= now || !can_warp()) return 0;
  return std::min({std::uint64_t{fpga_->horizon_o}, chip - now, net - now, untraced_until(UINT64_MAX) - now});
}

// Cycles now .. stop - 1 as one rising edge of the FPGA with warp_i = stop - now - 1
// (rtl/nmtwin_top.sv): within its horizon the FPGA only counts, its inputs stay idle
// and its outputs stay quiet.  The chip, and with it the processor, still runs every
// cycle it is due, exactly as in cycle_once(); its first output ends the warp on that
// cycle, which then runs stepped (the chip has had its call for that cycle).
void Node::warp(std::uint64_t end) {
  Vnmtwin_top& f = *fpga_;
  const std::uint64_t now = stats_.cycles;
  std::uint64_t stop = std::min({end, net_next_, now + f.horizon_o});
  for (std::uint64_t t = std::max(now, chip_next_); t < stop; t = std::max(t + 1, chip_next_)) {
    with_chip([t](auto& chip) { chip.advance(t); });
    collect_chip_output();
    if (chip_up_head_ != chip_up_queue_.size()) {
      chip_next_ = std::max(chip_next_, t + 1);  // cycle t has had its call, as in cycle_once()
      stop = t;
      break;
    }
  }
  if (stop == now) return;
  f.udp_rx_tvalid_i = 0;
  f.chip_rx_valid_i = 0;
  if (observing_) {
    // An event counted in the first cycle (a registered pulse of the cycle before) is
    // observed as cycle_once() would; the later cycles have none.
    f.clk_i = 0;
    f.eval();
    if (f.net_events_o || f.error_o) observed_.push_back({now, f.net_events_o, bool(f.error_o)});
  }
  f.warp_i = static_cast<std::uint32_t>(stop - now - 1);
  rising_edge(f, true);
  f.warp_i = 0;
  settled_ = true;  // a full edge within the horizon, inputs idle
  warped_ += stop - now;
  stats_.cycles = stop;
}

// One FPGA clock cycle.  Inputs are driven while the clock is low, handshakes are
// sampled, then the rising edge commits.  Every output the node samples comes from
// flip-flops (only net_events_o, which the traced cycle reads, depends on inputs), so
// after the last rising edge it already shows this cycle's value: untraced, the cycle
// skips the evaluation with the clock low and evaluates once, at the rising edge.
// Verilator finds an edge against the clock's value at the model's last evaluation,
// so that value is set low first (a member of the Verilated model's root, Verilator 5);
// traced, the cycle evaluates both phases, for the waveform.  test_node_eval checks
// that both give the same run.
template <bool traced>
void Node::cycle_once() {
  Vnmtwin_top& f = *fpga_;
  // The chip model and the link port run on the cycle count, which never jumps;
  // systime may (systime sync loads a preset).
  const std::uint64_t now = stats_.cycles;

  if (now >= chip_next_) {
    with_chip([now](auto& chip) { chip.advance(now); });
    collect_chip_output();
  }

  // UDP payload in: byte lane 0 carries the first byte of the datagram.
  const bool rx_valid = rx_head_ < rx_queue_.size();
  std::size_t rx_bytes = 0;
  f.udp_rx_tvalid_i = rx_valid;
  if (rx_valid) {
    const Inbound& d = rx_queue_[rx_head_];
    rx_bytes = std::min<std::size_t>(8, d.bytes.size() - rx_offset_);
    std::uint64_t data = 0;
    for (std::size_t i = 0; i < rx_bytes; ++i) data |= std::uint64_t{d.bytes[rx_offset_ + i]} << (8 * i);
    f.udp_rx_tdata_i = data;
    f.udp_rx_tkeep_i = static_cast<std::uint8_t>((1u << rx_bytes) - 1);
    f.udp_rx_tlast_i = rx_offset_ + rx_bytes == d.bytes.size();
    f.udp_rx_port_i = d.reset_port;
  }
  const bool up_valid = chip_up_head_ < chip_up_queue_.size();
  f.chip_rx_valid_i = up_valid;
  if (up_valid) f.chip_rx_data_i = chip_up_queue_[chip_up_head_];

  // The link port: driven only while something is due or the RTL uses its link, so a
  // node without network traffic pays a few comparisons a cycle.  The RTL's link
  // outputs depend on registers only: after the last rising edge they already show
  // this cycle's values.
  const bool net =
      now >= net_next_ || f.net_tx_valid_o || f.net_rx_ctl_valid_o || f.net_rx_credit_o || f.gi_o || f.gi_meas_o;
  NetPortDrive drive;
  if (net) {
    drive = net_.drive(now);
    f.net_rx_valid_i = drive.rx_valid;
    f.net_rx_data_i = drive.rx_data;
    f.net_rx_last_i = drive.rx_last;
    f.net_tx_ready_i = drive.tx_ready;
    f.net_tx_ctl_valid_i = drive.tx_ctl_valid;
    f.net_tx_ctl_nak_i = drive.tx_ctl_nak;
    f.net_tx_ctl_seq_i = drive.tx_ctl_seq;
    f.net_tx_credit_i = drive.tx_credit;
    f.gi_i = drive.gi;
    f.gi_meas_i = drive.measure;
  }

  // Gating (docs/rtl.md "Gating"): with a horizon, idle inputs and no output the node
  // takes (can_warp()'s rule for one cycle, written with this cycle's flags: calling a
  // shared predicate here reads the outputs again, +2 % host instructions idle), the
  // rising edge changes nothing but counters, once the registers have settled
  // (one such edge given in full: a registered pulse falls, a FIFO's read port turns
  // fresh); then the registers on busy_clk_i (all others) need not evaluate it.
  const bool quiet = gating_ && f.horizon_o > 0 && !rx_valid && !up_valid && !net && !f.udp_tx_tvalid_o &&
                     !f.chip_tx_valid_o;
  const bool busy = !(quiet && settled_);
  settled_ = quiet;
  if constexpr (traced) {
    f.clk_i = f.busy_clk_i = 0;
    f.eval();
    if (trace_) dump_if_in_window(0);
    if (observing_ && (f.net_events_o || f.error_o)) observed_.push_back({now, f.net_events_o, bool(f.error_o)});
  }

  if (rx_valid && f.udp_rx_tready_o) {
    rx_offset_ += rx_bytes;
    if (rx_offset_ == rx_queue_[rx_head_].bytes.size()) {
      ++stats_.datagrams_in;
      stats_.bytes_in += rx_offset_;
      rx_queued_bytes_ -= rx_offset_ + 8;
      std::vector<std::uint8_t>().swap(rx_queue_[rx_head_].bytes);  // freed now, not when the queue empties
      rx_offset_ = 0;
      ++rx_head_;
      compact(rx_queue_, rx_head_);
    }
  }
  if (f.udp_tx_tvalid_o) {  // tready is always high: the host side never stalls the FPGA
    const std::uint64_t data = f.udp_tx_tdata_o;
    for (unsigned i = 0; i < 8; ++i)
      if (f.udp_tx_tkeep_o & (1u << i)) tx_current_.push_back(static_cast<std::uint8_t>(data >> (8 * i)));
    if (f.udp_tx_tlast_o) {
      ++stats_.datagrams_out;
      stats_.bytes_out += tx_current_.size();
      if (sink_)
        sink_(std::move(tx_current_));
      else
        tx_done_.push_back(std::move(tx_current_));
      tx_current_.clear();
    }
  }
  if (f.chip_tx_valid_o) {
    with_chip([&](auto& chip) { chip.receive(f.chip_tx_data_o, now); });
    collect_chip_output();
    ++stats_.chip_down_words;
  }
  if (net) {
    net_.sample(now, drive,
                {.tx_valid = bool(f.net_tx_valid_o),
                 .tx_last = bool(f.net_tx_last_o),
                 .tx_data = f.net_tx_data_o,
                 .rx_ready = bool(f.net_rx_ready_o),
                 .rx_ctl_valid = bool(f.net_rx_ctl_valid_o),
                 .rx_ctl_nak = bool(f.net_rx_ctl_nak_o),
                 .rx_ctl_seq = f.net_rx_ctl_seq_o,
                 .rx_credit = bool(f.net_rx_credit_o),
                 .gi = bool(f.gi_o),
                 .measure = bool(f.gi_meas_o)});
    net_next_ = net_.next_arrival();
  }
  if (up_valid && f.chip_rx_ready_o) {
    ++chip_up_head_;
    ++stats_.chip_up_words;
    compact(chip_up_queue_, chip_up_head_);
  }

  gated_ += !busy;
  rising_edge(f, busy);
  if constexpr (traced)
    if (trace_) dump_if_in_window(ps_per_cycle / 2);
  // Back to idle link inputs after the edge; the next cycle drives them again if due.
  if (net) f.net_rx_valid_i = f.net_tx_ctl_valid_i = f.net_tx_credit_i = f.gi_i = f.gi_meas_i = 0;
  ++stats_.cycles;
}

// The FST writer keeps every value change of a block in memory, a byte per bit, and packs
// the block when it is flushed; by default only at 128 MB or at the end.  A block of
// 4096 cycles stays in the processor's cache and spares the buffer's reallocations:
// `nmtwin run examples/demo.toml --trace` takes 32.5 ms instead of 44 ms (2 048 cycles:
// 35 ms, 8 192: 34 ms), for a file 2 % larger.  Blocks end at fixed cycles, so the
// file stays the same from run to run.
constexpr std::uint64_t trace_block_cycles = 4096;

void Node::dump_if_in_window(std::uint64_t phase_ps) {
  const std::uint64_t c = stats_.cycles;
  const std::uint64_t t = trace_options_.systime_window ? std::uint64_t{fpga_->systime_o} : c;
  if (t >= trace_options_.start_cycle && t < trace_options_.end_cycle) {
    trace_->dump(c * ps_per_cycle + phase_ps);
    if (phase_ps != 0 && c % trace_block_cycles == trace_block_cycles - 1) trace_->flush();
  }
}

TraceTrigger parse_trace_trigger(std::string_view text) {
  if (text == "none") return TraceTrigger::none;
  if (text == "error") return TraceTrigger::error;
  if (text == "drop") return TraceTrigger::drop;
  throw std::invalid_argument(fmt::format("trace trigger '{}': use error (first error response) or drop (first "
                                          "dropped event)",
                                          text));
}

std::string_view trace_trigger_name(TraceTrigger trigger) {
  return trigger == TraceTrigger::error ? "error response" : trigger == TraceTrigger::drop ? "dropped event" : "none";
}

std::uint64_t first_trigger(const std::vector<ObservedEvent>& events, TraceTrigger trigger) {
  const std::uint64_t drop_bits = spec::counter::loss_mask48;
  for (const auto& e : events)
    if ((trigger == TraceTrigger::error && e.error) || (trigger == TraceTrigger::drop && (e.counters & drop_bits)))
      return e.cycle;
  return UINT64_MAX;
}

void Node::open_trace(const TraceOptions& options) {
  close_trace();
  const auto format = waveform_format(options.path);
  trace_options_ = options;
  trace_fst_path_ = format == WaveFormat::fst ? options.path : options.path + ".tmp.fst";
  trace_ = std::make_unique<VerilatedFstC>();
  fpga_->trace(trace_.get(), 99);
  if (ppu_) ppu_->trace(*trace_);
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
  // Beside it, a save file that opens it with the signals grouped (the processor's too).
  write_node_gtkw(std::filesystem::path(trace_options_.path).replace_extension(".gtkw").string(), trace_options_.path,
                  id_, stats_.cycles, ppu_ != nullptr);
}

}  // namespace nmtwin::sim
