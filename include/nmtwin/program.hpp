// Program builder: instructions for one run of the FPGA executor, tickets for
// its reads, and the results once Connection::run has run it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nmtwin/sample.hpp"
#include "nmtwin/spec.hpp"
#include "nmtwin/spike.hpp"
#include "nmtwin/ticket.hpp"

namespace nmtwin::hostlink {

class Program {
 public:
  Program();
  Program(Program&&) noexcept;
  Program& operator=(Program&&) noexcept;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  ~Program();

  void nop();
  void write(std::uint32_t addr, std::uint32_t data, std::uint8_t byte_enable = 0xF);
  /// Tags are allocated in order; before the 65537th read the builder inserts
  /// barrier() so that tags can be reused without ambiguity.
  Ticket read(std::uint32_t addr);
  void timer_reset();
  /// Blocks until the timer reaches `cycles`; wider than spec::systime_bits: std::invalid_argument.
  void wait_until(std::uint64_t cycles);
  void systime_sync();
  /// Any number of labels, packed 3 per instruction, in order.
  void spikes(std::span<const std::uint16_t> labels);
  void spike(std::uint16_t label);
  /// Waits until no register-bus read is outstanding.
  void barrier();
  /// Waits until the next global interrupt fires on this FPGA (docs/multichip.md):
  /// the next instruction executes a fixed number of cycles after the firing (docs/rtl.md).
  void wait_global_interrupt();

  /// Instructions (not words), without the final halt.
  std::size_t size() const;
  /// The word stream for the FPGA, ending with halt(halt_cookie).
  std::vector<std::uint64_t> encode(std::uint16_t halt_cookie) const;
  /// "#12 read 0x80010004 (tag 3)"; index == size() describes the final halt.
  std::string describe(std::size_t index) const;

  // Results, valid after Connection::run.
  bool has_run() const;
  /// Spikes that arrived during the last run, in arrival order.
  const std::vector<Spike>& received_spikes() const;
  /// Membrane samples that arrived during the last run, in arrival order (docs/chip.md
  /// "Sampler": enable them with the chip registers sampler.period_ns and neuron.sample).
  const std::vector<Sample>& received_samples() const;
  /// Systime when the halt executed; std::logic_error before a completed run.
  std::uint64_t halt_systime() const;

 private:
  friend class Connection;
  // The run protocol, driven by Connection::run.
  void begin_run(std::string_view endpoint);
  void accept(const spec::resp::ReadData& answer);
  void accept(const spec::resp::Error& error);
  void accept(const spec::resp::Spike& spike);
  void accept(const spec::resp::Sample& sample);
  /// Records a response that broke the protocol; the run ends in ProtocolError.
  void reject(std::string problem);
  std::size_t missing_answers() const;  // reads neither answered nor failed
  void abandon_run();
  /// Throws RunError / ProtocolError if the run had errors.
  void finish_run(std::uint64_t halt_systime);

  void append(std::uint64_t word);
  std::shared_ptr<detail::ProgramState> state_;
};

}  // namespace nmtwin::hostlink
