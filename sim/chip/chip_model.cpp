// The chip model's chip link and registers: words in and out, configuration
// addresses decoded to registers, neuron fields, row and weight arrays, spike
// counters, correlation sensors and their parameters, fault injection.
// The neuron dynamics are in chip_dynamics.cpp, the processor window in chip_window.cpp.
#include "sim/chip/chip_model.hpp"

#include "sim/chip/chip_location.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <span>
#include <stdexcept>
#include <string>

namespace nmtwin::sim {
namespace {

namespace chip = spec::chip;
namespace down = spec::chip_down;
namespace up = spec::chip_up;

// Layouts of the loopback register and of input labels (spec chip_layout).
namespace loopback = chip::neuron::loopback_fields;
constexpr auto input_row = chip::spike_in_label_fields::row;
static_assert(std::uint64_t{input_row.max()} + 1 == chip::rows && loopback::row.max() + 1 == chip::rows);
static_assert(chip::weight::count == chip::rows * chip::neurons);
static_assert(chip::neurons % 64 == 0);

static_assert(chip::corr_causal::count == chip::weight::count && chip::corr_acausal::count == chip::weight::count);
static_assert(chip::spike_counter::count == chip::neurons);
static_assert(chip::fault::fields[chip::fault::dead_neuron].max + 1 == chip::neurons);
static_assert(chip::fault::fields[chip::fault::stuck_synapse].max + 1 == chip::weight::count);
// corr_reset / counter_reset: this value resets every row / neuron.
constexpr std::uint32_t all = 0xFFFFFFFF;

using Block = ChipBlock;

struct ArrayMap {
  Block block;
  std::uint32_t base, count, stride;
  spec::Access access;
  std::span<const chip::Field> fields;
};
namespace c = chip;
constexpr std::array<ArrayMap, 9> arrays{{
    {Block::neuron, c::neuron::base, c::neuron::count, c::neuron::stride, c::neuron::access, c::neuron::fields},
    {Block::row, c::row::base, c::row::count, c::row::stride, c::row::access, c::row::fields},
    {Block::weight, c::weight::base, c::weight::count, c::weight::stride, c::weight::access, c::weight::fields},
    {Block::counter, c::spike_counter::base, c::spike_counter::count, c::spike_counter::stride,
     c::spike_counter::access, c::spike_counter::fields},
    {Block::causal, c::corr_causal::base, c::corr_causal::count, c::corr_causal::stride, c::corr_causal::access,
     c::corr_causal::fields},
    {Block::acausal, c::corr_acausal::base, c::corr_acausal::count, c::corr_acausal::stride, c::corr_acausal::access,
     c::corr_acausal::fields},
    {Block::corr, c::corr::base, c::corr::count, c::corr::stride, c::corr::access, c::corr::fields},
    {Block::fault, c::fault::base, c::fault::count, c::fault::stride, c::fault::access, c::fault::fields},
    {Block::sampler, c::sampler::base, c::sampler::count, c::sampler::stride, c::sampler::access, c::sampler::fields},
}};

// Index of the chip register at `addr` in chip::registers.
constexpr std::size_t register_index(std::uint32_t addr) {
  std::size_t r = 0;
  while (r < chip::registers.size() && chip::registers[r].addr != addr) ++r;
  return r;
}
constexpr std::size_t sampler_dropped = register_index(chip::sampler_dropped);
static_assert(sampler_dropped < chip::registers.size());

// A signed field (min < 0) takes the 32-bit data as two's complement.
std::optional<std::int64_t> field_value(const chip::Field& f, std::uint32_t data) {
  const std::int64_t v = f.min < 0 ? std::int64_t{static_cast<std::int32_t>(data)} : std::int64_t{data};
  if (v < f.min || v > f.max) return std::nullopt;
  return v;
}

// A chip word address of the processor's host side (spec [ppu] host_base, host_span).
bool is_ppu_address(std::uint32_t addr) {
  return addr >= spec::ppu::host_base && addr < spec::ppu::host_base + spec::ppu::host_span;
}

}  // namespace

ChipModel::ChipModel()
    : neurons_(chip::neurons),
      weights_(chip::weight::count),
      inhibitory_(chip::rows),
      targets_(chip::rows),
      spike_counts_(chip::neurons),
      sensors_(chip::rows, chip::neurons) {
  for (std::size_t r = 0; r < chip::registers.size(); ++r) registers_[r] = chip::registers[r].reset;
  for (auto& nr : neurons_) {
    for (const auto& f : chip::neuron::fields) nr.reg[f.offset] = f.reset;
    derive(nr);
  }
  for (std::uint8_t& w : weights_) w = static_cast<std::uint8_t>(chip::weight::fields[0].reset);
  for (std::uint8_t& x : inhibitory_) x = static_cast<std::uint8_t>(chip::row::fields[0].reset);
  for (const auto& f : chip::fault::fields) fault_[f.offset] = f.reset;
  for (const auto& f : chip::corr::fields) corr_[f.offset] = f.reset;
  for (const auto& f : chip::sampler::fields) sampler_[f.offset] = f.reset;
  apply_corr();
  reset_neurons(0);
}

// ---------------------------------------------------------------------------------------
// chip_link

void ChipModel::catch_up(const char* what, std::uint64_t now) {
  if (now + 1 < next_cycle_)
    throw std::invalid_argument(std::string("ChipModel::") + what + ": access at cycle " + std::to_string(now) +
                                ", but cycles up to " + std::to_string(next_cycle_ - 1) +
                                " are processed already; hand accesses over in cycle order");
  advance(now);
}

void ChipModel::receive(std::uint64_t word, std::uint64_t now) {
  catch_up("receive", now);
  switch (down::selector(word)) {
    case down::ChipDownType::cfg_write:
      cfg_write(down::CfgWrite::decode(word), now);
      break;
    case down::ChipDownType::cfg_read:
      cfg_read(down::CfgRead::decode(word), now);
      break;
    case down::ChipDownType::spike_in: {
      const auto label = static_cast<std::uint16_t>(down::SpikeIn::decode(word).label);
      ++counters_.inputs;
      if (logging_) input_log_.push_back({chip_time(now), label});
      spike_in(input_row.get(label), now);
      break;
    }
    case down::ChipDownType::sync:
      time_offset_ = down::Sync::decode(word).systime + spec::timing::sync_latency - now;
      schedule_samples(now + 1);  // the sampling grid is one of chip time
      break;
    default:
      ++counters_.unknown_words;
      break;
  }
}

std::uint64_t ChipModel::pop_output() {
  if (outbox_.empty()) throw std::logic_error("ChipModel::pop_output: outbox is empty");
  if (!has_output()) throw std::logic_error("ChipModel::pop_output: the oldest answer waits for the processor");
  const std::uint64_t w = outbox_.front();
  outbox_.pop_front();
  ++outbox_first_;
  return w;
}

std::uint64_t ChipModel::chip_time(std::uint64_t now) const { return (now + time_offset_) & spec::systime_mask; }

double ChipModel::membrane_uv(unsigned neuron, std::uint64_t now) {
  catch_up("membrane_uv", now);
  Neuron copy = neurons_.at(neuron);  // evaluating must not change rounding of the dynamics
  bring_to(copy, now);
  return copy.v;
}

// ---------------------------------------------------------------------------------------
// Registers

void ChipModel::cfg_write(const down::CfgWrite& w, std::uint64_t now) {
  ++counters_.cfg_writes;
  const auto data = static_cast<std::uint32_t>(w.data);
  if (to_ppu(w.id, true, static_cast<std::uint32_t>(w.addr), data, now)) return;
  const bool ok = write_at(static_cast<std::uint32_t>(w.addr), data, now);
  ack(w.id, !ok, ok ? data : 0);
}

void ChipModel::cfg_read(const down::CfgRead& r, std::uint64_t now) {
  ++counters_.cfg_reads;
  if (to_ppu(r.id, false, static_cast<std::uint32_t>(r.addr), 0, now)) return;
  const auto value = read_at(static_cast<std::uint32_t>(r.addr));
  ack(r.id, !value, value.value_or(0));
}

void ChipModel::ack(std::uint64_t id, bool error, std::uint32_t data) {
  if (error) ++counters_.rejected;
  outbox_.push_back(up::CfgAck{.id = id, .error = error ? 1u : 0u, .data = data}.encode());
}

bool ChipModel::to_ppu(std::uint64_t id, bool write, std::uint32_t addr, std::uint32_t data, std::uint64_t now) {
  if (!is_ppu_address(addr)) return false;
  if (!ppu_) {
    ack(id, true, 0);
    return true;
  }
  ppu_pending_.push_back(outbox_first_ + outbox_.size());
  outbox_.push_back(0);  // filled by ppu_ack
  ppu_->host_access(id, write, addr, data, now);
  return true;
}

void ChipModel::ppu_ack(std::uint64_t id, bool error, std::uint32_t data) {
  if (ppu_pending_.empty()) throw std::logic_error("ChipModel::ppu_ack: no host access is waiting for the processor");
  if (error) ++counters_.rejected;
  outbox_[ppu_pending_.front() - outbox_first_] = up::CfgAck{.id = id, .error = error ? 1u : 0u, .data = data}.encode();
  ppu_pending_.pop_front();
}

std::optional<ChipLocation> ChipModel::locate(std::uint32_t addr) {
  for (std::uint32_t r = 0; r < chip::registers.size(); ++r)
    if (chip::registers[r].addr == addr) return ChipLocation{Block::reg, r, nullptr, chip::registers[r].access};
  for (const ArrayMap& a : arrays) {
    if (addr < a.base || addr - a.base >= a.count * a.stride) continue;
    const std::uint32_t offset = (addr - a.base) % a.stride;
    for (const chip::Field& f : a.fields)
      if (f.offset == offset) return ChipLocation{a.block, (addr - a.base) / a.stride, &f, a.access};
    return std::nullopt;
  }
  return std::nullopt;
}

void ChipModel::stick_bit(std::uint32_t addr, unsigned bit, bool value) {
  const auto at = locate(addr);
  if (!at || at->access != spec::Access::rw || bit > 31)
    throw std::invalid_argument(fmt::format("a stuck bit needs a read-write chip register and a bit 0..31: chip "
                                            "address {:#x} bit {} is none (docs/registers.md, \"Chip registers\")",
                                            addr, bit));
  auto& [mask, forced] = stuck_bits_[addr];
  const std::uint32_t b = std::uint32_t{1} << (bit & 31);
  mask |= b;
  forced = value ? forced | b : forced & ~b;
}

std::uint32_t ChipModel::stuck(std::uint32_t addr, std::uint32_t value) const {
  const auto it = stuck_bits_.find(addr);
  return it == stuck_bits_.end() ? value : (value & ~it->second.first) | it->second.second;
}

std::optional<std::uint32_t> ChipModel::read_at(std::uint32_t addr) const {
  const auto at = locate(addr);
  const auto value = at ? read(*at) : std::nullopt;
  return value ? std::optional(stuck(addr, *value)) : std::nullopt;
}

bool ChipModel::write_at(std::uint32_t addr, std::uint32_t data, std::uint64_t now) {
  const auto at = locate(addr);
  return at && write(*at, stuck(addr, data), now);
}

bool ChipModel::writable(const ChipLocation& at, std::uint32_t data) {
  return at.block != Block::reg && at.access != spec::Access::ro && element_value(at, data);
}

std::optional<std::int64_t> ChipModel::element_value(const ChipLocation& at, std::uint32_t data) {
  const auto v = field_value(*at.field, data);
  // The sampler counts whole cycles: a period between them would not be one.
  if (v && at.block == Block::sampler && at.field->offset == chip::sampler::period_ns && *v % spec::cycle_ns != 0)
    return std::nullopt;
  return v;
}

bool ChipModel::write(const ChipLocation& at, std::uint32_t data, std::uint64_t now) {
  if (at.access == spec::Access::ro) return false;
  if (at.block == Block::reg) {
    const chip::Register& r = chip::registers[at.index];
    if (r.addr == chip::neuron_reset) reset_neurons(now);
    if (r.addr == chip::corr_reset) return reset_correlation(data);
    if (r.addr == chip::counter_reset) return reset_counters(data);
    if (r.access == spec::Access::rw) registers_[at.index] = data;
    return true;
  }
  const auto value = element_value(at, data);
  if (!value) return false;
  switch (at.block) {
    case Block::neuron:
      write_neuron(at.index, at.field->offset, *value, now);
      break;
    case Block::row:
      inhibitory_[at.index] = static_cast<std::uint8_t>(*value);
      break;
    case Block::weight:
      write_weight(at.index / chip::neurons, at.index % chip::neurons, static_cast<unsigned>(*value));
      break;
    case Block::corr:
      corr_[at.field->offset] = *value;
      apply_corr();
      break;
    case Block::fault:
      write_fault(at.field->offset, *value);
      break;
    case Block::sampler:
      write_sampler(at.field->offset, *value, now);
      break;
    case Block::reg:
    case Block::counter:
    case Block::causal:
    case Block::acausal:
      break;
  }
  return true;
}

std::optional<std::uint32_t> ChipModel::read(const ChipLocation& at) const {
  if (at.access == spec::Access::wo) return std::nullopt;
  switch (at.block) {
    case Block::reg:
      return registers_[at.index];
    case Block::neuron:
      return static_cast<std::uint32_t>(neurons_[at.index].reg[at.field->offset]);
    case Block::row:
      return inhibitory_[at.index];
    case Block::weight:
      return weights_[at.index];
    case Block::counter:
      return spike_counts_[at.index];
    case Block::causal:
      return sensors_.causal(at.index);
    case Block::acausal:
      return sensors_.acausal(at.index);
    case Block::corr:
      return static_cast<std::uint32_t>(corr_[at.field->offset]);
    case Block::fault:
      return static_cast<std::uint32_t>(fault_[at.field->offset]);
    case Block::sampler:
      return static_cast<std::uint32_t>(sampler_[at.field->offset]);
  }
  return std::nullopt;
}

void ChipModel::write_neuron(unsigned n, std::uint32_t offset, std::int64_t value, std::uint64_t now) {
  Neuron& nr = neurons_[n];
  bring_to(nr, now);  // the old parameters hold up to `now`, the new ones after it
  nr.reg[offset] = value;
  derive(nr);
  predict(n);
  if (offset == chip::neuron::sample) {
    const auto at = std::lower_bound(sampled_.begin(), sampled_.end(), n);
    const bool listed = at != sampled_.end() && *at == n;
    if (value != 0 && !listed) sampled_.insert(at, static_cast<std::uint16_t>(n));
    if (value == 0 && listed) sampled_.erase(at);
  }
}

// ---------------------------------------------------------------------------------------
// Sampler

std::int16_t ChipModel::sample_code(double v_uv) {
  const double code = std::round(v_uv / chip::sample_lsb_uv);
  return static_cast<std::int16_t>(std::clamp(code, double{INT16_MIN}, double{INT16_MAX}));
}

// A new period acts from the next cycle on, on the grid of chip times it divides.
void ChipModel::write_sampler(std::uint32_t offset, std::int64_t value, std::uint64_t now) {
  sampler_[offset] = value;
  registers_[sampler_dropped] = 0;
  schedule_samples(now + 1);
}

void ChipModel::schedule_samples(std::uint64_t from) {
  const auto period = static_cast<std::uint64_t>(sampler_[chip::sampler::period_ns]) / spec::cycle_ns;
  if (period == 0) {
    next_sample_ = UINT64_MAX;
    return;
  }
  const std::uint64_t phase = chip_time(from) % period;
  next_sample_ = from + (phase == 0 ? 0 : period - phase);
}

// V of every sampled neuron after the events of `cycle`, as membrane_uv(n, cycle) reports
// it. The up link sends one word a cycle; a sample that finds sample_fifo_depth sample
// words still waiting for it is dropped.
void ChipModel::take_samples(std::uint64_t cycle) {
  const std::uint64_t timestamp = chip_time(cycle) & up::Sample::timestamp_max;
  for (const std::uint16_t n : sampled_) {
    if (samples_sent_by_ >= cycle + chip::sample_fifo_depth) {
      ++counters_.samples_dropped;
      ++registers_[sampler_dropped];
      continue;
    }
    Neuron copy = neurons_[n];  // sampling must not change rounding of the dynamics
    bring_to(copy, cycle);
    const auto code = static_cast<std::uint16_t>(sample_code(copy.v));
    outbox_.push_back(up::Sample{.neuron = n, .value = code, .timestamp = timestamp}.encode());
    samples_sent_by_ = std::max(samples_sent_by_, cycle) + 1;
    ++counters_.samples;
  }
  const auto period = static_cast<std::uint64_t>(sampler_[chip::sampler::period_ns]) / spec::cycle_ns;
  next_sample_ = cycle + period;
}

// The stuck bits of the faulty cell hold their value whatever is written.
void ChipModel::write_weight(unsigned row, unsigned n, unsigned value) {
  namespace f = chip::fault;
  if (row * chip::neurons + n == fault_[f::stuck_synapse]) {
    const auto mask = static_cast<unsigned>(fault_[f::stuck_mask]);
    value = (value & ~mask) | (static_cast<unsigned>(fault_[f::stuck_value]) & mask);
  }
  weights_[row * chip::neurons + n] = static_cast<std::uint8_t>(value);
  std::uint64_t& word = targets_[row][n / 64];
  const std::uint64_t bit = std::uint64_t{1} << (n % 64);
  word = value != 0 ? word | bit : word & ~bit;
}

void ChipModel::apply_corr() {
  namespace f = chip::corr;
  const auto reg = [&](std::uint32_t field) { return static_cast<std::uint32_t>(corr_[field]); };
  sensors_.set_causal(reg(f::tau_causal_ns), reg(f::amp_causal));
  sensors_.set_acausal(reg(f::tau_acausal_ns), reg(f::amp_acausal));
}

// A new fault acts at once: the stuck bits take their value in the cell (and stay in it
// when the fault is lifted, as in a memory), a dead neuron's pending spike is cancelled,
// a revived one is predicted again.
void ChipModel::write_fault(std::uint32_t offset, std::int64_t value) {
  namespace f = chip::fault;
  const auto dead_before = static_cast<unsigned>(fault_[f::dead_neuron]);
  fault_[offset] = value;
  const auto s = static_cast<unsigned>(fault_[f::stuck_synapse]);
  write_weight(s / chip::neurons, s % chip::neurons, weights_[s]);
  predict(dead_before);
  predict(static_cast<unsigned>(fault_[f::dead_neuron]));
}

bool ChipModel::dead(unsigned n) const {
  return fault_[chip::fault::dead_enable] != 0 && fault_[chip::fault::dead_neuron] == n;
}

bool ChipModel::reset_correlation(std::uint32_t row) {
  if (row == all) {
    sensors_.reset_all();
    return true;
  }
  if (row >= chip::rows) return false;
  sensors_.reset_row(row);
  return true;
}

bool ChipModel::reset_counters(std::uint32_t neuron) {
  if (neuron == all) {
    std::fill(spike_counts_.begin(), spike_counts_.end(), 0);
    return true;
  }
  if (neuron >= chip::neurons) return false;
  spike_counts_[neuron] = 0;
  return true;
}

void ChipModel::reset_neurons(std::uint64_t now) {
  loopbacks_.clear();  // spikes in flight belong to the state being reset
  for (unsigned n = 0; n < neurons_.size(); ++n) {
    Neuron& nr = neurons_[n];
    nr.t = nr.ref_end = now;
    nr.v = static_cast<double>(nr.reg[chip::neuron::leak_uv]);
    nr.i = 0;
    predict(n);
  }
}

}  // namespace nmtwin::sim
