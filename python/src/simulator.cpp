// nmtwin.Simulator (the in-process system of a topology), experiment files, regression
// scenarios and firmware on the chips' processors, for Python (docs/python.md).
#include <fmt/format.h>
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "experiment/experiment.hpp"
#include "experiment/runner.hpp"
#include "experiment/scenario.hpp"
#include "nmtwin/elf.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/sim.hpp"
#include "regress/scenario_run.hpp"

namespace {
struct OutcomeSpike {  // Outcome::Spike with a fixed layout for NumPy
  std::uint32_t node;
  std::uint16_t label;
  std::int64_t time;
};
}  // namespace

namespace nmtwin::python {

namespace {

py::array_t<::OutcomeSpike> outcome_spikes(const apps::Outcome& o) {
  py::array_t<::OutcomeSpike> out(static_cast<py::ssize_t>(o.spikes.size()));
  std::memset(out.mutable_data(), 0, static_cast<std::size_t>(out.nbytes()));  // padding too: equal bytes
  auto* d = out.mutable_data();
  for (const auto& s : o.spikes) {
    d->node = s.node;
    d->label = s.label;
    d->time = s.time;
    ++d;
  }
  return out;
}

py::list values(const std::vector<apps::Outcome::Value>& v) {
  py::list out;
  for (const auto& x : v) out.append(py::make_tuple(x.node, x.name, x.value));
  return out;
}

py::dict result_dict(const fw::Result& r) {
  py::dict d;
  d["exited"] = r.exited;
  d["exit_code"] = r.exit_code;
  d["console"] = r.console;
  d["mailbox"] = r.mailbox;
  d["cycles"] = r.cycles;
  d["instret"] = r.instret;
  return d;
}

}  // namespace

void bind_simulator(py::module_& m) {
  py::class_<sim::Simulator>(m, "Simulator",
                             "The simulated system of a topology (a file, or pair, ringN, torusXxYxZ): its FPGAs run "
                             "while a connection to one of them waits for an answer. Use it from the thread that made "
                             "it (Verilated models belong to one thread).")
      .def(py::init([](const std::string& topology) {
             return blocking([&] { return std::make_unique<sim::Simulator>(topology); });
           }),
           py::arg("topology"))
      .def_property_readonly("size", &sim::Simulator::size, "Number of FPGAs.")
      .def("__len__", &sim::Simulator::size)
      .def("connect",
           [](sim::Simulator& s, unsigned fpga, std::optional<hostlink::ConnectOptions> options) {
             return blocking([&] { return s.connect(fpga, options.value_or(hostlink::ConnectOptions{})); });
           },
           py::arg("fpga"), py::arg("options") = py::none(), py::keep_alive<0, 1>(),
           "Connects to FPGA `fpga` (IndexError for one the system does not have).")
      .def_property_readonly(
          "global_interrupt",
          [](const sim::Simulator& s) { return py::make_tuple(s.global_interrupt().root, s.global_interrupt().latency); },
          "(root, latency): the FPGA that sends the global interrupt and the cycles until each FPGA receives it.")
      .def_property_readonly("cycle", &sim::Simulator::cycle, "FPGA cycles simulated so far (8 ns each).");
  m.def("global_interrupt",
        [](const std::string& topology) {
          const auto t = sim::global_interrupt(topology);
          return py::make_tuple(t.root, t.latency);
        },
        py::arg("topology"), "(root, latency) of a topology, without simulating it.");
}

void bind_experiments(py::module_& m) {
  PYBIND11_NUMPY_DTYPE(OutcomeSpike, node, label, time);
  py::class_<apps::Experiment>(m, "Experiment", "A single-chip experiment file (docs/experiments.md).")
      .def_static("load", &apps::load_experiment, py::arg("path"), "Reads an experiment file; InputError names the line.")
      .def_static("parse", &apps::parse_experiment, py::arg("text"), py::arg("origin") = "<string>")
      .def_readonly("name", &apps::Experiment::name)
      .def_readonly("duration", &apps::Experiment::duration, "Cycles after the start.")
      .def_property_readonly("input_spike_count", &apps::Experiment::input_spike_count)
      .def("program",
           [](const apps::Experiment& e) {
             auto built = apps::build_program(e);
             return py::make_tuple(std::move(built.program), built.reads);
           },
           "(Program, [Ticket per [[read]]]): the program `nmtwin run` runs for it.");

  py::class_<apps::RunResult>(m, "RunResult", "What run_experiment gives.")
      .def_property_readonly("spikes", [](const apps::RunResult& r) { return spike_array(r.spikes); },
                             "From the start on, in arrival order (label, systime).")
      .def_readonly("spikes_before_start", &apps::RunResult::spikes_before_start)
      .def_readonly("late_waits", &apps::RunResult::late_waits)
      .def_readonly("start_systime", &apps::RunResult::start_systime)
      .def_readonly("reads", &apps::RunResult::reads)
      .def_readonly("cycles", &apps::RunResult::cycles)
      .def_readonly("endpoint", &apps::RunResult::endpoint)
      .def_property_readonly("firmware", [](const apps::RunResult& r) -> py::object {
        if (!r.firmware) return py::none();
        py::dict d = result_dict(r.firmware->result);
        d["state"] = r.firmware->state;
        return d;
      });
  m.def("run_experiment",
        [](const apps::Experiment& e, const std::string& target, const std::string& trace) {
          apps::RunOptions options;
          options.target = target;
          options.trace = trace;
          return blocking([&] { return apps::run_experiment(e, options); });
        },
        py::arg("experiment"), py::arg("target") = "sim:", py::arg("trace") = "",
        "Runs an experiment as `nmtwin run` does: in-process (sim:) or on a hostlink URL.");

  py::class_<apps::Scenario>(m, "Scenario", "A regression scenario (docs/regressions.md).")
      .def_static("load", &apps::load_scenario, py::arg("path"))
      .def_readonly("name", &apps::Scenario::name)
      .def_readonly("description", &apps::Scenario::description)
      .def_readonly("path", &apps::Scenario::path)
      .def_readonly("golden", &apps::Scenario::golden, "Path of its golden file.")
      .def_readonly("tags", &apps::Scenario::tags)
      .def_readonly("topology", &apps::Scenario::topology)
      .def_readonly("nodes", &apps::Scenario::nodes)
      .def_readonly("duration", &apps::Scenario::duration)
      .def_readonly("seed", &apps::Scenario::seed)
      .def_readonly("load_error", &apps::Scenario::load_error,
                    "Why the file could not be read (empty when it could); such a scenario cannot run.");
  m.def("load_scenarios", &apps::load_scenarios, py::arg("paths"),
        "Every *.toml of the directories and the files given (a broken file comes back with its load_error).");

  py::class_<apps::Outcome>(m, "Outcome", "What a scenario run measured.")
      .def_property_readonly("spikes", &outcome_spikes, "(node, label, time in cycles from the common start).")
      .def_property_readonly("counters", [](const apps::Outcome& o) { return values(o.counters); },
                             "[(node, counter, value)]")
      .def_property_readonly("reads", [](const apps::Outcome& o) { return values(o.reads); }, "[(node, read, value)]")
      .def_readonly("late_waits", &apps::Outcome::late_waits)
      .def("__eq__", [](const apps::Outcome& a, const apps::Outcome& b) { return a == b; });
  m.def("run_scenario",
        [](const apps::Scenario& s, const std::string& target, std::optional<std::uint64_t> seed, unsigned threads) {
          if (!s.load_error.empty()) throw apps::InputError(s.load_error);
          apps::ScenarioRun how;
          how.target = target;
          how.seed = seed.value_or(s.seed);
          how.threads = threads;
          return blocking([&] { return apps::run_scenario(s, how); });
        },
        py::arg("scenario"), py::arg("target") = "sim:", py::arg("seed") = py::none(), py::arg("threads") = 0,
        "Runs a scenario as `nmtwin regress` does (seed: the scenario's own unless given).");
  m.def("golden_text", &apps::golden_text, py::arg("scenario"), py::arg("outcome"), "The golden file's text.");
  m.def("parse_golden", &apps::parse_golden, py::arg("text"), py::arg("origin"));
  m.def("compare", &apps::compare, py::arg("scenario"), py::arg("expected"), py::arg("got"),
        "What differs, in a person's terms; empty when they agree within the scenario's tolerances.");
}

void bind_firmware(py::module_& root) {
  py::module_ m = root.def_submodule("fw", "Firmware on a chip's embedded processor (docs/firmware_host.md).");
  py::class_<fw::FirmwareImage, std::shared_ptr<fw::FirmwareImage>>(m, "FirmwareImage", "A linked RV32IM ELF.")
      .def_readonly("entry", &fw::FirmwareImage::entry)
      .def("symbolize", &fw::FirmwareImage::symbolize, py::arg("pc"), "\"main+0x1c\".");
  m.def("load_elf", [](const std::filesystem::path& p) { return std::make_shared<fw::FirmwareImage>(fw::load_elf(p)); },
        py::arg("path"), "Reads a firmware ELF; ElfError names what is wrong.");
  m.def("run",
        [](hostlink::Connection& c, const fw::FirmwareImage& image, const std::string& name, std::uint64_t max_cycles,
           std::uint32_t watchdog_cycles, const std::map<std::uint32_t, std::uint32_t>& mailbox,
           std::uint32_t mailbox_words, std::uint64_t poll_cycles,
           const std::function<void(std::string)>& console_out) {
          fw::RunOptions o;
          o.name = name;
          o.max_cycles = max_cycles;
          o.watchdog_cycles = watchdog_cycles;
          o.mailbox = mailbox;
          o.mailbox_words = mailbox_words;
          o.poll_cycles = poll_cycles;
          std::function<void(std::string_view)> out;
          if (console_out)
            out = [&](std::string_view text) {
              py::gil_scoped_acquire acquire;
              console_out(std::string(text));
            };
          return result_dict(blocking([&] { return fw::run(c, image, o, out); }));
        },
        py::arg("connection"), py::arg("image"), py::arg("name") = "firmware", py::arg("max_cycles") = 100'000'000,
        py::arg("watchdog_cycles") = 0, py::arg("mailbox") = std::map<std::uint32_t, std::uint32_t>{},
        py::arg("mailbox_words") = spec::chip::ppu_mailbox::count, py::arg("poll_cycles") = 20'000,
        py::arg("console") = py::none(),
        "Loads the image, starts it and polls until the kernel exits: dict(exited, exit_code, console, mailbox, "
        "cycles, instret). FirmwareError for a trap, a watchdog expiry or max_cycles.");
  m.def("hold", &fw::hold, py::arg("program"));
  m.def("load", &fw::load, py::arg("program"), py::arg("image"));
  m.def("start", &fw::start, py::arg("program"));
  m.def("start_at", &fw::start_at, py::arg("program"), py::arg("time"));
  m.def("set_watchdog", &fw::set_watchdog, py::arg("program"), py::arg("cycles"));
  m.def("write_mailbox", [](hostlink::Program& p, std::uint32_t first, const std::vector<std::uint32_t>& words) {
    fw::write_mailbox(p, first, words);
  }, py::arg("program"), py::arg("first"), py::arg("words"));
  m.def("read_mailbox", &fw::read_mailbox, py::arg("program"), py::arg("first"), py::arg("count"));
  m.def("read_status", &fw::read_status, py::arg("program"));
  m.def("read_console", &fw::read_console, py::arg("program"), py::arg("count") = spec::ppu::console_depth);
  m.def("console_text", [](const std::vector<hostlink::Ticket>& pops) { return fw::console_text(pops); },
        py::arg("pops"));
  m.def("cause_name", &fw::cause_name, py::arg("mcause"));
}

}  // namespace nmtwin::python
