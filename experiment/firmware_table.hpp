#pragma once
// The [firmware] table of experiment and scenario files (docs/experiments.md): a kernel
// for the chip's embedded processor, loaded before the start and started at a time or
// periodically; its console, exit code and mailbox words come back with the results.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiment/toml_reader.hpp"
#include "nmtwin/firmware.hpp"

namespace nmtwin::apps {

struct FirmwareRun {
  std::string elf;  ///< the file, found beside the experiment file
  std::shared_ptr<const fw::FirmwareImage> image;
  std::uint64_t at = 0;      ///< first start, FPGA cycles after the experiment start
  std::uint64_t period = 0;  ///< between starts (count > 1)
  std::uint32_t count = 1;
  std::map<std::uint32_t, std::uint32_t> mailbox;  ///< inputs, written before the start
  std::uint64_t max_cycles = 0;                    ///< single start: must have exited by then; 0: no limit
  std::uint32_t watchdog = 0;                      ///< core cycles; 0: off
  std::vector<std::uint32_t> read_mailbox;         ///< words read back (as reads "firmware.mailbox[i]")

  /// The start times (FPGA cycles after the experiment start), ascending.
  std::vector<std::uint64_t> starts() const;
};

/// Parses [firmware] (`node`) of the file the reader reads; ELF problems are InputErrors
/// at the `elf` key.
FirmwareRun parse_firmware(const Reader& r, const toml::node& node);
/// An InputError naming `origin` when a start or the max_cycles check is not before `duration`.
void check_firmware_fits(const FirmwareRun& f, std::uint64_t duration, const std::string& origin);

/// What a Program built from the table reads back.
struct FirmwareTickets {
  fw::PeriodicRun periodic;            ///< the checks before each start after the first
  std::optional<fw::Readout> deadline;  ///< at at + max_cycles
  fw::Readout end;                      ///< at the end of the experiment
};

/// The state of the kernel after the run, for the summary.
struct FirmwareOutcome {
  fw::Result result;
  std::string state;  ///< "exited with code 0", "still running at the end", ...
};
/// Evaluates the tickets; throws FirmwareError (trap, watchdog, overrun, did not finish by
/// max_cycles) naming `where` ("node 0").
FirmwareOutcome firmware_outcome(const FirmwareRun& f, const FirmwareTickets& t, const std::string& where);

}  // namespace nmtwin::apps
