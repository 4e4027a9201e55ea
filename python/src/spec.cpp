// nmtwin.spec: the constants and register addresses of spec/nmtwin.toml, from the
// generated header, so Python code never hard-codes an address (docs/python.md).
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <array>
#include <span>
#include <stdexcept>
#include <string>

#include "bindings.hpp"
#include "experiment/experiment.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::python {

namespace {

namespace chip = spec::chip;

struct ArrayInfo {
  std::string_view name;
  std::uint32_t base, count, stride;
  std::span<const chip::Field> fields;
};

#define NMTWIN_ARRAY(a) ArrayInfo{#a, chip::a::base, chip::a::count, chip::a::stride, chip::a::fields}
const std::array arrays{NMTWIN_ARRAY(neuron),      NMTWIN_ARRAY(row),         NMTWIN_ARRAY(weight),
                        NMTWIN_ARRAY(spike_counter), NMTWIN_ARRAY(corr),       NMTWIN_ARRAY(fault),
                        NMTWIN_ARRAY(corr_causal), NMTWIN_ARRAY(corr_acausal), NMTWIN_ARRAY(sampler)};
#undef NMTWIN_ARRAY

std::string names_of(auto&& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + std::string(i.name);
  return out;
}

const ArrayInfo& array_of(std::string_view name) {
  for (const auto& a : arrays)
    if (a.name == name) return a;
  throw std::invalid_argument(
      fmt::format("nmtwin.spec: '{}' is not a chip array of spec/nmtwin.toml; the arrays are {}", name, names_of(arrays)));
}

const chip::Field& field_of(const ArrayInfo& a, std::string_view field) {
  for (const auto& f : a.fields)
    if (f.name == field) return f;
  throw std::invalid_argument(fmt::format("nmtwin.spec: chip array '{}' has no field '{}'; its fields are {}", a.name,
                                          field, names_of(a.fields)));
}

std::uint32_t array_addr(std::string_view array, std::uint32_t index, std::string_view field) {
  const ArrayInfo& a = array_of(array);
  const chip::Field& f = field_of(a, field);
  if (index >= a.count)
    throw std::out_of_range(
        fmt::format("nmtwin.spec: {} {} does not exist: the chip has {} (0..{})", a.name, index, a.count, a.count - 1));
  return a.base + index * a.stride + f.offset;
}

py::dict field_dict(const chip::Field& f) {
  py::dict d;
  d["name"] = std::string(f.name);
  d["offset"] = f.offset;
  d["reset"] = f.reset;
  d["min"] = f.min;
  d["max"] = f.max;
  d["doc"] = std::string(f.doc);
  return d;
}

}  // namespace

void bind_spec(py::module_& root) {
  py::module_ m = root.def_submodule("spec", "Constants and register addresses of spec/nmtwin.toml (docs/registers.md).");
  m.attr("version") = std::string(spec::version);
  m.attr("cycle_ns") = spec::cycle_ns;
  m.attr("clock_mhz") = spec::clock_mhz;
  m.attr("speedup") = spec::speedup;
  m.attr("systime_bits") = spec::systime_bits;
  m.attr("chip_neurons") = chip::neurons;
  m.attr("chip_rows") = chip::rows;
  m.attr("weight_bits") = chip::weight_bits;
  m.attr("weight_max") = (1u << chip::weight_bits) - 1;
  m.attr("timestamp_bits") = chip::timestamp_bits;
  m.attr("spike_in_latency") = spec::timing::spike_in_latency;
  m.attr("sync_latency") = spec::timing::sync_latency;
  m.attr("fpga_pipeline_cycles") = spec::timing::fpga_pipeline_cycles;
  m.attr("instr_fifo_depth") = spec::timing::instr_fifo_depth;
  m.attr("chip_base") = spec::bus::chip_base;
  m.attr("buckets") = spec::net::buckets;
  m.attr("sample_lsb_uv") = chip::sample_lsb_uv;
  m.attr("sample_fifo_depth") = chip::sample_fifo_depth;

  m.def("chip_bus_addr", &spec::chip::bus_addr, py::arg("chip_addr"),
        "The FPGA register-bus address of a chip word address (what Program.write/read take).");
  m.def("chip_register", [](const std::string& name) {
    if (const auto* r = chip::find_register(name)) return r->addr;
    throw std::invalid_argument(fmt::format(
        "nmtwin.spec.chip_register: '{}' is not a chip register of spec/nmtwin.toml; the registers are {}", name,
        names_of(chip::registers)));
  }, py::arg("name"), "Chip word address of a chip register (chip_id, neuron_reset, ...).");
  m.def("fpga_register", [](const std::string& name) {
    if (const auto a = apps::fpga_register(name)) return *a;
    throw std::invalid_argument(fmt::format(
        "nmtwin.spec.fpga_register: '{}' is not an FPGA register of spec/nmtwin.toml (an array element is "
        "name[i], e.g. packets_sent[0]; spec.fpga_registers() lists them all, docs/registers.md)",
        name));
  }, py::arg("name"), "FPGA register-bus address of an FPGA register (systime_lo, late_waits, packets_sent[0], ...).");
  m.def("fpga_registers", [] {
    py::list out;
    for (const auto& r : spec::fpga_reg::all) out.append(std::string(r.name));
    return out;
  }, "Names of every FPGA register (array elements as name[i]).");
  m.def("chip_arrays", [] {
    py::list out;
    for (const auto& a : arrays) out.append(std::string(a.name));
    return out;
  }, "Names of the chip arrays (neuron, row, weight, ...).");
  m.def("chip_array_addr", &array_addr, py::arg("array"), py::arg("index"), py::arg("field"),
        "Chip word address of element `index` of a chip array, field `field`.");
  m.def("chip_fields", [](const std::string& array) {
    py::list out;
    for (const auto& f : array_of(array).fields) out.append(field_dict(f));
    return out;
  }, py::arg("array"), "The fields of a chip array: name, offset, reset, min, max, doc.");
  m.def("neuron_addr", [](std::uint32_t n, const std::string& field) { return array_addr("neuron", n, field); },
        py::arg("neuron"), py::arg("field"), "Chip word address of a neuron parameter (threshold_uv, tau_m_ns, ...).");
  m.def("row_addr", [](std::uint32_t r, const std::string& field) { return array_addr("row", r, field); },
        py::arg("row"), py::arg("field") = "inhibitory", "Chip word address of a synapse row's configuration.");
  m.def("weight_addr", [](std::uint32_t row, std::uint32_t neuron) {
    if (row >= chip::rows || neuron >= chip::neurons)
      throw std::out_of_range(fmt::format("nmtwin.spec.weight_addr: synapse (row {}, neuron {}) does not exist: "
                                          "the chip has rows 0..{} and neurons 0..{}",
                                          row, neuron, chip::rows - 1, chip::neurons - 1));
    return chip::weight::base + row * chip::neurons + neuron;
  }, py::arg("row"), py::arg("neuron"), "Chip word address of the 6-bit weight of (row, neuron).");
}

}  // namespace nmtwin::python
