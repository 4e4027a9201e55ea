// Bench for rv32_core: runs the ISA self-tests of firmware/isa (every RV32IM
// instruction, every trap cause) with ideal and with random bus latency,
// checks that together they retire every RV32IM instruction and raise every
// trap cause, and reports cycles per instruction by class.
//
// usage: tb_rv32_core -- DIR TEST...   (DIR holds TEST.bin for each TEST,
// and nohandler.bin and selftest_fail.bin)
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>

#include "core_bench.hpp"

using nmtwin::tb::CoreBench;
using nmtwin::tb::CoreRun;
using nmtwin::tb::CpiTable;

namespace {

constexpr std::uint64_t kMaxCycles = 200000;

std::string dir() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_REQUIRE_MESSAGE(suite.argc >= 2, "usage: tb_rv32_core -- DIR TEST...");
  return suite.argv[1];
}

std::vector<std::string> tests() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  std::vector<std::string> t(suite.argv + 2, suite.argv + suite.argc);
  BOOST_REQUIRE_MESSAGE(!t.empty(), "usage: tb_rv32_core -- DIR TEST...");
  return t;
}

std::vector<std::uint8_t> image(const std::string& test) {
  const std::string path = dir() + "/" + test + ".bin";
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, path << ": cannot open (built by the isa_tests target)");
  return {std::istreambuf_iterator<char>(in), {}};
}

CoreRun run(CoreBench& bench, const std::string& test, CpiTable* cpi = nullptr) {
  bench.load(image(test));
  return bench.run(kMaxCycles, cpi);
}

/// Runs every self-checking test; each must exit with code 0, then halt.
void run_all(bool random_latency, CpiTable* cpi) {
  std::set<std::string> mnemonics;
  std::set<std::uint32_t> causes;
  for (const std::string& t : tests()) {
    BOOST_TEST_CONTEXT("test " << t) {
      CoreBench bench(t, random_latency);
      const CoreRun r = run(bench, t, cpi);
      BOOST_TEST(r.exited, "no exit within " << kMaxCycles << " cycles; last trap cause "
                                             << r.last_trap_cause);
      BOOST_TEST(r.exit_code == 0u, "failed check " << (r.exit_code & 0x3ff));
      BOOST_TEST(r.halted);
      mnemonics.insert(bench.mnemonics().begin(), bench.mnemonics().end());
      causes.insert(bench.causes().begin(), bench.causes().end());
    }
  }
  for (const char* m : nmtwin::tb::kRv32imMnemonics)
    BOOST_TEST(mnemonics.count(m) == 1u, "no test retires " << m);
  for (std::uint32_t c : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 11u, 0x80000003u, 0x80000007u})
    BOOST_TEST(causes.count(c) == 1u, "no test raises trap cause 0x" << std::hex << c);
}

}  // namespace

BOOST_AUTO_TEST_CASE(isa_tests_pass_and_cover_rv32im) {
  CpiTable cpi;
  run_all(false, &cpi);
  std::ostringstream table;
  table << "cycles per instruction (block-RAM latency, from the ISA tests):\n";
  for (const auto& [cls, e] : cpi.cls)
    table << "  " << std::left << std::setw(18) << cls << std::right << std::setw(7) << e.first
          << " instructions  CPI " << std::fixed << std::setprecision(2)
          << static_cast<double>(e.second) / static_cast<double>(e.first) << "\n";
  BOOST_TEST_MESSAGE(table.str());
}

BOOST_AUTO_TEST_CASE(isa_tests_pass_under_random_bus_latency) { run_all(true, nullptr); }

BOOST_AUTO_TEST_CASE(failing_check_ends_with_its_number) {
  CoreBench bench("selftest_fail", false);
  const CoreRun r = run(bench, "selftest_fail");
  BOOST_TEST(r.exited);
  BOOST_TEST(r.exit_code == 0x401u);
}

BOOST_AUTO_TEST_CASE(trap_without_handler_halts) {
  CoreBench bench("nohandler", false);
  const CoreRun r = run(bench, "nohandler");
  BOOST_TEST(!r.exited);
  BOOST_TEST(r.halted);
  BOOST_TEST(r.last_trap_cause == 11u);
  BOOST_TEST(r.last_trap_insn == 0x00000073u);
  // Halted means halted: no fetch, no commit, no cycle counted from then on.
  auto& h = bench.harness();
  for (int i = 0; i < 20; ++i) {
    h.settle();
    BOOST_TEST(!h->ibus_req_o);
    BOOST_TEST(!h->commit_valid_o);
    h.rise();
  }
}
