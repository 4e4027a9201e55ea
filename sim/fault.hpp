#pragma once
// Fault injection into the simulated system (simulation only; docs/health.md): what
// `nmtwin sim --fault SPEC` and `nmtwin health --fault SPEC` inject so that the health
// checks can be seen to name each fault.
//
//   stuck_bit:addr=A,bit=B[,value=V][,node=N]  bit B of chip register A (word address,
//                                              docs/registers.md) of node N holds V (0/1;
//                                              default 1) whatever is written
//   dead_link:link=L  or  dead_link:node=N     link L (or node N's link) carries nothing
//   lossy_link:link=L[,ber=X]  or  node=N      packet words on it see bit errors at rate
//                                              X (default 1e-3): CRC errors and link
//                                              retransmissions, nothing lost

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nmtwin::extoll {
struct NetworkSpec;
}

namespace nmtwin::sim {

struct Fault {
  enum class Kind { stuck_bit, dead_link, lossy_link };
  Kind kind = Kind::stuck_bit;
  std::string text;  ///< as given
  // stuck_bit
  unsigned node = 0;
  std::uint32_t addr = 0;
  unsigned bit = 0;
  bool value = true;
  // dead_link, lossy_link: the link, or the one of node `node` when by_node
  bool by_node = false;
  unsigned link = 0;
  double ber = 1e-3;
};

/// Throws std::invalid_argument naming `text` and the accepted forms for a bad spec.
Fault parse_fault(std::string_view text);

/// The links' faults applied to `network` (dead, bit-error rate). Throws
/// std::invalid_argument naming the fault for a link or node the network does not have.
void apply_link_faults(extoll::NetworkSpec& network, std::span<const Fault> faults);

/// The links a fault names (by index) in `network`; throws like apply_link_faults.
std::size_t fault_link(const extoll::NetworkSpec& network, const Fault& fault);

}  // namespace nmtwin::sim
