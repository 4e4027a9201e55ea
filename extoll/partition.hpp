#pragma once
// A simulated system split over MPI ranks (docs/topology.md, "Partitions"): every node
// and every switch lives on exactly one rank; the links whose ends are on different
// ranks are cut, and the smallest latency of a cut link is the lookahead, the longest
// quantum between ranks.  Made by a partitioner (contiguous blocks, or groups of short
// links) or from an explicit map; deterministic: the same network and arguments give
// the same partition.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extoll/network.hpp"

namespace nmtwin::extoll {

struct Partition {
  unsigned ranks = 1;
  std::vector<unsigned> node_rank;     ///< per node index
  std::vector<unsigned> switch_rank;   ///< per switch index
  std::vector<std::size_t> cut_links;  ///< indices into NetworkSpec::links whose ends are on different ranks, ascending
  std::vector<std::pair<unsigned, unsigned>> cut_ranks;  ///< per cut link: the ranks of its ends a and b
  std::uint64_t lookahead = unreachable;                 ///< smallest latency of a cut link (unreachable when none)
  std::vector<std::vector<unsigned>> peers;  ///< peers[r]: the ranks r shares a cut link with, ascending (symmetric)

  unsigned rank_of(const LinkEnd& end) const {
    return end.is_switch ? switch_rank.at(end.index) : node_rank.at(end.index);
  }
  /// One line per rank: its node and switch indices and the cut links it has an end of
  /// (runs as first-last, with their count), and its peers:
  /// "rank 0: nodes 0-3 (4), switches 0-3 (4), cut links 11, 15 (2), peers 1".
  std::string describe() const;
};

enum class Partitioner {
  contiguous,  ///< nodes in index order in blocks of near-equal size; a switch with its nearest node
  locality,    ///< groups joined by the shortest links first, packed onto the least-loaded rank
  /// nodes and switches dealt out in a fixed shuffled order, round robin: the worst split
  /// (most links cut, neighbours apart), for testing that results do not depend on it
  scattered,
};

/// "contiguous", "locality"; nullopt for anything else.
std::optional<Partitioner> parse_partitioner(std::string_view name);

/// Throws std::invalid_argument for no rank, or more ranks than nodes.
Partition make_partition(const NetworkSpec& spec, unsigned ranks, Partitioner how);

/// An explicit map (node_rank, switch_rank given): checked and completed (cut links,
/// lookahead, peers); throws std::invalid_argument naming the node or switch by its id
/// (a rank out of range, a rank without nodes, a list of the wrong length).
Partition partition_from_map(const NetworkSpec& spec, unsigned ranks, std::vector<unsigned> node_rank,
                             std::vector<unsigned> switch_rank);

}  // namespace nmtwin::extoll
