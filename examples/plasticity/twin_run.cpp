#include "twin_run.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "kernel_mailbox.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/spec.hpp"
#include "rstdp/rstdp_mailbox.h"

namespace nmtwin::plasticity {

namespace {

using hostlink::Program;
using hostlink::Ticket;

std::uint32_t weight_addr(unsigned row, unsigned n) {
  return spec::chip::bus_addr(spec::chip::weight::addr(row * spec::chip::neurons + n, spec::chip::weight::value));
}

std::vector<Ticket> read_weights(Program& prog, const TaskParams& p) {
  std::vector<Ticket> t;
  for (unsigned q = 0; q < outputs; ++q)
    for (unsigned r = 0; r < p.rows; ++r)
      for (unsigned j = 0; j < outputs; ++j) t.push_back(prog.read(weight_addr(p.row_first[q] + r, p.neuron[j])));
  return t;
}

Weights weights_of(const std::vector<Ticket>& t, const TaskParams& p) {
  Weights w;
  std::size_t i = 0;
  for (unsigned q = 0; q < outputs; ++q)
    for (unsigned r = 0; r < p.rows; ++r, i += outputs)
      w[q].push_back({static_cast<std::uint8_t>(t[i].value()), static_cast<std::uint8_t>(t[i + 1].value())});
  return w;
}

// The trial's spikes: one wait and one packed spike instruction per slot that has any.
void present(Program& prog, const Trial& trial) {
  std::vector<std::uint16_t> labels;
  for (std::size_t i = 0; i < trial.spikes.size(); ++i) {
    labels.push_back(trial.spikes[i].row);
    if (i + 1 < trial.spikes.size() && trial.spikes[i + 1].cycle == trial.spikes[i].cycle) continue;
    prog.wait_until(trial_lead + trial.spikes[i].cycle);
    prog.spikes(labels);
    labels.clear();
  }
}

}  // namespace

TwinRun run_on_twin(hostlink::Connection& fpga, const fw::FirmwareImage& image, const std::string& elf_name,
                    const TaskParams& p, const std::function<void(const TrialRecord&)>& progress) {
  if (auto problem = check(p); !problem.empty()) throw std::invalid_argument("plasticity task: " + problem);
  // A kernel that runs away is stopped before the next trial could begin.
  const auto watchdog = static_cast<std::uint32_t>(p.period - p.kernel_at);
  const fw::Context context{elf_name, fpga.endpoint(), watchdog};
  {
    Program setup;
    for (const ChipWrite& w : chip_setup(p)) setup.write(spec::chip::bus_addr(w.addr), w.value);
    fw::load(setup, image);
    fw::set_watchdog(setup, watchdog);
    fw::write_mailbox(setup, 0, mailbox_setup(p));
    setup.barrier();
    fpga.run(setup);
  }
  TwinRun run;
  CoDesignCheck reference(p);
  TrialSource source(p);
  for (unsigned t = 0; t < p.trials; ++t) {
    const Trial trial = source.next();
    Program prog;
    fw::hold(prog);  // resets the core; memories and mailbox stay
    const std::array<std::uint32_t, 1> pattern{trial.pattern};
    fw::write_mailbox(prog, RSTDP_PATTERN, pattern);
    prog.timer_reset();
    present(prog, trial);
    fw::start_at(prog, trial_lead + p.kernel_at);
    prog.wait_until(trial_lead + p.period);
    const fw::Readout out = fw::read_outcome(prog, 0, RSTDP_WORDS, 0);
    const auto weights = read_weights(prog, p);
    fpga.run(prog);

    const fw::Result result = fw::evaluate(out, image, context);
    if (!result.exited)
      throw fw::timeout_error(result, context, p.period - p.kernel_at, fw::Status::decode(out.status.value()).sleeping);
    if (result.exit_code != RSTDP_EXIT_OK)
      throw std::runtime_error(
          fmt::format("{}: trial {}: the kernel exited with {}: {}", elf_name, t, result.exit_code, result.console));
    const KernelReport report = read_report(result.mailbox, p, t);
    run.weights = weights_of(weights, p);
    if (auto diff = reference.after_trial(report, run.weights); !diff.empty())
      run.mismatches.push_back(fmt::format("trial {}: {}", t, diff));
    run.longest_kernel_cycles = std::max(run.longest_kernel_cycles, result.cycles);
    run.records.push_back(report.record);
    if (progress) progress(report.record);
  }
  return run;
}

}  // namespace nmtwin::plasticity
