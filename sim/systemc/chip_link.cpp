#include "sim/systemc/chip_link.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "nmtwin/spec.hpp"

namespace nmtwin::systemc {

namespace {
constexpr unsigned word_bytes = 8;

std::uint64_t picoseconds(const sc_core::sc_time& t) { return static_cast<std::uint64_t>(t.to_seconds() * 1e12 + 0.5); }
constexpr std::uint64_t cycle_ps = std::uint64_t{spec::cycle_ns} * 1000;
}  // namespace

sc_core::sc_time cycle_period() { return sc_core::sc_time(static_cast<double>(spec::cycle_ns), sc_core::SC_NS); }

std::uint64_t cycle_at(const sc_core::sc_time& t) { return picoseconds(t) / cycle_ps; }

sc_core::sc_time cycle_start(std::uint64_t cycle) { return cycle_period() * static_cast<double>(cycle); }

std::uint64_t fpga_sees_at(const sc_core::sc_time& t) {
  const std::uint64_t ps = picoseconds(t);
  return ps < cycle_ps / 2 ? 0 : (ps - cycle_ps / 2) / cycle_ps + 1;
}

void send_chip_word(tlm::tlm_initiator_socket<chip_link_width>& socket, std::uint64_t word, sc_core::sc_time delay) {
  std::array<unsigned char, word_bytes> bytes{};
  for (unsigned i = 0; i < word_bytes; ++i) bytes[i] = static_cast<unsigned char>(word >> (8 * i));
  tlm::tlm_generic_payload payload;
  payload.set_command(tlm::TLM_WRITE_COMMAND);
  payload.set_address(0);
  payload.set_data_ptr(bytes.data());
  payload.set_data_length(word_bytes);
  payload.set_streaming_width(word_bytes);
  payload.set_byte_enable_ptr(nullptr);
  payload.set_dmi_allowed(false);
  payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  socket->b_transport(payload, delay);
  if (!payload.is_response_ok())
    throw std::runtime_error(fmt::format("{}: the chip link target answered '{}' to word {:#018x}; a chip link "
                                         "target must accept every 8-byte write (docs/systemc.md)",
                                         socket.name(), payload.get_response_string(), word));
}

std::uint64_t receive_chip_word(tlm::tlm_generic_payload& payload) {
  if (payload.get_command() != tlm::TLM_WRITE_COMMAND || payload.get_data_length() != word_bytes ||
      payload.get_byte_enable_ptr() != nullptr) {
    payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    throw std::invalid_argument(fmt::format("chip link transaction of {} bytes ({}): the chip link carries one "
                                            "8-byte write per spec word; send it with send_chip_word()",
                                            payload.get_data_length(),
                                            payload.is_write() ? "write" : "not a write"));
  }
  std::uint64_t word = 0;
  const unsigned char* bytes = payload.get_data_ptr();
  for (unsigned i = 0; i < word_bytes; ++i) word |= std::uint64_t{bytes[i]} << (8 * i);
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
  return word;
}

}  // namespace nmtwin::systemc
