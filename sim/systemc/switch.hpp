#pragma once
// An EXTOLL switch (extoll::Switch: 7 ports, link layer per port, routing, multicast,
// global interrupt tree) as a SystemC module.  Each port is a LinkEndIf export for a
// Link; the switch runs when a link brings it up to date, so it costs nothing while
// its links are quiet.  Routing tables come with the config: extoll::Network builds
// them for a topology (`extoll::Network(spec).switch_at(i).config()`).

#include <array>
#include <optional>
#include <systemc>

#include "extoll/switch.hpp"
#include "sim/systemc/link_end.hpp"

namespace nmtwin::systemc {

class Switch : public sc_core::sc_module {
 public:
  sc_core::sc_vector<sc_core::sc_export<LinkEndIf>> ports;  ///< extoll::Switch::ports of them

  Switch(const sc_core::sc_module_name& name, const extoll::SwitchConfig& config);

  /// The switch model (statistics); exists from the start of the simulation on.
  const extoll::Switch& model() const;

 private:
  class PortEnd : public LinkEndIf {
   public:
    void connect(double bits_per_cycle) override;
    void catch_up(std::uint64_t until) override;
    void take_sent(std::vector<extoll::Symbol>& out) override;
    void deliver(const extoll::Symbol& symbol) override;
    Switch* owner = nullptr;
    unsigned port = 0;
  };
  void start_of_simulation() override;

  extoll::SwitchConfig config_;  // ports connected by links, with their bandwidth
  std::array<PortEnd, extoll::Switch::ports> ends_;
  std::optional<extoll::Switch> switch_;
};

}  // namespace nmtwin::systemc
