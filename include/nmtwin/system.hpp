// Programs on several FPGAs at once, with a synchronised start (find_package(nmtwin
// COMPONENTS experiment), target nmtwin::experiment; docs/hostlink.md, "Several FPGAs
// with a synchronised start"): the start and poll loop, the root's program started
// last and the systime sync over the global interrupt, for simulated FPGAs
// (nmtwin::sim::Simulator) and hardware alike.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "nmtwin/connection.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::hostlink {

/// Runs programs[i] on fpgas[i], all at once: starts them in index order, then polls
/// each in turn until every one has finished. Throws what Connection::poll throws (the
/// message names the FPGA's endpoint), std::invalid_argument when the sizes differ.
void run_together(std::span<Connection* const> fpgas, std::span<Program> programs);

/// The systime at which a program's experiment timer last started (timer == 0).
class StartSystime {
 public:
  /// Valid once the program has run; throws what Ticket::value throws.
  std::uint64_t value() const;

 private:
  friend StartSystime read_start_systime(Program&);
  Ticket lo_, hi_;
};
/// Appends the reads of the start systime to `program` (after its timed part).
StartSystime read_start_systime(Program& program);

/// A run of one setup and one timed program per FPGA with a common start: every FPGA's
/// systime is set on the same cycle by the global interrupt, and every experiment timer
/// starts on the same cycle, so times of different FPGAs compare directly.
///
///   SynchronizedStart start(tree.latency, tree.root);  // nmtwin::sim::GlobalInterruptTree
///   std::vector<Program> setup(n), timed(n);
///   for (unsigned i = 0; i < n; ++i) {
///     ... configuration into setup[i] ...
///     start.begin_timed(timed[i], i);
///     ... spikes and waits (times after the common start) into timed[i] ...
///   }
///   start.run(fpgas, setup, timed);
class SynchronizedStart {
 public:
  /// `gi_latency[i]`: cycles from the root sending the global interrupt to FPGA i
  /// receiving it; `root`: the FPGA that sends it. Throws std::invalid_argument for a
  /// root outside the system.
  SynchronizedStart(std::span<const std::uint64_t> gi_latency, unsigned root);

  unsigned size() const { return static_cast<unsigned>(delays_.size()); }
  unsigned root() const { return root_; }

  /// Begins FPGA `fpga`'s timed program: the root sends the global interrupt, every FPGA
  /// waits for it, starts its timer and hands the common systime to its chip. Call it
  /// on an empty program, then append the timed part.
  void begin_timed(Program& timed, unsigned fpga) const;

  /// Appends the systime sync to each setup program and runs them on every FPGA to the
  /// end; then runs the timed programs together, the root's started last (the others
  /// already wait for its interrupt). Throws what run_together throws, and
  /// std::invalid_argument when a size differs from size() or a gi_delay is out of
  /// the register's range (hostlink::prepare_systime_sync).
  void run(std::span<Connection* const> fpgas, std::span<Program> setup,
           std::span<Program> timed) const;

 private:
  std::vector<std::uint64_t> delays_;
  unsigned root_;
};

}  // namespace nmtwin::hostlink
