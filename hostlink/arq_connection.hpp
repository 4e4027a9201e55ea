// ArqConnection: a Connection whose words travel in ARQ frames over a
// DatagramLink (UDP to `nmtwin sim` or an FPGA, in-process to the simulator).
#pragma once
#include <cstdint>
#include <memory>

#include "hostlink/arq_transport.hpp"
#include "nmtwin/connection.hpp"

namespace nmtwin::hostlink {

/// The resynchronizing halt's cookie over an exclusive link (DatagramLink::exclusive)
/// unless ConnectOptions::resync_cookie names another.
inline constexpr std::uint16_t exclusive_resync_cookie = 0x5EED;

class ArqConnection : public Connection {
 public:
  /// Takes the link and resets it (below): throws LinkError when nothing answers
  /// or the FPGA is incompatible.
  explicit ArqConnection(std::unique_ptr<DatagramLink> link, ConnectOptions options = {});

  std::string endpoint() const override { return link_->endpoint(); }
  const ConnectionStats& stats() const override { return transport_.stats(); }
  const ArqTransport& transport() const { return transport_; }
  /// A new handshake (the FPGA's ARQ engine restarts, nothing in flight
  /// survives), then a halt whose echo marks where the answers of any program
  /// still running from before end (Connection::resynchronize).
  void reset();

 protected:
  /// After a LinkError (the FPGA stopped answering) the next send resets the link first.
  void send(std::span<const std::uint64_t> words) override;
  bool receive(std::vector<std::uint64_t>& out, Clock::time_point deadline) override;
  Clock::time_point now() const override { return link_->now(); }

 private:
  std::unique_ptr<DatagramLink> link_;
  ArqTransport transport_;
};

}  // namespace nmtwin::hostlink
