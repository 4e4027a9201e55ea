// Uses the public host API of an installed nmtwin without any FPGA: builds a
// program, addresses node 2 of a multi-node server by URL, and checks that a
// host-only installation refuses sim: with the documented message.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "nmtwin/connect.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"

namespace hl = nmtwin::hostlink;

int check(bool ok, const char* what) {
  if (!ok) std::fprintf(stderr, "host_api: %s\n", what);
  return ok ? 0 : 1;
}

int main() {
  int failures = 0;
  hl::Program p;
  p.write(nmtwin::spec::fpga_reg::scratch, 0x1234ABCD);
  const hl::Ticket scratch = p.read(nmtwin::spec::fpga_reg::scratch);
  hl::write_route(p, {.split = 0, .source = 5, .bucket = 1, .dest_label = 7});
  failures += check(p.size() == 3 && p.encode(1).size() == 6, "a write, a read and a route write encode to 6 words");
  failures += check(!scratch.ready() && !p.has_run(), "nothing is answered before a run");

  const auto url = hl::Url::parse("udp://fpga.lab:5000?node=2");
  failures += check(url.host() == "fpga.lab" && url.port() == 5004 && url.reset_port() == 5005,
                    "node 2 of udp://fpga.lab:5000 is at ports 5004 and 5005");
  try {
    hl::connect("sim:");
    failures += check(false, "connect(\"sim:\") should fail without the simulator");
  } catch (const std::invalid_argument& e) {
    failures += check(std::string(e.what()).find("this program has no in-process simulator") != std::string::npos,
                      e.what());
  }
  std::printf("host_api: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
