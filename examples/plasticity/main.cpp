// examples/plasticity: reward-modulated STDP learns a two-pattern task on the twin, with
// the weight updates computed by the firmware kernel on the chip's processor
// (README.md here). Exit code 0 when the target (19 of the latest 20 trials rewarded)
// is reached and every trial's weights equal the host reference's.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "nmtwin/connect.hpp"
#include "nmtwin/elf.hpp"
#include "nmtwin/sim.hpp"
#include "plots.hpp"
#include "twin_run.hpp"

namespace pl = nmtwin::plasticity;

namespace {

constexpr std::string_view usage =
    "usage: plasticity [-o DIR] [--seed N] [--trials N] [--target URL] [--elf FILE] [--no-plots]\n"
    "  -o DIR        results: trials.csv, weights.csv, learning.png/.svg, weights.png/.svg (default: plasticity)\n"
    "  --seed N      trials and noise (default 1)\n"
    "  --trials N    at most N trials (default 300)\n"
    "  --target URL  the FPGA (default: $NMTWIN_TARGET, else sim:)\n"
    "  --elf FILE    the kernel (default: the build's firmware/rstdp.elf)\n"
    "  --no-plots    CSV files only\n";

std::uint64_t number(std::string_view option, const std::string& text) {
  std::size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-')
    throw std::invalid_argument(fmt::format("{} '{}': give a non-negative whole number", option, text));
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "plasticity", target, elf = NMTWIN_RSTDP_ELF;
  bool plots = true;
  pl::TaskParams p;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string_view a = argv[i];
      const auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(fmt::format("{} needs a value", a));
        return argv[++i];
      };
      if (a == "-o")
        dir = value();
      else if (a == "--seed")
        p.seed = number(a, value());
      else if (a == "--trials")
        p.trials = static_cast<unsigned>(number(a, value()));
      else if (a == "--target")
        target = value();
      else if (a == "--elf")
        elf = value();
      else if (a == "--no-plots")
        plots = false;
      else if (a == "-h" || a == "--help") {
        std::cout << usage;
        return 0;
      } else
        throw std::invalid_argument(fmt::format("unknown argument '{}'", a));
    }
  } catch (const std::exception& e) {
    std::cerr << "plasticity: " << e.what() << "\n" << usage;
    return 2;
  }
  try {
    nmtwin::sim::register_sim_scheme();
    const auto image = nmtwin::fw::load_elf(elf);
    auto fpga = target.empty() ? nmtwin::hostlink::connect_from_env("sim:") : nmtwin::hostlink::connect(target);
    fmt::print("plasticity: seed {}, up to {} trials on {}, kernel {}\n", p.seed, p.trials, fpga->endpoint(), elf);
    const pl::TwinRun run = pl::run_on_twin(*fpga, image, elf, p, [](const pl::TrialRecord& r) {
      if ((r.trial + 1) % 50 == 0)
        fmt::print("  trial {}: {} of the latest 20 rewarded\n", r.trial + 1, r.recent_correct);
    });
    pl::write_results(dir, p, run.records, run.weights);
    if (plots) pl::write_plots(dir, p, std::cout);
    const int reached = pl::target_reached(run.records);
    fmt::print("results in {}: trials.csv, weights.csv\n", dir);
    if (reached >= 0)
      fmt::print("target reached at trial {}: 19 or more of the latest 20 trials rewarded\n", reached);
    else
      fmt::print("target NOT reached: at most {} of 20 trials in a row rewarded\n", run.records.back().recent_correct);
    if (run.mismatches.empty())
      fmt::print(
          "co-design check: after each of the {} kernel runs the chip's weights equal the host reference's "
          "(longest run {} core cycles)\n",
          run.records.size(), run.longest_kernel_cycles);
    for (const auto& m : run.mismatches) fmt::print("co-design MISMATCH {}\n", m);
    return reached >= 0 && run.mismatches.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "plasticity: " << e.what() << "\n";
    return 1;
  }
}
