// nmtwin/system.hpp: the start and poll loop of several FPGAs and the synchronised
// start over the global interrupt; experiment/system_runner runs experiments with it.
#include "nmtwin/system.hpp"

#include <fmt/format.h>

#include <chrono>
#include <numeric>
#include <stdexcept>

#include "nmtwin/network_config.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::hostlink {

namespace {

// How long one poll of one FPGA waits before the next FPGA gets its turn.
constexpr auto poll_slice = std::chrono::microseconds(200);

void check_sizes(std::string_view what, std::size_t fpgas, std::size_t programs) {
  if (fpgas != programs)
    throw std::invalid_argument(fmt::format("{}: {} FPGAs, {} programs; give one program per FPGA", what, fpgas,
                                            programs));
}

// Runs programs[i] on fpgas[i], all at once; order[] says in which order they start.
void run_in_order(std::span<Connection* const> fpgas, std::span<Program> programs,
                  std::span<const unsigned> order) {
  for (unsigned i : order) fpgas[i]->start(programs[i]);
  std::vector<bool> done(fpgas.size(), false);
  for (std::size_t left = fpgas.size(); left > 0;) {
    for (unsigned i : order) {
      if (done[i]) continue;
      done[i] = fpgas[i]->poll(programs[i], poll_slice);  // errors name the FPGA's endpoint
      if (done[i]) --left;
    }
  }
}

}  // namespace

void run_together(std::span<Connection* const> fpgas, std::span<Program> programs) {
  check_sizes("run_together", fpgas.size(), programs.size());
  std::vector<unsigned> order(fpgas.size());
  std::iota(order.begin(), order.end(), 0u);
  run_in_order(fpgas, programs, order);
}

std::uint64_t StartSystime::value() const { return (std::uint64_t{hi_.value()} << 32) | lo_.value(); }

StartSystime read_start_systime(Program& program) {
  StartSystime s;
  s.lo_ = program.read(spec::fpga_reg::timer_base_lo);
  s.hi_ = program.read(spec::fpga_reg::timer_base_hi);
  return s;
}

SynchronizedStart::SynchronizedStart(std::span<const std::uint64_t> gi_latency, unsigned root)
    : delays_(gi_delays(gi_latency)), root_(root) {
  if (root >= gi_latency.size())
    throw std::invalid_argument(
        fmt::format("SynchronizedStart: root {} is not one of the {} FPGAs of gi_latency", root, gi_latency.size()));
}

void SynchronizedStart::begin_timed(Program& timed, unsigned fpga) const {
  synchronized_start(timed, fpga == root_);
  timed.systime_sync();  // the chip adopts the synchronised systime
}

void SynchronizedStart::run(std::span<Connection* const> fpgas, std::span<Program> setup,
                            std::span<Program> timed) const {
  if (fpgas.size() != size())
    throw std::invalid_argument(fmt::format(
        "SynchronizedStart::run: {} FPGAs, but gi_latency has {}; give one connection per FPGA of the tree",
        fpgas.size(), size()));
  check_sizes("SynchronizedStart::run (setup)", fpgas.size(), setup.size());
  check_sizes("SynchronizedStart::run (timed)", fpgas.size(), timed.size());
  // The root starts last, so every other FPGA already waits for its interrupt.
  std::vector<unsigned> order;
  for (unsigned i = 0; i < size(); ++i)
    if (i != root_) order.push_back(i);
  order.push_back(root_);
  for (unsigned i = 0; i < size(); ++i) prepare_systime_sync(setup[i], delays_[i], 0);
  run_in_order(fpgas, setup, order);
  run_in_order(fpgas, timed, order);
}

}  // namespace nmtwin::hostlink
