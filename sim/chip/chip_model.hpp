// Behavioural model of the neuromorphic ASIC behind the chip_link: 512 current-based LIF
// neurons, 256 synapse rows of 6-bit weights, the chip register map of spec/nmtwin.toml.
// Event driven: membranes are integrated in closed form between events and each neuron's
// next threshold crossing is predicted, so the cost is per event, never per cycle.
// docs/chip.md gives the equations and the timing conventions.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "nmtwin/spec.hpp"
#include "sim/chip/ppu_port.hpp"
#include "sim/chip/correlation_sensors.hpp"

namespace nmtwin::sim {

struct ChipLocation;  // a decoded chip address (chip_location.hpp, private to the model's sources)

class ChipModel {
 public:
  ChipModel();

  // One chip_down word (cfg_write, cfg_read, spike_in, sync) handed over during cycle `now`.
  // Everything due up to `now` is processed first; the word then acts at `now`.
  // cfg_* produce a cfg_ack in the outbox; an unknown word type is counted and ignored.
  // Throws std::invalid_argument if `now` lies before a cycle already processed.
  void receive(std::uint64_t word, std::uint64_t now);
  // Processes everything due up to and including cycle `now` (firing, loopback).
  void advance(std::uint64_t now);
  // Earliest cycle at which the chip may emit something without new input; UINT64_MAX
  // when quiescent.
  std::uint64_t next_event() const;
  bool has_output() const {
    return !outbox_.empty() && (ppu_pending_.empty() || ppu_pending_.front() != outbox_first_);
  }
  std::uint64_t pop_output();  // chip_up words, FIFO order
  /// Words waiting for the chip link (spikes and register answers): what a stalled FPGA
  /// would let grow.
  std::size_t output_queued() const { return outbox_.size(); }

  // Fault injection (simulation only, sim/fault.hpp): bit `bit` of the chip register at
  // word address `addr` holds `value` whatever is written; host reads see it.
  void stick_bit(std::uint32_t addr, unsigned bit, bool value);

  struct InputEvent {
    std::uint64_t time;  // chip time of arrival
    std::uint16_t label;
  };
  struct SpikeEvent {
    std::uint64_t time;  // chip time of the spike
    std::uint16_t neuron;
    std::uint16_t label;  // output label register bits 15:0, whether output is enabled or not
  };
  const std::vector<InputEvent>& input_log() const { return input_log_; }
  const std::vector<SpikeEvent>& spike_log() const { return spike_log_; }
  /// Chip time minus the cycle count (mod 2^64), as the last sync set it.
  std::uint64_t time_offset() const { return time_offset_; }
  // Membrane of `neuron` at cycle `now` (processes events up to `now`; does not perturb
  // the dynamics).
  double membrane_uv(unsigned neuron, std::uint64_t now);

  struct Counters {
    std::uint64_t inputs = 0;           // spike_in words
    std::uint64_t spikes = 0;           // neuron spikes
    std::uint64_t cfg_writes = 0;       // cfg_write words, accepted or not
    std::uint64_t cfg_reads = 0;        // cfg_read words, accepted or not
    std::uint64_t rejected = 0;         // cfg_* answered with error = 1
    std::uint64_t unknown_words = 0;    // chip_down words of no known type
    std::uint64_t loopbacks = 0;        // spikes delivered to a synapse row by loopback
    std::uint64_t bus_reads = 0;        // processor window reads, faulting or not
    std::uint64_t bus_writes = 0;       // processor window writes, faulting or not
    std::uint64_t bus_faults = 0;       // processor window accesses answered with an access fault
    std::uint64_t samples = 0;          // sample words sent
    std::uint64_t samples_dropped = 0;  // samples the sampler dropped (sampler_dropped, not cleared)
  };
  const Counters& counters() const { return counters_; }
  void set_logging(bool on) { logging_ = on; }

  /// Puts an embedded processor on the chip (nullptr: none; its ppu_* registers are then
  /// rejected).  It must outlive the model or be detached first.
  void attach_ppu(PpuPort* ppu) { ppu_ = ppu; }
  /// The processor answers the oldest host access it was given (PpuPort::host_access);
  /// answers leave the chip in the order the accesses arrived, behind earlier ones.
  void ppu_ack(std::uint64_t id, bool error, std::uint32_t data);
  // The plasticity processor's chip window (docs/chip.md, "Processor window"): an access
  // in cycle `now` to byte `offset` (bits 1:0 ignored: the byte enables `be` select the
  // bytes of the word; 1, 2 or 4 naturally aligned bytes). Reads return the word with the
  // enabled bytes in their lanes and 0 elsewhere. nullopt / false: an access fault
  // (undecoded offset, wrong width, write to a read-only or read of a write-only register,
  // value outside the field's limits); a refused write changes nothing. Acts like a word
  // received in `now` (after the spikes of `now`); throws std::invalid_argument for a
  // cycle already processed.
  std::optional<std::uint32_t> bus_read(std::uint32_t offset, std::uint8_t be, std::uint64_t now);
  bool bus_write(std::uint32_t offset, std::uint32_t data, std::uint8_t be, std::uint64_t now);

  /// The sampler's quantisation (docs/chip.md "Sampler"): V in units of chip.sample_lsb_uv,
  /// rounded to nearest (halves away from zero), saturated to 16-bit two's complement.
  static std::int16_t sample_code(double v_uv);

  // Chip time (spec::systime_bits wide, like systime) corresponding to FPGA cycle `now`.
  std::uint64_t chip_time(std::uint64_t now) const;
  // Cycles from a spike until the looped-back spike reaches its synapse row.
  static constexpr std::uint64_t loopback_delay = 1;

 private:
  struct Neuron {
    // Raw register values indexed by field offset, as written (signed fields sign-extended).
    std::array<std::int64_t, spec::chip::neuron::stride> reg{};
    // Derived parameters (cycles and microvolts).
    double rest = 0;  // leak + bias: where V relaxes to without input
    double threshold = 0, reset = 0, tau_m = 1, tau_syn = 1, kappa = 0, kernel_peak = 0;
    std::uint64_t refractory = 0;  // cycles
    // State: V and I at cycle t. While t < ref_end the neuron is refractory: V is held at
    // reset and evolves freely from ref_end on.
    std::uint64_t t = 0, ref_end = 0;
    double v = 0, i = 0;
    std::uint64_t generation = 0;  // identifies the live entry in the crossing queue
  };
  struct Crossing {
    std::uint64_t cycle;
    std::uint16_t neuron;
    std::uint64_t generation;
  };
  struct Loopback {
    std::uint64_t cycle;
    std::uint8_t row;
  };
  struct Trajectory;  // free evolution from a cycle on, see chip_dynamics.cpp
  struct Sample;      // one cycle of a trajectory

  void catch_up(const char* what, std::uint64_t now);
  void cfg_write(const spec::chip_down::CfgWrite& w, std::uint64_t now);
  void cfg_read(const spec::chip_down::CfgRead& r, std::uint64_t now);
  void ack(std::uint64_t id, bool error, std::uint32_t data);
  // A cfg word for the processor's host side: forwarded, or rejected without a processor.
  bool to_ppu(std::uint64_t id, bool write, std::uint32_t addr, std::uint32_t data, std::uint64_t now);
  static std::optional<ChipLocation> locate(std::uint32_t addr);
  // A configuration access to chip address `addr`: nullopt / false when refused.
  std::optional<std::uint32_t> read_at(std::uint32_t addr) const;
  bool write_at(std::uint32_t addr, std::uint32_t data, std::uint64_t now);
  std::uint32_t stuck(std::uint32_t addr, std::uint32_t value) const;  // with stick_bit's bits forced
  static bool writable(const ChipLocation& at, std::uint32_t data);  // an array element takes `data`
  // The value an array element takes for `data`: nullopt outside its field's limits.
  static std::optional<std::int64_t> element_value(const ChipLocation& at, std::uint32_t data);
  bool write(const ChipLocation& at, std::uint32_t data, std::uint64_t now);
  std::optional<std::uint32_t> read(const ChipLocation& at) const;
  void write_neuron(unsigned n, std::uint32_t offset, std::int64_t value, std::uint64_t now);
  void write_weight(unsigned row, unsigned n, unsigned value);
  void apply_corr();  // corr_ to the sensors
  void write_fault(std::uint32_t offset, std::int64_t value);
  bool reset_correlation(std::uint32_t row);
  bool reset_counters(std::uint32_t neuron);
  void reset_neurons(std::uint64_t now);
  bool dead(unsigned n) const;
  std::optional<std::uint32_t> window_read(std::uint32_t offset, std::uint8_t be) const;
  bool window_write(std::uint32_t offset, std::uint32_t data, std::uint8_t be, std::uint64_t now);

  void write_sampler(std::uint32_t offset, std::int64_t value, std::uint64_t now);
  void schedule_samples(std::uint64_t from);  // next_sample_: the first sampling cycle >= from
  void take_samples(std::uint64_t cycle);

  void spike_in(unsigned row, std::uint64_t now);
  void fire(unsigned n, std::uint64_t cycle);
  void predict(unsigned n);  // next crossing of neuron n from next_cycle_ on
  static void derive(Neuron& nr);
  static void bring_to(Neuron& nr, std::uint64_t cycle);
  static Trajectory trajectory(const Neuron& nr);
  static std::pair<double, double> evolve(const Neuron& nr, const Trajectory& tr, double k);
  static Sample sample(const Neuron& nr, const Trajectory& tr, std::uint64_t k);
  static std::optional<std::uint64_t> first_crossing(const Neuron& nr, std::uint64_t from);
  static std::optional<std::uint64_t> rise(const Neuron& nr, const Trajectory& tr, Sample lo,
                                           std::optional<std::uint64_t> hi);
  void drop_stale();

  std::vector<Neuron> neurons_;
  std::vector<std::uint8_t> weights_;  // row * neurons + neuron
  std::vector<std::uint8_t> inhibitory_;
  // Per row, a bit per neuron with a nonzero weight: an input visits only its targets.
  std::vector<std::array<std::uint64_t, spec::chip::neurons / 64>> targets_;
  std::array<std::uint32_t, spec::chip::registers.size()> registers_{};
  std::vector<std::uint8_t> spike_counts_;  // saturating at 255
  CorrelationSensors sensors_;
  // Raw values of the corr and fault parameter blocks, indexed by field offset.
  std::array<std::int64_t, spec::chip::corr::stride> corr_{};
  std::array<std::int64_t, spec::chip::fault::stride> fault_{};
  std::map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> stuck_bits_;  // addr -> (mask, value)

  // The sampler (docs/chip.md "Sampler"): raw sampler registers, the sampled neurons in
  // neuron order, the next sampling cycle (UINT64_MAX: off) and the cycle from which the
  // up link has sent every sample word handed to it (one word a cycle).
  std::array<std::int64_t, spec::chip::sampler::stride> sampler_{};
  std::vector<std::uint16_t> sampled_;
  std::uint64_t next_sample_ = UINT64_MAX;
  std::uint64_t samples_sent_by_ = 0;

  std::vector<Crossing> crossings_;  // min-heap on (cycle, neuron); stale entries skipped
  std::deque<Loopback> loopbacks_;   // in cycle order (constant delay)
  std::uint64_t next_cycle_ = 0;     // first cycle not processed yet
  std::uint64_t time_offset_ = 0;    // chip time - cycle (mod 2^64), set by sync

  std::deque<std::uint64_t> outbox_;
  std::uint64_t outbox_first_ = 0;            // sequence number of outbox_.front()
  std::deque<std::uint64_t> ppu_pending_;     // sequence numbers of acks the processor owes
  PpuPort* ppu_ = nullptr;
  std::vector<InputEvent> input_log_;
  std::vector<SpikeEvent> spike_log_;
  bool logging_ = true;
  Counters counters_;
};

}  // namespace nmtwin::sim
