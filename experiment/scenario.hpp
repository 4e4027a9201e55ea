#pragma once
// Regression scenarios (docs/regressions.md): a data file names a topology, the
// experiment each chip runs, a seed, tags and tolerances; the expected results —
// spike trace, counters, register read-backs — live in a golden file beside it that
// `nmtwin regress --update-golden` writes.  Every problem is an InputError naming the
// file, the line and the fix.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/experiment.hpp"

namespace nmtwin::apps {

struct Scenario {
  std::string name;  ///< [scenario] name, or the file's stem
  std::string description;
  std::string path;    ///< of the scenario file
  std::string golden;  ///< of its golden file: golden/NAME.golden beside it
  std::vector<std::string> tags;
  std::string topology;  ///< file (resolved) or built-in name; empty: one FPGA without links
  unsigned nodes = 1;
  std::vector<std::uint16_t> node_ids{0};
  std::uint64_t duration = 0;  ///< cycles after the synchronised start
  std::uint64_t seed = 1;      ///< of the links' bit errors and of the host-side impairment
  std::string impair;          ///< impairment of the host transport (ARQ), e.g. "loss=0.05"
  /// Late waits (timed instructions played after their time) are an ERROR unless allowed.
  bool allow_late_waits = false;
  std::vector<std::string> counters;  ///< FPGA registers read on every node at the end
  std::vector<Experiment> chips;      ///< one per node
  struct Tolerance {
    std::uint64_t spike_time_cycles = 0;
    std::map<std::string, std::int64_t> counters;  ///< allowed deviation; -1: any value
  } tolerance;

  /// Why the file could not be read (file:line and the fix); such a scenario is an
  /// ERROR in every run, whatever the tags, so that a broken file is never skipped.
  std::string load_error;

  bool has_tag(std::string_view tag) const;
};

Scenario parse_scenario(std::string_view text, const std::string& path);
Scenario load_scenario(const std::string& path);
/// Every *.toml of the directories (sorted by name) and the files given; a file
/// that cannot be read comes back with its load_error; an InputError for a name used
/// twice or a path that does not exist.
std::vector<Scenario> load_scenarios(const std::vector<std::string>& paths);

/// What a run gave: spikes of every chip from the common start on (in cycles),
/// counters and read-backs per node.  Ordered, so equal runs compare equal.
struct Outcome {
  struct Spike {
    unsigned node = 0;
    std::uint16_t label = 0;
    std::int64_t time = 0;
    friend bool operator==(const Spike&, const Spike&) = default;
  };
  struct Value {
    unsigned node = 0;
    std::string name;
    std::uint64_t value = 0;
    friend bool operator==(const Value&, const Value&) = default;
  };
  std::vector<Spike> spikes;
  std::vector<Value> counters, reads;
  /// Per node: timed instructions the FPGA played late (measured; not in the golden file).
  std::vector<std::uint64_t> late_waits;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

/// An ERROR message when the outcome has late waits the scenario does not allow; empty otherwise.
std::string late_wait_error(const Scenario& scenario, const Outcome& outcome);

/// The golden file's text: a line per read, counter and spike.
std::string golden_text(const Scenario& scenario, const Outcome& outcome);
/// Parses it back; an InputError names the file and line of a malformed one.
Outcome parse_golden(std::string_view text, const std::string& origin);

/// What differs between the expected and the measured outcome, in a person's
/// terms (the counter and its values, the first divergent spike); empty when they
/// agree within the scenario's tolerances.
std::vector<std::string> compare(const Scenario& scenario, const Outcome& expected, const Outcome& got);

}  // namespace nmtwin::apps
