#pragma once
// `nmtwin health` (docs/health.md): the checks operators run on idle hardware, on every
// FPGA of a system reached over Connections — register read/write patterns, counters
// counting, systime advancing, the chip link, the EXTOLL link (traffic over it, its
// error counters, every spike accounted for), ARQ statistics, and the firmware health
// kernel where one is given. A report per check, with the exit status of the whole.

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "extoll/network.hpp"
#include "nmtwin/connection.hpp"

namespace nmtwin::apps {

/// Ordered by severity; the value is the exit status of `nmtwin health`.
enum class HealthStatus { healthy = 0, degraded = 1, failed = 2 };
std::string_view health_status_name(HealthStatus status);

struct HealthCheck {
  unsigned node = 0;
  std::string name;  ///< register_patterns, counters, systime, chip_link, extoll_link, arq, firmware
  HealthStatus status = HealthStatus::healthy;
  bool skipped = false;  ///< not applicable here (no link, no firmware); status healthy
  std::string summary;   ///< one line; names the fault
  std::vector<std::pair<std::string, double>> metrics;  ///< name (Prometheus suffix) -> value
};

struct HealthReport {
  std::string target;
  std::vector<HealthCheck> checks;
  /// Problems of the system as a whole (spike accounting over the links).
  HealthStatus status() const;
};

struct HealthOptions {
  std::string target = "sim:";  ///< for the report
  /// The system's layout: which FPGAs have an EXTOLL link (and where spikes go).
  extoll::NetworkSpec network = extoll::NetworkSpec::unlinked(1);
  /// The switches' unroutable events (in-process); empty for a remote target.
  std::function<std::uint64_t()> unroutable;
  /// The firmware health kernel (health.elf); empty: not run (reported as skipped).
  std::string firmware_elf;
};

/// Runs every check on every FPGA; throws what Connection::run throws when a target
/// does not answer at all (a check that gets wrong answers reports them instead).
HealthReport run_health(std::span<hostlink::Connection* const> fpgas, const HealthOptions& options);

void print_health(std::ostream& out, const HealthReport& report);
std::string health_json(const HealthReport& report);
/// The Prometheus text exposition format (version 0.0.4): every family gauge, with HELP
/// and TYPE, samples labelled by node and check.
std::string health_prometheus(const HealthReport& report);

}  // namespace nmtwin::apps
