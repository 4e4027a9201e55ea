#include "sim/systemc/switch.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace nmtwin::systemc {

Switch::Switch(const sc_core::sc_module_name& name, const extoll::SwitchConfig& config)
    : sc_core::sc_module(name), ports("ports", extoll::Switch::ports), config_(config) {
  config_.connected = {};  // the links bound to the ports say which are used
  for (unsigned p = 0; p < extoll::Switch::ports; ++p) {
    ends_[p].owner = this;
    ends_[p].port = p;
    ports[p].bind(ends_[p]);
  }
}

const extoll::Switch& Switch::model() const {
  if (!switch_)
    throw std::logic_error(fmt::format("{}: the switch model exists from the start of the simulation on", name()));
  return *switch_;
}

void Switch::start_of_simulation() { switch_.emplace(config_); }

void Switch::PortEnd::connect(double bits_per_cycle) {
  owner->config_.connected[port] = true;
  owner->config_.bits_per_cycle[port] = bits_per_cycle;
}

void Switch::PortEnd::catch_up(std::uint64_t until) { owner->switch_->advance(until); }

void Switch::PortEnd::take_sent(std::vector<extoll::Symbol>& out) { owner->switch_->take_sent(port, out); }

void Switch::PortEnd::deliver(const extoll::Symbol& symbol) { owner->switch_->deliver(port, symbol); }

}  // namespace nmtwin::systemc
