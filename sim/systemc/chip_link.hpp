#pragma once
// The chip link in SystemC terms (docs/systemc.md): one TLM-2.0 blocking transport
// per spec word, each direction its own socket pair, and the mapping between
// SystemC time and FPGA cycles.
//
// A transaction is a write of one 8-byte word (spec chip_down / chip_up, little-endian
// byte order) to address 0.  The word is on the link at sc_time_stamp() + delay.  The
// FPGA samples the link at the middle of its cycle (the falling clock edge): a chip_up
// word sent before the middle of cycle c is seen in cycle c, one sent at or after it in
// c + 1.  chip_down words leave the FPGA at the middle of the cycle they belong to.

#include <cstdint>
#include <systemc>
#include <tlm>

namespace nmtwin::systemc {

/// Bus width of the chip link sockets: one 64-bit spec word per transaction.
inline constexpr unsigned chip_link_width = 64;

/// One FPGA clock cycle (spec::cycle_ns).
sc_core::sc_time cycle_period();
/// The cycle a time falls in: floor(t / cycle_period()).
std::uint64_t cycle_at(const sc_core::sc_time& t);
/// Start of cycle `c` (the rising clock edge).
sc_core::sc_time cycle_start(std::uint64_t cycle);
/// The cycle in which the FPGA sees a chip_up word that is on the link at time `t`.
std::uint64_t fpga_sees_at(const sc_core::sc_time& t);

/// Sends `word` through `socket`; throws std::runtime_error naming the socket when the
/// target does not answer TLM_OK_RESPONSE.
void send_chip_word(tlm::tlm_initiator_socket<chip_link_width>& socket, std::uint64_t word,
                    sc_core::sc_time delay = sc_core::SC_ZERO_TIME);
/// The word a chip link transaction carries; sets TLM_OK_RESPONSE.  A transaction that
/// is not an 8-byte write gets TLM_COMMAND_ERROR_RESPONSE and std::invalid_argument.
std::uint64_t receive_chip_word(tlm::tlm_generic_payload& payload);

}  // namespace nmtwin::systemc
