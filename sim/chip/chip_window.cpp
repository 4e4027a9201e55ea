// The plasticity processor's window onto the chip (docs/chip.md, "Processor window"):
// byte offsets decoded to the chip's own registers, so every limit and access rule is
// the one host writes meet.
#include <array>
#include <optional>

#include "sim/chip/chip_location.hpp"
#include "sim/chip/chip_model.hpp"

namespace nmtwin::sim {
namespace {

namespace chip = spec::chip;

// A region of the window: `bytes` bytes from `offset` on. Byte regions hold one 8-bit
// chip array element per byte; word regions one 32-bit chip register per word, reached
// by word accesses only.
struct Region {
  std::uint32_t offset, bytes;
  std::uint32_t chip_addr;  // chip address of the first element / register
  bool bytewise;
};
// Window offset of a core-side address of the spec's [[ppu_window]] table.
constexpr std::uint32_t offset(std::uint32_t core_address) { return core_address - spec::ppu::chip_base; }
constexpr std::uint32_t neuron_bytes = 4 * chip::neuron::count * chip::neuron::stride;  // a word a register
constexpr std::array<Region, 7> window{{
    {offset(spec::ppu::window::weight), chip::weight::count, chip::weight::base, true},
    {offset(spec::ppu::window::corr_causal), chip::corr_causal::count, chip::corr_causal::base, true},
    {offset(spec::ppu::window::corr_acausal), chip::corr_acausal::count, chip::corr_acausal::base, true},
    {offset(spec::ppu::window::spike_counter), chip::spike_counter::count, chip::spike_counter::base, true},
    {offset(spec::ppu::window::neuron), neuron_bytes, chip::neuron::base, false},
    {offset(spec::ppu::window::corr_reset), 4, chip::corr_reset, false},
    {offset(spec::ppu::window::counter_reset), 4, chip::counter_reset, false},
}};
static_assert(chip::weight::stride == 1 && chip::corr_causal::stride == 1 && chip::corr_acausal::stride == 1 &&
              chip::spike_counter::stride == 1);

const Region* region_of(std::uint32_t word) {
  for (const Region& r : window)
    if (word >= r.offset && word - r.offset < r.bytes) return &r;
  return nullptr;
}

// Byte enables of a naturally aligned byte, half-word or word: {first byte, bytes}.
struct Lanes {
  unsigned first, count;
};
std::optional<Lanes> lanes(std::uint8_t be) {
  switch (be) {
    case 0x1:
      return Lanes{0, 1};
    case 0x2:
      return Lanes{1, 1};
    case 0x4:
      return Lanes{2, 1};
    case 0x8:
      return Lanes{3, 1};
    case 0x3:
      return Lanes{0, 2};
    case 0xC:
      return Lanes{2, 2};
    case 0xF:
      return Lanes{0, 4};
    default:
      return std::nullopt;
  }
}

// The element k bytes after `first` in a byte region (one single-field array of stride 1).
ChipLocation lane(ChipLocation first, unsigned k) {
  first.index += k;
  return first;
}

}  // namespace

std::optional<std::uint32_t> ChipModel::bus_read(std::uint32_t offset, std::uint8_t be, std::uint64_t now) {
  catch_up("bus_read", now);
  ++counters_.bus_reads;
  const auto data = window_read(offset, be);
  if (!data) ++counters_.bus_faults;
  return data;
}

bool ChipModel::bus_write(std::uint32_t offset, std::uint32_t data, std::uint8_t be, std::uint64_t now) {
  catch_up("bus_write", now);
  ++counters_.bus_writes;
  const bool ok = window_write(offset, data, be, now);
  if (!ok) ++counters_.bus_faults;
  return ok;
}

std::optional<std::uint32_t> ChipModel::window_read(std::uint32_t offset, std::uint8_t be) const {
  const std::uint32_t word = offset & ~3u;
  const auto l = lanes(be);
  const Region* r = region_of(word);
  if (!l || !r) return std::nullopt;
  if (!r->bytewise) return l->count == 4 ? read_at(r->chip_addr + (word - r->offset) / 4) : std::nullopt;
  const auto first = locate(r->chip_addr + word - r->offset + l->first);
  if (!first) return std::nullopt;
  std::uint32_t data = 0;
  for (unsigned k = 0; k < l->count; ++k) {
    const auto byte = read(lane(*first, k));
    if (!byte) return std::nullopt;
    data |= *byte << (8 * (l->first + k));
  }
  return data;
}

// A byte-wise write checks every enabled byte before it writes any, so a refused word
// leaves all four synapses as they were.
bool ChipModel::window_write(std::uint32_t offset, std::uint32_t data, std::uint8_t be, std::uint64_t now) {
  const std::uint32_t word = offset & ~3u;
  const auto l = lanes(be);
  const Region* r = region_of(word);
  if (!l || !r) return false;
  if (!r->bytewise) return l->count == 4 && write_at(r->chip_addr + (word - r->offset) / 4, data, now);
  const auto first = locate(r->chip_addr + word - r->offset + l->first);
  const auto byte = [&](unsigned k) { return (data >> (8 * (l->first + k))) & 0xFF; };
  if (!first) return false;
  for (unsigned k = 0; k < l->count; ++k)
    if (!writable(lane(*first, k), byte(k))) return false;
  for (unsigned k = 0; k < l->count; ++k) write(lane(*first, k), byte(k), now);
  return true;
}

}  // namespace nmtwin::sim
