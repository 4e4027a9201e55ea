#pragma once
// The figures a benchmark prints, also written as JSON when the environment names a
// file, NMTWIN_BENCH_JSON=FILE (scripts/bench sets it and merges the files):
//   {"bench": "bench_node", "figures": [{"name": ..., "value": ..., "unit": ..., "better": "higher"}]}
// Benchmarks print their figures as before; this only keeps them for comparison.

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace nmtwin::bench {

class Report {
 public:
  explicit Report(std::string bench) : bench_(std::move(bench)) {}
  ~Report() { write(); }
  Report(const Report&) = delete;
  Report& operator=(const Report&) = delete;

  /// A figure: `better` is "higher" (rates) or "lower" (times).
  void add(const std::string& name, double value, const std::string& unit, const char* better = "higher") {
    figures_.push_back({name.substr(std::min(name.find_first_not_of(' '), name.size())), value, unit, better});
  }

 private:
  struct Figure {
    std::string name;
    double value;
    std::string unit;
    const char* better;
  };

  static std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + '"';
  }

  void write() const {
    const char* path = std::getenv("NMTWIN_BENCH_JSON");
    if (!path || !*path) return;
    std::FILE* f = std::fopen(path, "w");
    if (!f) {
      fmt::print(stderr, "{}: cannot write NMTWIN_BENCH_JSON='{}': check that its directory exists\n", bench_, path);
      return;
    }
    fmt::print(f, "{{\"bench\": {}, \"figures\": [", quoted(bench_));
    for (std::size_t i = 0; i < figures_.size(); ++i) {
      const Figure& g = figures_[i];
      fmt::print(f, "{}\n  {{\"name\": {}, \"value\": {:.6g}, \"unit\": {}, \"better\": \"{}\"}}", i ? "," : "",
                 quoted(g.name), g.value, quoted(g.unit), g.better);
    }
    fmt::print(f, "\n]}}\n");
    std::fclose(f);
  }

  std::string bench_;
  std::vector<Figure> figures_;
};

}  // namespace nmtwin::bench
