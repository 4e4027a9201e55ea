// The C99 firmware header and the C++ header are two views of one spec: every
// FPGA register, field and counter the C header lists must have the same
// address, position and accessor behaviour as in the C++ header, and the C
// header must list all of them.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <random>
#include <string>

#include "nmtwin/nmtwin_regs.h"
#include "nmtwin/spec.hpp"

namespace spec = nmtwin::spec;

namespace {

const spec::FpgaRegister& cpp_register(const std::string& name, std::uint32_t count) {
  const auto* r = spec::fpga_reg::find(count > 1 ? name + "[0]" : name);
  if (!r) throw std::runtime_error("C header register " + name + " is not in the C++ header");
  return *r;
}

struct FieldCheck {
  std::mt19937 gen{11};  // any words will do: the two accessors must agree on each
  unsigned fields = 0;
  void operator()(const std::string& reg, const std::string& field, std::uint32_t lsb, std::uint32_t width,
                  std::uint32_t mask, std::uint32_t (*get)(std::uint32_t), std::uint32_t (*set)(std::uint32_t, std::uint32_t)) {
    ++fields;
    const auto& r = cpp_register(reg, 1 + (spec::fpga_reg::find(reg) == nullptr));
    const auto* f = spec::find_field(r.fields, field);
    BOOST_TEST_REQUIRE(f != nullptr, reg << "." << field << " is not in the C++ header");
    BOOST_TEST(f->lsb == lsb, reg << "." << field);
    BOOST_TEST(f->width == width, reg << "." << field);
    BOOST_TEST(f->mask() == mask, reg << "." << field);
    for (int i = 0; i < 50; ++i) {
      const std::uint32_t word = gen(), v = gen() & f->max();
      BOOST_TEST(get(word) == f->get(word), reg << "." << field);
      BOOST_TEST(set(word, v) == f->set(word, v), reg << "." << field);
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(registers_have_the_same_address_and_size) {
  unsigned elements = 0;
#define CHECK_REGISTER(reg, REG, ADDR, COUNT, STRIDE)                                      \
  {                                                                                         \
    const auto& r = cpp_register(#reg, COUNT);                                              \
    BOOST_TEST(r.addr == NMTWIN_BUS_FPGA_BASE + (ADDR), #reg);                              \
    BOOST_TEST(NMTWIN_REG_##REG == NMTWIN_BUS_FPGA_BASE + (ADDR), #reg);                    \
    for (std::uint32_t i = 0; i < (COUNT); ++i) {                                           \
      const auto* e = spec::fpga_reg::find((COUNT) > 1 ? #reg "[" + std::to_string(i) + "]" : #reg); \
      BOOST_TEST_REQUIRE(e != nullptr, #reg << " element " << i);                           \
      BOOST_TEST(e->addr == NMTWIN_BUS_FPGA_BASE + (ADDR) + i * (STRIDE), #reg << "[" << i << "]"); \
    }                                                                                       \
    elements += (COUNT);                                                                    \
  }
  NMTWIN_FPGA_REGISTERS(CHECK_REGISTER)
#undef CHECK_REGISTER
  BOOST_TEST(elements == spec::fpga_reg::all.size());
}

BOOST_AUTO_TEST_CASE(fields_agree_in_position_and_accessors) {
  FieldCheck check;
#define CHECK_FIELD(reg, field, REG, FIELD)                                                             \
  check(#reg, #field, NMTWIN_REG_##REG##_##FIELD##_LSB, NMTWIN_REG_##REG##_##FIELD##_WIDTH,             \
        NMTWIN_REG_##REG##_##FIELD##_MASK, nmtwin_##reg##_##field##_get, nmtwin_##reg##_##field##_set);
  NMTWIN_FPGA_FIELDS(CHECK_FIELD)
#undef CHECK_FIELD
  unsigned cpp_fields = 0;
  for (const auto& r : spec::fpga_reg::all) {
    const std::string_view n = r.name;
    if (n.find('[') == std::string_view::npos || n.ends_with("[0]")) cpp_fields += static_cast<unsigned>(r.fields.size());
  }
  BOOST_TEST(check.fields == cpp_fields);
}

BOOST_AUTO_TEST_CASE(counters_have_the_same_indices_and_loss_tags) {
  BOOST_TEST(NMTWIN_COUNT32_N == spec::counter::count32);
  BOOST_TEST(NMTWIN_COUNT48_N == spec::counter::count48);
#define CHECK32(INDEX, ADDR) BOOST_TEST(spec::counter::addrs32.at(INDEX) == (ADDR), "32-bit counter " << INDEX);
#define CHECK48(INDEX, ADDR) BOOST_TEST(spec::counter::addrs48.at(INDEX) == (ADDR), "48-bit counter " << INDEX);
  NMTWIN_COUNTERS32(CHECK32)
  NMTWIN_COUNTERS48(CHECK48)
#undef CHECK32
#undef CHECK48
  BOOST_TEST(NMTWIN_COUNT48_LOSS_MASK == spec::counter::loss_mask48);
  BOOST_TEST(spec::counter::addrs48.at(NMTWIN_CNT48_LINK_CRC_ERRORS) == NMTWIN_REG_LINK_CRC_ERRORS);
}

BOOST_AUTO_TEST_CASE(chip_words_agree) {
  namespace out = spec::chip::neuron::output_fields;
  namespace loop = spec::chip::neuron::loopback_fields;
  BOOST_TEST(NMTWIN_CHIP_NEURON_OUTPUT_ENABLE_MASK == out::enable.mask());
  BOOST_TEST(NMTWIN_CHIP_NEURON_OUTPUT_LABEL_MASK == out::label.mask());
  BOOST_TEST(NMTWIN_CHIP_NEURON_LOOPBACK_ROW_MASK == loop::row.mask());
  BOOST_TEST(nmtwin_chip_neuron_loopback_enable_set(0, 1) == loop::enable.put(1));
  BOOST_TEST(nmtwin_chip_neuron_addr(5, NMTWIN_CHIP_NEURON_OUTPUT) == spec::chip::neuron::addr(5, spec::chip::neuron::output));
  BOOST_TEST(NMTWIN_CHIP_WEIGHT_VALUE_WEIGHT_WIDTH == spec::chip::weight_bits);
}
