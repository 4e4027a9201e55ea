// A host program as a user writes one: talks to the FPGA named by NMTWIN_TARGET
// (a `nmtwin sim` or hardware), checks its registers and plays timed spikes into the
// chip. Exit code 0 when everything is as expected.
#include <cstdio>
#include <exception>

#include "nmtwin/connect.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"

namespace spec = nmtwin::spec;

int main() {
  try {
    auto fpga = nmtwin::hostlink::connect_from_env("udp://127.0.0.1:5000");
    nmtwin::hostlink::Program p;
    p.write(spec::fpga_reg::counter_clear, 1);
    p.write(spec::fpga_reg::scratch, 0x1234ABCD);
    auto scratch = p.read(spec::fpga_reg::scratch);
    p.timer_reset();
    for (std::uint64_t t = 100; t <= 1000; t += 100) {
      p.wait_until(t);
      p.spike(0);
    }
    p.wait_until(1100);  // the last spike has reached the chip
    auto spikes = p.read(spec::fpga_reg::spikes_to_chip);
    fpga->run(p);
    std::printf("%s: scratch 0x%08x, spikes to the chip %u\n", fpga->endpoint().c_str(), scratch.value(),
                spikes.value());
    if (scratch.value() != 0x1234ABCD || spikes.value() != 10) {
      std::fprintf(stderr, "check_fpga: expected scratch 0x1234abcd and 10 spikes\n");
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "check_fpga: %s\n", e.what());
    return 1;
  }
}
