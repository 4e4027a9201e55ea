#pragma once
// The system-level waveform (docs/waves.md): a VCD of what is not RTL, on the same
// time axis as the nodes' Verilator traces (picoseconds, spec::cycle_ps per FPGA cycle;
// cycle c from the rising clock edge half a cycle before c * cycle_ps, as the RTL's
// registers show it):
//   system.nodeI: systime, chip input and output spikes (label + a pulse), bucket
//     flushes (bucket + a pulse), delay-buffer occupancy per split, drops and
//     error responses (pulses);
//   system.linkK_FROM_to_TO: the packet on the wire (valid while its words are sent,
//     source, destination, words, sequence number, a retransmission, corrupted by
//     bit errors on the way).
// It watches a Simulation from construction to close(): every quantum it collects
// what the nodes observed and the links carried. On a system split over ranks every
// rank collects what its nodes observed and the links it sends on carried, and rank 0
// writes it all (construction, every quantum and close() are then collective); the file
// is the one of the run in one process, byte for byte.  write_gtkw() writes a GTKWave save
// file that opens the node traces and this file with signals grouped by node and link.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/simulation.hpp"
#include "sim/trace/vcd_writer.hpp"

namespace nmtwin::sim {

class SystemTrace {
 public:
  SystemTrace(Simulation& simulation, const std::string& path);
  ~SystemTrace();
  SystemTrace(const SystemTrace&) = delete;
  SystemTrace& operator=(const SystemTrace&) = delete;

  void close();
  const std::string& path() const { return vcd_.path(); }

 private:
  struct NodeSignals {
    std::vector<unsigned> id;  // VCD signal of each entry of the node signal table
    std::size_t inputs_seen = 0, spikes_seen = 0;
    int fill_count[2] = {0, 0};
    std::uint64_t last_systime_cycle = 0;
  };
  struct LinkSignals {
    std::vector<unsigned> id;  // of each entry of the link signal table
    std::vector<std::uint64_t> packet;  // words of the packet being sent
    std::uint64_t first_cycle = 0;
    bool corrupt = false;
    std::uint8_t high = 0;  // after the highest sequence number sent
  };
  void collect(std::uint64_t cycle);
  void link_traffic(std::size_t link, unsigned from, std::span<const extoll::Symbol> sent,
                    std::span<const extoll::Symbol> arriving);
  void pulse(unsigned signal, std::uint64_t cycle);
  void change(std::uint64_t time_ps, unsigned signal, std::uint64_t value);

  struct Change {
    std::uint64_t time_ps, value;
    unsigned signal;
  };

  Simulation& sim_;
  // On rank 0 of a split system (and in one process) the file; the other ranks send
  // their changes there every quantum (`outbox_`) and write to /dev/null.
  bool sends_ = false;
  VcdWriter vcd_;
  std::vector<Change> outbox_;
  std::vector<NodeSignals> nodes_;
  std::vector<LinkSignals> links_;  // 2 per link
  std::vector<ObservedEvent> scratch_;
  bool closed_ = false;
};

/// GTKWave save files for a traced run in `dir`: `path` opens the system VCD with
/// signals grouped by node and link; DIR/nodeI.gtkw opens node I's FST with its
/// ports grouped by interface (GTKWave shows one dump file per window; the time
/// axes are the same).
void write_gtkw(const std::string& path, const Simulation& simulation, const std::string& dir);
/// GTKWave save file `save` for node `node`'s waveform `wave` (its FPGA's ports grouped by
/// interface and, with `processor`, the processor's retired instructions and state).
void write_node_gtkw(const std::string& save, const std::string& wave, unsigned node, std::uint64_t cycles,
                     bool processor);

}  // namespace nmtwin::sim
