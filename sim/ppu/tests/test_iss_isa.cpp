// The core's ISA self-tests (firmware/isa, written for rv32_core's bench) on the
// instruction-set model, loaded with load_elf: an independent check of the model
// against the tests' own expectations. The I/O registers they use (console, systime,
// timecmp, exit, doorbell) are modelled here; systime counts steps.
//
// usage: test_iss_isa -- DIR TEST...   (DIR holds TEST.elf, nohandler.elf, selftest_fail.elf)
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "nmtwin/elf.hpp"
#include "sim/ppu/iss.hpp"

using namespace nmtwin::ppu;
namespace io = nmtwin::spec::ppu::io;

namespace {

struct IsaIo : IssDevice {
  Iss* iss = nullptr;
  std::uint64_t systime = 0, timecmp = ~0ull;
  std::uint32_t systime_hi = 0;
  bool doorbell = false;
  std::optional<std::uint32_t> exit_code;
  std::string console;

  std::optional<std::uint32_t> load(std::uint32_t offset, std::uint8_t) override {
    switch (kIoBase + offset) {
      case io::console_free:
        return 64;
      case io::systime_lo:
        systime_hi = static_cast<std::uint32_t>(systime >> 32);
        return static_cast<std::uint32_t>(systime);
      case io::systime_hi:
        return systime_hi;
      case io::timecmp_lo:
        return static_cast<std::uint32_t>(timecmp);
      case io::timecmp_hi:
        return static_cast<std::uint32_t>(timecmp >> 32);
      case io::doorbell:
        return doorbell ? 1 : 0;
      default:
        return std::nullopt;
    }
  }
  bool store(std::uint32_t offset, std::uint32_t data, std::uint8_t) override {
    switch (kIoBase + offset) {
      case io::console:
        console += static_cast<char>(data & 0xFF);
        return true;
      case io::timecmp_lo:
        timecmp = (timecmp & ~0xFFFF'FFFFull) | data;
        return true;
      case io::timecmp_hi:
        timecmp = (timecmp & 0xFFFF'FFFFull) | (std::uint64_t{data} << 32);
        return true;
      case io::exit:
        exit_code = data;
        iss->halt();
        return true;
      case io::doorbell:
        doorbell = data & 1;
        return true;
      default:
        return false;
    }
  }
};

struct Run {
  IsaIo io;
  Iss iss;
  nmtwin::fw::FirmwareImage image;
  std::uint32_t last_pc = 0;
};

std::string dir() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc >= 3, "usage: test_iss_isa -- DIR TEST...");
  return suite.argv[1];
}

// Runs TEST.elf until the model halts (at most 200000 steps).
void run(const std::string& test, Run& r) {
  r.image = nmtwin::fw::load_elf(dir() + "/" + test + ".elf");
  r.io.iss = &r.iss;
  r.iss.attach(&r.io, nullptr);
  r.iss.load(r.image);
  r.iss.reset();
  for (int n = 0; n < 200000 && !r.iss.halted(); ++n, ++r.io.systime) {
    r.iss.set_interrupt_lines(r.io.systime >= r.io.timecmp, r.io.doorbell);
    if (const auto c = r.iss.step()) r.last_pc = c->pc;
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(self_tests_pass) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 2; i < suite.argc; ++i) {
    const std::string test = suite.argv[i];
    Run r;
    run(test, r);
    BOOST_TEST_CONTEXT("ISA test " << test) {
      BOOST_TEST(r.io.exit_code.has_value(), "no exit; last pc " << r.image.symbolize(r.last_pc));
      BOOST_TEST(r.io.exit_code.value_or(0) == 0u, "failed check " << (r.io.exit_code.value_or(0) & 0x3FF));
    }
  }
}

BOOST_AUTO_TEST_CASE(no_handler_halts_on_the_ecall) {
  Run r;
  run("nohandler", r);
  BOOST_TEST(r.iss.trapped());
  BOOST_TEST(!r.io.exit_code.has_value());
  BOOST_TEST(*r.iss.csrs().read(nmtwin::riscv::csr::mcause) == cause::ecall);
  BOOST_TEST(r.image.symbolize(r.last_pc) == "_start+0x8");  // li gp (one word), nop, ecall
}

BOOST_AUTO_TEST_CASE(a_failing_check_is_reported) {
  Run r;
  run("selftest_fail", r);
  BOOST_TEST(r.io.exit_code.value_or(0) == 0x401u);
}
