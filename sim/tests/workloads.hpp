#pragma once
// Fixed simulator workloads that exercise what the Verilated models do in use, for tests
// that run them two ways (test_node_eval: one model evaluation a cycle and two) and for
// bench_node's load (drive_neurons).  Each returns what the run produced as text (spikes,
// reads, the chips' logs, counts): equal texts, equal runs.  Deterministic.

#include <cstdint>
#include <string>

#include "extoll/network.hpp"
#include "nmtwin/program.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim::workload {

/// Node `node`'s FPGA as the host reads it, one line: systime, timer base and every
/// 32- and 48-bit counter (a program over an in-process connection; it runs the system).
std::string fpga_state(Simulation& sim, unsigned node);

/// Weights and output labels that make synapse row 0 drive neurons 0-7 to fire now and
/// then under a spike per microsecond, their spikes sent to the host.
void drive_neurons(hostlink::Program& p);

struct Outcome {
  std::uint64_t node_cycles = 0;  ///< cycles summed over the nodes
  std::string record;             ///< what the run produced, one item a line
};

/// Node 0's processor runs a plasticity-like kernel (chip window, multiply, divide,
/// loads, stores, branches) while the host plays a spike per microsecond into the chip,
/// whose neurons fire, and reads a counter, the processor's status and the mailbox;
/// then the kernel alone for a quarter of `cycles`.  Needs processors.
Outcome processor_and_spikes(Simulation& sim, std::uint64_t cycles);

/// Node 0 with nothing to do: half of `cycles` without a host (its processor held),
/// half connected after a program that put its processor to sleep for good.  Needs processors.
Outcome idle(Simulation& sim, std::uint64_t cycles);

/// ring_nodes nodes on ring_network(): each plays a spike per microsecond, routed by its
/// router and bucket 0 to the next node.
inline constexpr unsigned ring_nodes = 4;
extoll::NetworkSpec ring_network();
Outcome ring(Simulation& sim, std::uint64_t cycles);

}  // namespace nmtwin::sim::workload
