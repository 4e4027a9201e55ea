// nmtwin.Program, Ticket, Connection, connect(), several FPGAs with a synchronised start
// and the inter-chip path's helpers: the public host API (include/nmtwin/) for Python.
#include <fmt/format.h>
#include <pybind11/chrono.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "nmtwin/connect.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/system.hpp"

namespace nmtwin::python {

using hostlink::Connection;
using hostlink::Program;
using hostlink::Ticket;

namespace {

py::array_t<std::uint64_t> to_array(const std::vector<std::uint64_t>& v) {
  py::array_t<std::uint64_t> out(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

/// Labels from any sequence or array of integers, each checked against the 16-bit field.
std::vector<std::uint16_t> labels_of(const py::handle& obj) {
  const py::array arr = py::array::ensure(obj);
  if (!arr) throw py::type_error("Program.spikes: labels must be a sequence or array of integers");
  if (arr.size() == 0) return {};
  const char kind = arr.dtype().kind();
  if (kind != 'i' && kind != 'u')
    throw py::type_error(fmt::format("Program.spikes: labels must be integers, got an array of dtype {}",
                                     std::string(py::str(arr.dtype()))));
  const auto values = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(arr);
  if (values.ndim() != 1)
    throw std::invalid_argument(fmt::format("Program.spikes: labels must be one-dimensional, got {} dimensions",
                                            values.ndim()));
  std::vector<std::uint16_t> out;
  out.reserve(static_cast<std::size_t>(values.size()));
  const auto* data = values.data();
  for (py::ssize_t i = 0; i < values.size(); ++i) {
    if (data[i] < 0 || data[i] > 0xFFFF)
      throw std::invalid_argument(
          fmt::format("Program.spikes: label {} at position {} is outside the 16-bit label field (0..65535)", data[i], i));
    out.push_back(static_cast<std::uint16_t>(data[i]));
  }
  return out;
}

/// The program each connection runs between start() and the poll() that completes it: the
/// Connection keeps a pointer to it, so Python must not free it meanwhile.
std::map<const Connection*, py::object>& pending_programs() {
  static auto* programs = new std::map<const Connection*, py::object>;  // never destroyed: outlives the interpreter's objects
  return *programs;
}

/// Connection::run, interruptible: the run in slices of `slice`, so that Ctrl-C is seen
/// also on a UDP link that waits a whole timeout for its next word.
void run_program(Connection& c, Program& p) {
  blocking([&] {
    c.start(p);
    while (!c.poll(p, std::chrono::milliseconds(20))) {
    }
  });
}

py::dict stats_dict(const hostlink::ConnectionStats& s) {
  py::dict d;
  d["frames_sent"] = s.frames_sent;
  d["words_sent"] = s.words_sent;
  d["retransmits"] = s.retransmits;
  d["timeouts"] = s.timeouts;
  d["fast_retransmits"] = s.fast_retransmits;
  d["acks_sent"] = s.acks_sent;
  d["resets_sent"] = s.resets_sent;
  d["frames_received"] = s.frames_received;
  d["words_received"] = s.words_received;
  d["acks_received"] = s.acks_received;
  d["duplicates"] = s.duplicates;
  d["out_of_order"] = s.out_of_order;
  d["dropped"] = s.dropped;
  d["rto"] = s.rto;
  d["srtt"] = s.srtt;
  d["word_time"] = s.word_time;
  d["rtt_samples"] = s.rtt_samples();
  d["rtt_min"] = s.rtt_min();
  d["rtt_median"] = s.rtt_quantile(0.5);
  d["rtt_p99"] = s.rtt_quantile(0.99);
  return d;
}

std::vector<Connection*> pointers(const std::vector<Connection*>& fpgas) {
  for (std::size_t i = 0; i < fpgas.size(); ++i)
    if (!fpgas[i]) throw std::invalid_argument(fmt::format("connection {} is None", i));
  return fpgas;
}

/// Programs from a Python list: the objects themselves (no copy), moved into a vector for
/// the C++ call and back afterwards, so the results land in the caller's Program objects.
struct ProgramList {
  std::vector<Program*> objects;
  std::vector<Program> moved;
  explicit ProgramList(const std::vector<Program*>& programs) : objects(programs) {
    for (std::size_t i = 0; i < objects.size(); ++i) {
      if (!objects[i]) throw std::invalid_argument(fmt::format("program {} is None", i));
      for (std::size_t j = 0; j < i; ++j)
        if (objects[j] == objects[i])
          throw std::invalid_argument(fmt::format("programs {} and {} are the same Program object", j, i));
    }
    moved.reserve(objects.size());
    for (Program* p : objects) moved.push_back(std::move(*p));
  }
  ~ProgramList() {
    for (std::size_t i = 0; i < objects.size(); ++i) *objects[i] = std::move(moved[i]);
  }
  ProgramList(const ProgramList&) = delete;
  ProgramList& operator=(const ProgramList&) = delete;
};

}  // namespace

py::array spike_array(const std::vector<hostlink::Spike>& spikes) {
  py::array_t<hostlink::Spike> out(static_cast<py::ssize_t>(spikes.size()));
  std::memset(out.mutable_data(), 0, static_cast<std::size_t>(out.nbytes()));
  auto* d = out.mutable_data();
  for (const auto& s : spikes) {
    d->label = s.label;
    d->systime = s.systime;
    ++d;
  }
  return out;
}

py::array sample_array(const std::vector<hostlink::Sample>& samples) {
  py::array_t<hostlink::Sample> out(static_cast<py::ssize_t>(samples.size()));
  std::memset(out.mutable_data(), 0, static_cast<std::size_t>(out.nbytes()));
  auto* d = out.mutable_data();
  for (const auto& s : samples) {
    d->neuron = s.neuron;
    d->value_uv = s.value_uv;
    d->systime = s.systime;
    ++d;
  }
  return out;
}

void bind_hostlink(py::module_& m) {
  PYBIND11_NUMPY_DTYPE(hostlink::Spike, label, systime);
  PYBIND11_NUMPY_DTYPE(hostlink::Sample, neuron, value_uv, systime);
  py::class_<Ticket>(m, "Ticket", "The answer to one Program.read, valid once the program has run.")
      .def(py::init<>())
      .def_property_readonly("ready", &Ticket::ready, "True when value is available (the run answered this read).")
      .def_property_readonly("value", &Ticket::value,
                             "The data read. RuntimeError before the run, RunError when the read failed.")
      .def_property_readonly("address", &Ticket::address)
      .def_property_readonly("index", &Ticket::index, "Instruction index in the program.")
      .def_property_readonly("tag", &Ticket::tag)
      .def("__repr__", [](const Ticket& t) {
        if (!t.ready()) return fmt::format("<nmtwin.Ticket read 0x{:08x} (not answered)>", t.address());
        return fmt::format("<nmtwin.Ticket read 0x{:08x} = 0x{:08x}>", t.address(), t.value());
      });

  py::class_<Program>(m, "Program",
                      "Instructions for one run of the FPGA executor, tickets for its reads, and the results once "
                      "Connection.run has run it (docs/hostlink.md).")
      .def(py::init<>())
      .def("nop", &Program::nop)
      .def("write", &Program::write, py::arg("addr"), py::arg("data"), py::arg("byte_enable") = 0xF,
           "Register-bus write (FPGA register, or a chip register at spec.chip_bus_addr(a)).")
      .def("read", &Program::read, py::arg("addr"), "Register-bus read; returns its Ticket.")
      .def("timer_reset", &Program::timer_reset, "Starts the experiment timer at 0.")
      .def("wait_until", &Program::wait_until, py::arg("cycles"),
           "Blocks the executor until the timer reaches `cycles` (8 ns each).")
      .def("systime_sync", &Program::systime_sync)
      .def("spikes", [](Program& p, const py::object& labels) { p.spikes(labels_of(labels)); }, py::arg("labels"),
           "Sends spikes with these labels (a sequence or array of integers 0..65535), 3 per instruction.")
      .def("spike", &Program::spike, py::arg("label"))
      .def("barrier", &Program::barrier, "Waits until no register-bus read is outstanding.")
      .def("wait_global_interrupt", &Program::wait_global_interrupt)
      .def("__len__", &Program::size, "Instructions, without the final halt.")
      .def("encode", [](const Program& p, std::uint16_t cookie) { return to_array(p.encode(cookie)); },
           py::arg("halt_cookie"), "The word stream for the FPGA (uint64 array), ending with halt(halt_cookie).")
      .def("describe", &Program::describe, py::arg("index"), "\"#12 read 0x80010004 (tag 3)\".")
      .def_property_readonly("has_run", &Program::has_run)
      .def_property_readonly("received_spikes",
                             [](const Program& p) { return spike_array(p.received_spikes()); },
                             "Spikes of the last run in arrival order: structured array of (label uint16, "
                             "systime uint64 in FPGA cycles).")
      .def_property_readonly("received_samples",
                             [](const Program& p) { return sample_array(p.received_samples()); },
                             "Membrane samples of the last run (the chip's sampler: docs/chip.md, \"Sampler\"), in "
                             "arrival order: structured array of (neuron uint16, value_uv int32, systime uint64).")
      .def_property_readonly("halt_systime", &Program::halt_systime,
                             "Systime when the halt executed; RuntimeError before a completed run.");

  py::class_<hostlink::ConnectOptions>(m, "ConnectOptions",
                                       "How a connection talks to its FPGA (docs/hostlink.md, \"The ARQ transport\").")
      .def(py::init<>())
      .def_readwrite("max_resends", &hostlink::ConnectOptions::max_resends)
      .def_readwrite("ack_delay", &hostlink::ConnectOptions::ack_delay)
      .def_readwrite("ack_every", &hostlink::ConnectOptions::ack_every)
      .def_readwrite("reset_timeout", &hostlink::ConnectOptions::reset_timeout)
      .def_readwrite("reset_attempts", &hostlink::ConnectOptions::reset_attempts)
      .def_readwrite("duplicate_ack_threshold", &hostlink::ConnectOptions::duplicate_ack_threshold)
      .def_readwrite("max_window", &hostlink::ConnectOptions::max_window)
      .def_readwrite("max_payload_words", &hostlink::ConnectOptions::max_payload_words)
      .def_readwrite("resync_cookie", &hostlink::ConnectOptions::resync_cookie)
      .def_property(
          "rto_initial", [](const hostlink::ConnectOptions& o) { return o.rto.initial; },
          [](hostlink::ConnectOptions& o, std::chrono::microseconds v) { o.rto.initial = v; })
      .def_property(
          "rto_min", [](const hostlink::ConnectOptions& o) { return o.rto.min; },
          [](hostlink::ConnectOptions& o, std::chrono::microseconds v) { o.rto.min = v; })
      .def_property(
          "rto_max", [](const hostlink::ConnectOptions& o) { return o.rto.max; },
          [](hostlink::ConnectOptions& o, std::chrono::microseconds v) { o.rto.max = v; });

  py::class_<Connection, std::unique_ptr<Connection>>(m, "Connection",
                                                      "Runs Programs on one FPGA (connect(), Simulator.connect()).")
      .def("run", &run_program, py::arg("program"),
           "Runs the program to its halt (the GIL is released; Ctrl-C interrupts it). Raises RunError, "
           "ProtocolError, TimeoutError, LinkError.")
      .def("start",
           [](Connection& c, const py::object& program) {
             Program& p = program.cast<Program&>();
             blocking([&] { c.start(p); });
             pending_programs()[&c] = program;  // alive until its run completes or fails
           },
           py::arg("program"), "Sends the program; poll() collects its results.")
      .def("poll",
           [](Connection& c, Program& p, double wait_ms) {
             if (!(wait_ms >= 0)) throw std::invalid_argument(fmt::format("Connection.poll: wait_ms {} < 0", wait_ms));
             try {
               const bool done = blocking([&] {
                 return c.poll(p, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double, std::milli>(wait_ms)));
               });
               if (done) pending_programs().erase(&c);
               return done;
             } catch (...) {
               if (!c.running()) pending_programs().erase(&c);
               throw;
             }
           },
           py::arg("program"), py::arg("wait_ms") = 0.0,
           "Handles what arrived within wait_ms; True once the run is complete (then raises what run() would).")
      .def_property_readonly("running", &Connection::running)
      .def_property(
          "timeout", [](const Connection& c) { return c.timeout(); },
          [](Connection& c, std::chrono::milliseconds t) { c.set_timeout(t); },
          "The longest a run waits without any response word (datetime.timedelta; default 10 s).")
      .def_property_readonly("endpoint", &Connection::endpoint)
      .def_property_readonly("stats", [](const Connection& c) { return stats_dict(c.stats()); },
                             "What the link carried and repaired so far (dict).")
      .def("__repr__", [](const Connection& c) { return fmt::format("<nmtwin.Connection {}>", c.endpoint()); });

  m.def("connect",
        [](const std::string& url, std::optional<hostlink::ConnectOptions> options) {
          return blocking([&] { return hostlink::connect(url, options.value_or(hostlink::ConnectOptions{})); });
        },
        py::arg("url"), py::arg("options") = py::none(),
        "Connects to udp://HOST:PORT[?node=I], sim:[nodeN][?nodes=N], ... (docs/hostlink.md). ValueError for a "
        "malformed URL, LinkError when the target does not answer.");
  m.def("connect_from_env",
        [](const std::string& default_url, std::optional<hostlink::ConnectOptions> options) {
          return blocking(
              [&] { return hostlink::connect_from_env(default_url, options.value_or(hostlink::ConnectOptions{})); });
        },
        py::arg("default_url") = "sim:", py::arg("options") = py::none(),
        "connect() to $NMTWIN_TARGET if it is set and not empty, else to default_url.");
  m.attr("target_variable") = std::string(hostlink::target_variable);

  m.def("run_together",
        [](const std::vector<Connection*>& fpgas, const std::vector<Program*>& programs) {
          const auto c = pointers(fpgas);
          ProgramList list(programs);
          blocking([&] { hostlink::run_together(c, list.moved); });
        },
        py::arg("fpgas"), py::arg("programs"),
        "Runs programs[i] on fpgas[i], all at once (programs that wait for each other).");

  py::class_<hostlink::StartSystime>(m, "StartSystime", "The systime at which a program's experiment timer started.")
      .def_property_readonly("value", &hostlink::StartSystime::value);
  m.def("read_start_systime", &hostlink::read_start_systime, py::arg("program"),
        "Appends the reads of the start systime to the program.");

  py::class_<hostlink::SynchronizedStart>(m, "SynchronizedStart",
                                          "Setup and timed programs on several FPGAs with a common start "
                                          "(docs/hostlink.md, \"Several FPGAs with a synchronised start\").")
      .def(py::init([](const std::vector<std::uint64_t>& latency, unsigned root) {
             return hostlink::SynchronizedStart(latency, root);
           }),
           py::arg("gi_latency"), py::arg("root"))
      .def_property_readonly("size", &hostlink::SynchronizedStart::size)
      .def_property_readonly("root", &hostlink::SynchronizedStart::root)
      .def("begin_timed", &hostlink::SynchronizedStart::begin_timed, py::arg("timed"), py::arg("fpga"))
      .def("run",
           [](const hostlink::SynchronizedStart& s, const std::vector<Connection*>& fpgas,
              const std::vector<Program*>& setup, const std::vector<Program*>& timed) {
             const auto c = pointers(fpgas);
             ProgramList a(setup), b(timed);
             blocking([&] { s.run(c, a.moved, b.moved); });
           },
           py::arg("fpgas"), py::arg("setup"), py::arg("timed"));

  py::class_<hostlink::Route>(m, "Route", "Routing table entry (docs/multichip.md).")
      .def(py::init([](unsigned split, std::uint16_t source, unsigned bucket, std::uint16_t dest_label) {
             return hostlink::Route{split, source, bucket, dest_label};
           }),
           py::arg("split") = 0, py::arg("source") = 0, py::arg("bucket") = 0, py::arg("dest_label") = 0)
      .def_readwrite("split", &hostlink::Route::split)
      .def_readwrite("source", &hostlink::Route::source)
      .def_readwrite("bucket", &hostlink::Route::bucket)
      .def_readwrite("dest_label", &hostlink::Route::dest_label);
  py::class_<hostlink::Bucket>(m, "Bucket", "One accumulation bucket (docs/multichip.md).")
      .def(py::init([](std::uint16_t dest, bool multicast, unsigned delay, unsigned pulse_timeout,
                       unsigned packet_timeout) {
             return hostlink::Bucket{dest, multicast, delay, pulse_timeout, packet_timeout};
           }),
           py::arg("dest") = 0, py::arg("multicast") = false, py::arg("delay") = 0, py::arg("pulse_timeout") = 0,
           py::arg("packet_timeout") = 0)
      .def_readwrite("dest", &hostlink::Bucket::dest)
      .def_readwrite("multicast", &hostlink::Bucket::multicast)
      .def_readwrite("delay", &hostlink::Bucket::delay)
      .def_readwrite("pulse_timeout", &hostlink::Bucket::pulse_timeout)
      .def_readwrite("packet_timeout", &hostlink::Bucket::packet_timeout);
  m.def("write_route", &hostlink::write_route, py::arg("program"), py::arg("route"));
  m.def("clear_route", &hostlink::clear_route, py::arg("program"), py::arg("split"), py::arg("source"));
  m.def("write_bucket", &hostlink::write_bucket, py::arg("program"), py::arg("index"), py::arg("bucket"));
  py::class_<hostlink::Counter48>(m, "Counter48", "A 48-bit FPGA counter read in one snapshot.")
      .def_property_readonly("value", &hostlink::Counter48::value);
  m.def("read_counter48", &hostlink::read_counter48, py::arg("program"), py::arg("addr"));
  m.def("gi_delays", [](const std::vector<std::uint64_t>& latency) { return hostlink::gi_delays(latency); },
        py::arg("latency"));
  m.def("prepare_systime_sync", &hostlink::prepare_systime_sync, py::arg("program"), py::arg("gi_delay"),
        py::arg("preset"));
  m.def("synchronized_start", &hostlink::synchronized_start, py::arg("program"), py::arg("root"));
}

}  // namespace nmtwin::python
