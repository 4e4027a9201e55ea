// The Python module nmtwin._nmtwin (imported by the package nmtwin; docs/python.md):
// the exceptions, and the parts bound in the other files of this folder.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "experiment/spike_ledger.hpp"
#include "experiment/toml_reader.hpp"
#include "nmtwin/elf.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/sim.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::python {

namespace {

// The exception classes, made once; the module keeps them alive.
struct Classes {
  py::handle error, run_error, protocol_error, timeout_error, link_error, firmware_error, input_error, elf_error,
      conservation_error;
};
Classes classes;

py::handle make_class(py::module_& m, const char* name, py::tuple bases, const char* doc) {
  py::object cls = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc(fmt::format("nmtwin.{}", name).c_str(), doc, bases.ptr(), nullptr));
  if (!cls) throw py::error_already_set();
  m.attr(name) = cls;
  return cls.release();  // lives as long as the interpreter
}

py::list instruction_errors(const hostlink::RunError& e) {
  py::list out;
  for (const auto& x : e.errors())
    out.append(py::make_tuple(x.index, std::string(spec::name_of(x.reason)), x.detail));
  return out;
}

void raise(py::handle cls, const std::exception& e, const auto& set_attributes) {
  py::object instance = cls(e.what());
  set_attributes(instance);
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

void set_run_error(py::object& o, const hostlink::RunError& e) {
  o.attr("errors") = instruction_errors(e);
  o.attr("protocol_errors") = e.protocol_errors();
}

}  // namespace

void bind_errors(py::module_& m) {
  const py::handle builtins_value_error = PyExc_ValueError;
  classes.error = make_class(m, "Error", py::make_tuple(py::handle(PyExc_Exception)),
                             "Base of every nmtwin error; the message names the input, the place and the fix.");
  classes.run_error = make_class(m, "RunError", py::make_tuple(classes.error),
                                 "The program ran to its halt, but the FPGA reported errors. Attributes: errors "
                                 "[(instruction index, reason, detail)], protocol_errors [str].");
  classes.protocol_error = make_class(m, "ProtocolError", py::make_tuple(classes.run_error),
                                      "The response stream broke the protocol.");
  classes.timeout_error = make_class(m, "TimeoutError", py::make_tuple(classes.error, py::handle(PyExc_TimeoutError)),
                                     "No response arrived for the connection's timeout. Attribute: missing.");
  classes.link_error = make_class(m, "LinkError", py::make_tuple(classes.error, py::handle(PyExc_ConnectionError)),
                                  "The link to the FPGA failed (nothing listens, incompatible FPGA, no answer).");
  classes.firmware_error = make_class(m, "FirmwareError", py::make_tuple(classes.run_error),
                                      "A kernel trapped, tripped its watchdog, overran or did not finish. Attributes: "
                                      "failure, pc, backtrace.");
  classes.input_error = make_class(m, "InputError", py::make_tuple(classes.error, builtins_value_error),
                                   "A file (experiment, scenario, topology, golden) that cannot be used: "
                                   "file:line, what is wrong, what to do.");
  classes.elf_error = make_class(m, "ElfError", py::make_tuple(classes.error, builtins_value_error),
                                 "A firmware ELF that cannot be loaded.");
  classes.conservation_error = make_class(m, "ConservationError", py::make_tuple(classes.error),
                                          "A spike was lost without being counted (a simulator bug).");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const fw::FirmwareError& e) {
      raise(classes.firmware_error, e, [&](py::object& o) {
        set_run_error(o, e);
        static constexpr const char* failures[] = {"trap", "watchdog", "timeout", "overrun"};
        o.attr("failure") = failures[static_cast<int>(e.failure())];
        o.attr("pc") = e.pc();
        o.attr("backtrace") = e.backtrace();
      });
    } catch (const hostlink::ProtocolError& e) {
      raise(classes.protocol_error, e, [&](py::object& o) { set_run_error(o, e); });
    } catch (const hostlink::RunError& e) {
      raise(classes.run_error, e, [&](py::object& o) { set_run_error(o, e); });
    } catch (const hostlink::TimeoutError& e) {
      raise(classes.timeout_error, e, [&](py::object& o) { o.attr("missing") = e.missing(); });
    } catch (const hostlink::LinkError& e) {
      raise(classes.link_error, e, [](py::object&) {});
    } catch (const apps::InputError& e) {
      raise(classes.input_error, e, [](py::object&) {});
    } catch (const fw::ElfError& e) {
      raise(classes.elf_error, e, [](py::object&) {});
    } catch (const apps::ConservationError& e) {
      raise(classes.conservation_error, e, [](py::object&) {});
    } catch (const hostlink::Cancelled& e) {
      // A cancel without the Python exception that caused it (not expected): still an interrupt.
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });
}

}  // namespace nmtwin::python

PYBIND11_MODULE(_nmtwin, m) {
  namespace py = pybind11;
  m.doc() = "nmtwin's host API for Python: programs, connections, the in-process simulator (docs/python.md).";
  m.attr("__version__") = NMTWIN_VERSION;  // the package (find_package(nmtwin) version); spec.version is the protocol's
  nmtwin::sim::register_sim_scheme();  // connect("sim:...") as in C++ programs that link the simulator
  nmtwin::python::bind_errors(m);
  nmtwin::python::bind_spec(m);
  nmtwin::python::bind_hostlink(m);
  nmtwin::python::bind_simulator(m);
  nmtwin::python::bind_experiments(m);
  nmtwin::python::bind_firmware(m);
}
