#include "hostlink/arq_connection.hpp"

namespace nmtwin::hostlink {

ArqConnection::ArqConnection(std::unique_ptr<DatagramLink> link, ConnectOptions options)
    : link_(std::move(link)), transport_(*link_, std::move(options)) {
  if (transport_.options().resync_cookie)
    fix_resync_cookie(*transport_.options().resync_cookie);
  else if (link_->exclusive())
    fix_resync_cookie(exclusive_resync_cookie);
  reset();
}

void ArqConnection::reset() {
  transport_.handshake();
  resynchronize();
}

void ArqConnection::send(std::span<const std::uint64_t> words) {
  if (!transport_.connected()) reset();
  transport_.send(words);
}

bool ArqConnection::receive(std::vector<std::uint64_t>& out, Clock::time_point deadline) {
  return transport_.receive(out, deadline);
}

}  // namespace nmtwin::hostlink
