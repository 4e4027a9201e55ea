#include "sim/systemc/host_link.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "hostlink/scheme.hpp"
#include "nmtwin/connect.hpp"

namespace nmtwin::systemc {

namespace {
sc_core::sc_time until(hostlink::Clock::time_point deadline, hostlink::Clock::time_point now) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now).count();
  const double limit = (sc_core::sc_max_time() - sc_core::sc_time_stamp()).to_seconds() * 1e9;
  return sc_core::sc_time(std::min(static_cast<double>(ns), limit), sc_core::SC_NS);
}
}  // namespace

void HostLink::send(hostlink::Port port, std::span<const hostlink::Datagram> datagrams) {
  for (const auto& d : datagrams) fpga_.push_datagram(port == hostlink::Port::reset, d);
}

bool HostLink::receive(std::vector<hostlink::Datagram>& out, hostlink::Clock::time_point deadline) {
  if (sc_core::sc_get_current_process_handle().proc_kind() != sc_core::SC_THREAD_PROC_)
    throw std::logic_error(fmt::format("{}: the host library waits in SystemC time; run it from an SC_THREAD "
                                       "(nmtwin::systemc::HostThread)",
                                       endpoint()));
  const std::size_t before = out.size();
  for (;;) {
    fpga_.drain_datagrams(out);
    if (out.size() > before) return true;
    const auto t = now();
    if (t >= deadline) return false;
    sc_core::wait(until(deadline, t), fpga_.datagram_event());
  }
}

std::string HostLink::endpoint() const { return fmt::format("systemc:{}", fpga_.name()); }

hostlink::Clock::time_point HostLink::now() const {
  const auto ns = static_cast<std::int64_t>(sc_core::sc_time_stamp().to_seconds() * 1e9 + 0.5);
  return hostlink::Clock::time_point{} + std::chrono::nanoseconds(ns);
}

std::unique_ptr<hostlink::ArqConnection> connect(Fpga& fpga, hostlink::ConnectOptions options) {
  return std::make_unique<hostlink::ArqConnection>(std::make_unique<HostLink>(fpga), std::move(options));
}

void register_systemc_scheme() {
  hostlink::register_scheme(hostlink::Scheme{
      "systemc", "systemc:NAME (NAME: the hierarchical name of an nmtwin::systemc::Fpga module)", {},
      [](const hostlink::Url& url) -> std::unique_ptr<hostlink::DatagramLink> {
        auto* fpga = dynamic_cast<Fpga*>(sc_core::sc_find_object(url.body.c_str()));
        if (!fpga)
          throw std::invalid_argument(fmt::format("'{}': the simulation has no nmtwin::systemc::Fpga module named "
                                                  "'{}'; give the module's hierarchical name (sc_object::name())",
                                                  url.text, url.body));
        return std::make_unique<HostLink>(*fpga);
      }});
}

}  // namespace nmtwin::systemc
