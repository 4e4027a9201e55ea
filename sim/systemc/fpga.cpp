#include "sim/systemc/fpga.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace nmtwin::systemc {

Fpga::Fpga(const sc_core::sc_module_name& name, unsigned id)
    : sc_core::sc_module(name), clk_i("clk_i"), chip_down("chip_down"), chip_up("chip_up"), net("net"), node_(id) {
  chip_up.register_b_transport(this, &Fpga::b_transport);
  net.bind(static_cast<LinkEndIf&>(*this));
  node_.attach_chip(this);
  node_.set_datagram_sink([this](std::vector<std::uint8_t>&& d) {
    datagrams_.push_back(std::move(d));
    datagram_event_.notify(sc_core::SC_ZERO_TIME);
  });
  SC_METHOD(cycle);
  sensitive << clk_i.neg();
  dont_initialize();
}

// One FPGA cycle per falling edge; the node's cycle count must follow SystemC time, or
// chip words and link symbols would be stamped with the wrong cycle.
void Fpga::cycle() {
  const std::uint64_t expected = cycle_at(sc_core::sc_time_stamp());
  if (node_.cycle() != expected)
    throw std::runtime_error(fmt::format("{}: falling clock edge at {} is in cycle {}, but the FPGA is at cycle {}; "
                                         "clk_i must be an sc_clock of period {} starting at 0 with the rising edge "
                                         "first",
                                         name(), sc_core::sc_time_stamp().to_string(), expected, node_.cycle(),
                                         cycle_period().to_string()));
  node_.step(1);
}

void Fpga::push_datagram(bool reset_port, std::vector<std::uint8_t> bytes) {
  node_.push_datagram(reset_port, std::move(bytes));
}

void Fpga::drain_datagrams(std::vector<std::vector<std::uint8_t>>& out) {
  for (auto& d : datagrams_) out.push_back(std::move(d));
  datagrams_.clear();
}

void Fpga::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const std::uint64_t word = receive_chip_word(payload);
  const std::uint64_t at = std::max(fpga_sees_at(sc_core::sc_time_stamp() + delay), node_.cycle());
  // Words keep their order; one annotated later than its successor holds that one back.
  up_.push_back({std::max(at, up_.empty() ? 0 : up_.back().cycle), word});
}

void Fpga::receive(std::uint64_t word, std::uint64_t now) {
  // chip_down words leave at the falling edge of their cycle: the time of this call.
  if (now != cycle_at(sc_core::sc_time_stamp()))
    throw std::logic_error(fmt::format("{}: chip_down word of cycle {} sent at {}", name(), now,
                                       sc_core::sc_time_stamp().to_string()));
  send_chip_word(chip_down, word);
}

void Fpga::advance(std::uint64_t now) { now_ = now; }

std::uint64_t Fpga::next_event() const { return up_.empty() ? UINT64_MAX : up_.front().cycle; }

bool Fpga::has_output() const { return !up_.empty() && up_.front().cycle <= now_; }

std::uint64_t Fpga::pop_output() {
  const std::uint64_t word = up_.front().word;
  up_.pop_front();
  return word;
}

void Fpga::connect(double bits_per_cycle) { node_.set_link_bandwidth(bits_per_cycle); }

void Fpga::catch_up(std::uint64_t until) {
  if (node_.cycle() < until)
    throw std::logic_error(fmt::format("{}: a link exchanges at cycle {} but the FPGA is at cycle {}", name(), until,
                                       node_.cycle()));
}

void Fpga::take_sent(std::vector<extoll::Symbol>& out) { node_.net().take_sent(out); }

void Fpga::deliver(const extoll::Symbol& symbol) { node_.net().deliver(symbol); }

}  // namespace nmtwin::systemc
