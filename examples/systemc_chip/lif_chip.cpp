#include "lif_chip.hpp"

#include <cmath>

namespace example {

namespace spec = nmtwin::spec;
namespace chip = nmtwin::spec::chip;
namespace down = nmtwin::spec::chip_down;
namespace up = nmtwin::spec::chip_up;
using nmtwin::systemc::cycle_at;
using nmtwin::systemc::send_chip_word;

namespace {
constexpr std::uint32_t enable_bit = std::uint32_t{1} << 31;  // output and loopback registers
constexpr std::uint32_t row_bits = chip::rows - 1;            // label[7:0] selects a row

// A field value from 32 bits of data: two's complement when the field is signed,
// nothing when out of the field's range.
std::optional<std::int64_t> field_value(const chip::Field& f, std::uint32_t data) {
  const std::int64_t v = f.min < 0 ? std::int64_t{static_cast<std::int32_t>(data)} : std::int64_t{data};
  if (v < f.min || v > f.max) return std::nullopt;
  return v;
}

// The field of an array block at `addr`, with the element index.
struct Slot {
  std::uint32_t index;
  const chip::Field* field;
};
template <std::size_t N>
std::optional<Slot> slot(std::uint32_t addr, std::uint32_t base, std::uint32_t count, std::uint32_t stride,
                         const std::array<chip::Field, N>& fields) {
  if (addr < base || addr - base >= count * stride) return std::nullopt;
  for (const auto& f : fields)
    if (f.offset == (addr - base) % stride) return Slot{(addr - base) / stride, &f};
  return std::nullopt;
}
}  // namespace

LifChip::LifChip(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name),
      clk_i("clk_i"),
      chip_down("chip_down"),
      chip_up("chip_up"),
      neurons_(chip::neurons),
      weights_(chip::weight::count),
      inhibitory_(chip::rows) {
  chip_down.register_b_transport(this, &LifChip::b_transport);
  for (auto& n : neurons_) {
    for (const auto& f : chip::neuron::fields) n.reg[f.offset] = f.reset;
    derive(n);
  }
  reset_neurons(0);
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

// Parameters in the units of the dynamics: cycles, microvolts, per-cycle factors.
void LifChip::derive(Neuron& n) {
  namespace f = chip::neuron;
  const double tau_m = static_cast<double>(n.reg[f::tau_m_ns]) / spec::cycle_ns;
  const double tau_syn = static_cast<double>(n.reg[f::tau_syn_ns]) / spec::cycle_ns;
  n.rest = static_cast<double>(n.reg[f::leak_uv] + n.reg[f::bias_uv]);
  n.decay_v = std::exp(-1 / tau_m);
  n.decay_i = std::exp(-1 / tau_syn);
  // V(1) for I(0) = 1 from rest: the synaptic kernel after one cycle.
  n.kernel_1 = tau_m == tau_syn ? n.decay_v / tau_m : tau_syn / (tau_syn - tau_m) * (n.decay_i - n.decay_v);
  n.refractory = (static_cast<std::uint64_t>(n.reg[f::refractory_ns]) + spec::cycle_ns - 1) / spec::cycle_ns;
}

void LifChip::reset_neurons(std::uint64_t cycle) {
  loopbacks_.clear();
  for (auto& n : neurons_) {
    n.v = static_cast<double>(n.reg[chip::neuron::leak_uv]);
    n.i = 0;
    n.held_until = cycle;
  }
}

std::uint64_t LifChip::chip_time(std::uint64_t cycle) const { return (cycle + time_offset_) & spec::systime_mask; }

void LifChip::tick() {
  const std::uint64_t c = cycle_at(sc_core::sc_time_stamp());
  const bool step = c > stepped_;  // the state starts out as that of cycle 0
  stepped_ = c;
  for (unsigned k = 0; k < neurons_.size(); ++k) {
    Neuron& n = neurons_[k];
    const double reset = static_cast<double>(n.reg[chip::neuron::reset_uv]);
    if (step) {
      n.v = c <= n.held_until ? reset : n.rest + (n.v - n.rest) * n.decay_v + n.i * n.kernel_1;
      n.i *= n.decay_i;
    }
    if (c < n.held_until || n.v < static_cast<double>(n.reg[chip::neuron::threshold_uv])) continue;
    ++spikes_;
    n.v = reset;
    n.held_until = c + n.refractory;
    const auto output = static_cast<std::uint32_t>(n.reg[chip::neuron::output]);
    if (output & enable_bit)
      send_chip_word(chip_up, up::SpikeOut{.label = output & up::SpikeOut::label_max,
                                           .timestamp = chip_time(c) & up::SpikeOut::timestamp_max}
                                  .encode());
    const auto loopback = static_cast<std::uint32_t>(n.reg[chip::neuron::loopback]);
    if (loopback & enable_bit) loopbacks_.emplace_back(c + 1, loopback & row_bits);
  }
  while (!loopbacks_.empty() && loopbacks_.front().first == c) {
    input(loopbacks_.front().second);
    loopbacks_.pop_front();
  }
}

void LifChip::input(unsigned row) {
  const double sign = inhibitory_[row] ? -1.0 : 1.0;
  for (unsigned k = 0; k < neurons_.size(); ++k) {
    const unsigned w = weights_[row * chip::neurons + k];
    if (w != 0) neurons_[k].i += sign * w * static_cast<double>(neurons_[k].reg[chip::neuron::weight_scale_uv]);
  }
}

// A word from the FPGA, in the middle of its cycle; configuration is answered at once.
void LifChip::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const std::uint64_t word = nmtwin::systemc::receive_chip_word(payload);
  const std::uint64_t c = cycle_at(sc_core::sc_time_stamp() + delay);
  switch (down::selector(word)) {
    case down::ChipDownType::cfg_write: {
      const auto w = down::CfgWrite::decode(word);
      const auto data = static_cast<std::uint32_t>(w.data);
      const bool ok = write(static_cast<std::uint32_t>(w.addr), data, c);
      send_chip_word(chip_up, up::CfgAck{.id = w.id, .error = ok ? 0u : 1u, .data = ok ? data : 0}.encode(), delay);
      break;
    }
    case down::ChipDownType::cfg_read: {
      const auto r = down::CfgRead::decode(word);
      const auto value = read(static_cast<std::uint32_t>(r.addr));
      send_chip_word(chip_up, up::CfgAck{.id = r.id, .error = value ? 0u : 1u, .data = value.value_or(0)}.encode(),
                     delay);
      break;
    }
    case down::ChipDownType::spike_in:
      input(static_cast<unsigned>(down::SpikeIn::decode(word).label) & row_bits);
      break;
    case down::ChipDownType::sync:
      time_offset_ = down::Sync::decode(word).systime + spec::timing::sync_latency - c;
      break;
    default:  // unknown word types are ignored, as the spec's chip does
      break;
  }
}

std::optional<std::uint32_t> LifChip::read(std::uint32_t addr) const {
  if (addr == chip::chip_id) return chip::registers[0].reset;
  if (auto s = slot(addr, chip::neuron::base, chip::neuron::count, chip::neuron::stride, chip::neuron::fields))
    return static_cast<std::uint32_t>(neurons_[s->index].reg[s->field->offset]);
  if (auto s = slot(addr, chip::row::base, chip::row::count, chip::row::stride, chip::row::fields))
    return inhibitory_[s->index];
  if (auto s = slot(addr, chip::weight::base, chip::weight::count, chip::weight::stride, chip::weight::fields))
    return weights_[s->index];
  return std::nullopt;  // write-only neuron_reset, or nothing there
}

bool LifChip::write(std::uint32_t addr, std::uint32_t data, std::uint64_t cycle) {
  if (addr == chip::neuron_reset) {
    reset_neurons(cycle);
    return true;
  }
  if (auto s = slot(addr, chip::neuron::base, chip::neuron::count, chip::neuron::stride, chip::neuron::fields)) {
    const auto v = field_value(*s->field, data);
    if (!v) return false;
    neurons_[s->index].reg[s->field->offset] = *v;  // V and I of this cycle stay; new parameters from the next
    derive(neurons_[s->index]);
    return true;
  }
  if (auto s = slot(addr, chip::row::base, chip::row::count, chip::row::stride, chip::row::fields)) {
    const auto v = field_value(*s->field, data);
    if (v) inhibitory_[s->index] = static_cast<std::uint8_t>(*v);
    return v.has_value();
  }
  if (auto s = slot(addr, chip::weight::base, chip::weight::count, chip::weight::stride, chip::weight::fields)) {
    const auto v = field_value(*s->field, data);
    if (v) weights_[s->index] = static_cast<std::uint8_t>(*v);
    return v.has_value();
  }
  return false;  // chip_id is read-only; anything else decodes to nothing
}

}  // namespace example
