#include "hostlink/datagram_link.hpp"

namespace nmtwin::hostlink {

DatagramLink::~DatagramLink() = default;

}  // namespace nmtwin::hostlink
