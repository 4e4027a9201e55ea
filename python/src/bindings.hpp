// Shared parts of the Python module nmtwin._nmtwin (docs/python.md).
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "nmtwin/cancel.hpp"
#include "nmtwin/sample.hpp"
#include "nmtwin/spike.hpp"

namespace nmtwin::python {

namespace py = pybind11;

/// Spikes as a NumPy structured array (label, systime); padding zeroed, so equal spikes
/// are equal bytes.
py::array spike_array(const std::vector<hostlink::Spike>& spikes);
/// Samples as a structured array (neuron, value_uv, systime), padding zeroed.
py::array sample_array(const std::vector<hostlink::Sample>& samples);

void bind_errors(py::module_& m);
void bind_spec(py::module_& m);
void bind_hostlink(py::module_& m);
void bind_simulator(py::module_& m);
void bind_experiments(py::module_& m);
void bind_firmware(py::module_& m);

/// Runs `f` without the GIL, interruptible by Ctrl-C: the host library's blocking loops
/// call the cancel check (nmtwin/cancel.hpp), which takes the GIL and asks Python for
/// pending signals. A KeyboardInterrupt (or any exception a signal handler raised) cancels
/// the call and is raised again once `f` has unwound, whatever `f` made of the cancel.
template <typename F>
auto blocking(F&& f) {
  using R = decltype(f());
  std::optional<py::error_already_set> raised;
  auto run = [&]() -> R {
    py::gil_scoped_release release;
    hostlink::CancelScope scope([&] {
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        raised.emplace();  // fetches the pending exception
        throw hostlink::Cancelled("interrupted from Python (KeyboardInterrupt)");
      }
    });
    return f();
  };
  auto rethrow = [&] {  // the GIL is held again here
    if (!raised) return;
    py::error_already_set e = std::move(*raised);
    raised.reset();
    throw e;
  };
  if constexpr (std::is_void_v<R>) {
    try {
      run();
    } catch (...) {
      rethrow();
      throw;
    }
    rethrow();  // a check that raised where the C++ code swallowed the cancel
  } else {
    std::optional<R> result;
    try {
      result.emplace(run());
    } catch (...) {
      rethrow();
      throw;
    }
    rethrow();
    return std::move(*result);
  }
}

}  // namespace nmtwin::python
