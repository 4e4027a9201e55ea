#pragma once
// A single-chip experiment: chip configuration, register accesses and timed spike
// sources, loaded from a small TOML file (see docs/experiments.md) or built in code.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/firmware_table.hpp"
#include "experiment/toml_reader.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::apps {

/// One register write; `what` names it for messages ("neuron 3 tau_m_ns").
struct RegisterWrite {
  std::uint32_t addr;
  std::uint32_t value;
  std::string what;
};

struct RegisterRead {
  std::uint32_t addr;
  std::string what;
};

/// Spikes of one label at the given times (FPGA cycles after the experiment start).
struct SpikeSource {
  std::uint16_t label;
  std::vector<std::uint64_t> times;
};

struct Experiment {
  std::string name = "experiment";
  std::uint64_t duration = 0;  ///< cycles after the start
  std::string output;          ///< spike CSV path
  std::vector<RegisterWrite> writes;
  std::vector<RegisterRead> reads;
  std::vector<SpikeSource> sources;
  std::optional<FirmwareRun> firmware;  ///< [firmware]: a kernel on the chip's processor

  std::size_t input_spike_count() const;
};

/// Parses an experiment; every error names `origin`, the line and the fix (ExperimentError).
Experiment parse_experiment(std::string_view text, const std::string& origin);
/// Reads and parses a file; a missing or unreadable file is an ExperimentError too.
Experiment load_experiment(const std::string& path);
/// The tables of an experiment other than [experiment] (neuron, row, synapse, write,
/// read, source, route, bucket, firmware), parsed from `table` into `experiment`; a regression
/// scenario has them per chip.
const std::vector<std::string_view>& experiment_sections();
void parse_experiment_sections(const Reader& reader, const toml::table& table, Experiment& experiment);
/// The bus address of the FPGA register of that name (spec/nmtwin.toml), if any.
std::optional<std::uint32_t> fpga_register(std::string_view name);
/// An ExperimentError naming `origin` when a source spikes, or [firmware] starts or
/// checks, at or after the duration.
void check_sources_fit(const Experiment& experiment, const std::string& origin);

/// Every problem of an experiment file (see experiment/toml_reader.hpp).
using ExperimentError = InputError;

/// What the program built from an experiment gives back after it ran.
struct ExperimentProgram {
  hostlink::Program program;
  hostlink::Ticket start_lo, start_hi;  ///< systime at the start (timer == 0)
  std::vector<hostlink::Ticket> reads;  ///< one per Experiment::reads entry
  /// `late_waits` at the end: timed instructions the executor reached after their time
  /// (spikes closer than it plays them, docs/experiments.md "Timing")
  hostlink::Ticket late_waits;
  std::optional<FirmwareTickets> firmware;
};

/// Configuration writes, a timer reset, the timed spikes, a wait to the end, the reads.
ExperimentProgram build_program(const Experiment& experiment);
/// Its parts, for runs that start several FPGAs together: the register writes, a
/// neuron reset and a counter clear, the firmware loaded (held) ...
void append_configuration(hostlink::Program& program, const Experiment& experiment);
/// ... and, after the timer reset, the timed spikes and firmware starts, the wait to the
/// end, the reads and (with firmware) the core held again.
void append_timed_part(ExperimentProgram& out, const Experiment& experiment);

}  // namespace nmtwin::apps
