#pragma once
// The host side of an Fpga module for the unchanged host library: a DatagramLink whose
// datagrams enter the FPGA's UDP payload stream and whose receive() waits in SystemC
// time, so hostlink::ArqConnection, hostlink::Program and everything above them run
// as they do against `nmtwin sim` or hardware.  Host code runs in an SC_THREAD
// (sim/systemc/host_thread.hpp); its timers run on SystemC time, so runs are deterministic.

#include <memory>
#include <string>
#include <systemc>

#include "hostlink/arq_connection.hpp"
#include "hostlink/datagram_link.hpp"
#include "sim/systemc/fpga.hpp"

namespace nmtwin::systemc {

class HostLink : public hostlink::DatagramLink {
 public:
  explicit HostLink(Fpga& fpga) : fpga_(fpga) {}
  void send(hostlink::Port port, std::span<const hostlink::Datagram> datagrams) override;
  using hostlink::DatagramLink::send;
  /// Waits on the FPGA's datagram event or the deadline; only from an SC_THREAD.
  bool receive(std::vector<hostlink::Datagram>& out, hostlink::Clock::time_point deadline) override;
  std::string endpoint() const override;
  /// SystemC time.
  hostlink::Clock::time_point now() const override;
  bool exclusive() const override { return true; }

 private:
  Fpga& fpga_;
};

/// The ARQ connection over a HostLink: the handshake runs at construction (from an SC_THREAD).
std::unique_ptr<hostlink::ArqConnection> connect(Fpga& fpga, hostlink::ConnectOptions options = {});

/// Registers the `systemc:NAME` URL scheme with hostlink::connect: NAME is the
/// hierarchical name of an Fpga module of the running simulation ("systemc:top.fpga").
/// Idempotent.
void register_systemc_scheme();

}  // namespace nmtwin::systemc
