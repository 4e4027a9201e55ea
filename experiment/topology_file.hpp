#pragma once
// Topology files (docs/topology.md): the nodes (FPGA + chip), switches and links of a
// simulated system, with their latencies, bandwidths and bit-error rates, as TOML.
// Either a built-in shape (`pair`, `ring`, `torus`) or a listed graph. Every problem
// is an InputError naming the file, the line and the fix.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/toml_reader.hpp"
#include "extoll/partition.hpp"
#include "nmtwin/spec.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::apps {

/// The most nodes (FPGAs) of one simulated system, whatever its shape: a ring, a torus,
/// a listed graph, and `nmtwin sim --nodes`.
/// A node costs about 1.5 MB resident (measured with `nmtwin sim`: ring8 23 MB, ring128
/// 201 MB), so 4096 nodes take about 6 GB, and served over UDP they take 8192 ports
/// (node i at PORT + 2i); ids (16 bit, shared with switches) would allow more.
inline constexpr unsigned max_system_nodes = 4096;

/// The longest link latency, per direction: a round trip must stay within the link
/// layer's timeout (docs/network.md).
inline constexpr std::uint64_t max_link_latency_cycles =
    (spec::net::link_timeout_cycles - 2 * spec::net::max_packet_words) / 2;

/// What a link, or a switch, is made of unless a [[link]] says otherwise.
struct LinkParameters {
  std::uint64_t latency_cycles = 32;     ///< wire + serdes, per direction
  double bandwidth_bits_per_cycle = 50;  ///< 6.24 Gb/s FPGA link ≈ 50 bits per 8-ns cycle
  double bit_error_rate = 0;
};

struct TopologyFile {
  std::string origin;  ///< file name, for messages
  std::string shape;   ///< "pair", "ring", "torus", "graph"
  unsigned ring_size = 0;
  std::array<unsigned, 3> torus{};  ///< X, Y, Z
  LinkParameters link;              ///< defaults of every link
  std::uint64_t switch_latency_cycles = 16;
  std::uint64_t seed = 1;                ///< of the bit errors
  std::optional<std::uint64_t> quantum;  ///< cycles; default: the smallest link latency

  // A listed graph ("graph"); empty for the built-in shapes.
  struct End {
    bool is_switch = false;
    unsigned id = 0;
    std::optional<unsigned> port;  ///< a switch port (0..6); default: the next free one
  };
  struct Link {
    End a, b;
    LinkParameters parameters;
    int line = 0;
  };
  std::vector<unsigned> nodes, switches;
  std::vector<Link> links;

  struct Multicast {
    unsigned group = 0;
    std::vector<unsigned> members;  ///< node ids
  };
  std::vector<Multicast> multicast;

  /// An explicit partition over MPI ranks ([partition], docs/topology.md "Partitions"):
  /// the rank of every node and switch, by index (the order of node_ids(), switch_ids()).
  struct PartitionMap {
    unsigned ranks = 1;
    std::vector<unsigned> node_rank, switch_rank;
    int line = 0;  ///< of [partition]
  };
  std::optional<PartitionMap> partition;

  /// Node ids in order: 0..n-1 for the built-in shapes, as listed for a graph.
  std::vector<unsigned> node_ids() const;
  /// Switch ids in order: n..2n-1 for a ring or torus of n, none for a pair, as listed
  /// for a graph.
  std::vector<unsigned> switch_ids() const;
};

TopologyFile parse_topology(std::string_view text, const std::string& origin);
TopologyFile load_topology(const std::string& path);
/// A built-in shape from a short name: "pair", "ring8", "torus2x2x2".
TopologyFile builtin_topology(std::string_view name);
/// A file when one exists at `name_or_path`, else a built-in shape; an InputError
/// naming both when it is neither.
TopologyFile find_topology(const std::string& name_or_path);

/// The system a topology describes: its network (node i is the i-th of node_ids(),
/// ports left open in the file take the next free one) and its quantum.  An
/// InputError names the file for a quantum above the smallest link latency.
sim::SimulationConfig simulation_config(const TopologyFile& topology);

/// The partition the file's [partition] map gives, for `network` =
/// simulation_config(topology).network; an InputError naming the file when it has no map.
extoll::Partition mapped_partition(const TopologyFile& topology, const extoll::NetworkSpec& network);

}  // namespace nmtwin::apps
