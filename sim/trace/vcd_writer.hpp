#pragma once
// A small VCD writer that GTKWave, its converters (vcd2fst) and sigrok read: scoped
// wires of 1 to 64 bits, value changes given in any order and written in time order
// up to a horizon (everything later than the horizon may still change).  Fixed
// header, no date: the same changes give the same file, byte for byte.

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace nmtwin::sim {

class VcdWriter {
 public:
  /// `timescale_ps`: the unit of the times given (1: picoseconds).
  VcdWriter(const std::string& path, std::string_view comment);
  ~VcdWriter();
  VcdWriter(const VcdWriter&) = delete;
  VcdWriter& operator=(const VcdWriter&) = delete;

  /// Declares a wire in the scope path `scope` ("system.node0"); before the first change.
  unsigned add(const std::string& scope, const std::string& name, unsigned width);
  /// A change at `time_ps` (ps); changes at one time apply in the order given.
  void change(std::uint64_t time_ps, unsigned signal, std::uint64_t value);
  /// Writes every change before `horizon_ps`; no change before it may follow.
  void flush(std::uint64_t horizon_ps);
  /// Writes the rest and the final time; the file is complete.
  void close(std::uint64_t end_ps);
  const std::string& path() const { return path_; }

 private:
  struct Signal {
    std::string scope, name, id;
    unsigned width;
    std::uint64_t value;
  };
  struct Change {
    std::uint64_t time;
    unsigned signal;
    std::uint64_t value;
  };
  void header();
  void put(const Signal& s, std::uint64_t value);

  std::string path_, comment_;
  std::ofstream out_;
  std::vector<Signal> signals_;
  std::vector<Change> pending_;
  bool started_ = false, closed_ = false;
  std::uint64_t written_time_ = 0;
  bool time_written_ = false;
};

}  // namespace nmtwin::sim
