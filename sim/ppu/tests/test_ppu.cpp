// The processor behind a node's chip, driven as the host drives it: ppu_* chip registers
// over the chip link (load, release, status, exit code, console, mailbox), the chip window,
// the timer with clock gating in wfi, and refusals.  Programs are assembled here with
// the ISS tests' helpers over nmtwin/riscv.hpp (asm.hpp), so the test needs no cross compiler.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/riscv.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/ppu/tests/asm.hpp"
#include "sim/simulation.hpp"

namespace chip = nmtwin::spec::chip;
namespace ppu = nmtwin::spec::ppu;
namespace rv = nmtwin::riscv;
using nmtwin::hostlink::Program;
using nmtwin::ppu::test::csr;
using nmtwin::ppu::test::i_type;
using nmtwin::ppu::test::jal;
using nmtwin::ppu::test::Op;
using nmtwin::ppu::test::r_type;
using nmtwin::ppu::test::store;
using nmtwin::ppu::test::system;
using nmtwin::ppu::test::upper;

namespace {

// Register numbers by ABI name.
enum : std::uint8_t { zero = 0, ra = 1, sp = 2, t0 = 5, t1 = 6, t2 = 7, a0 = 10, a1 = 11 };

// `t0 = io_base; exit(a0)` appended.
void exit_with_a0(std::vector<std::uint32_t>& code) {
  code.push_back(upper(Op::lui, t0, ppu::io_base >> 12));
  code.push_back(store(Op::sw, a0, t0, static_cast<std::int32_t>(ppu::io::exit - ppu::io_base)));
  code.push_back(jal(zero, 0));  // halted before it matters
}

std::uint32_t bus(std::uint32_t chip_addr) { return chip::bus_addr(chip_addr); }

// Every cycle of these tests checks that the processor's one evaluation a cycle sees
// what an evaluation with the clock low would (Ppu::set_settle_check).
struct Twin {
  nmtwin::sim::Simulation simulation;
  nmtwin::sim::InProcessConnection connection{simulation};
  nmtwin::sim::Node& node() { return simulation.node(0); }

  explicit Twin(bool settle_check = true) { node().ppu().set_settle_check(settle_check); }

  void load_and_start(const std::vector<std::uint32_t>& code) {
    Program p;
    p.write(bus(chip::ppu_ctrl), 0);
    for (std::size_t i = 0; i < code.size(); ++i) p.write(bus(chip::ppu_imem::base + i), code[i]);
    p.write(bus(chip::ppu_ctrl), 1);
    connection.run(p);
  }
  // Waits `cycles` and reads a chip register.
  std::uint32_t read_after(std::uint32_t chip_addr, std::uint64_t cycles = 2000) {
    Program p;
    p.timer_reset();
    p.wait_until(cycles);
    auto t = p.read(bus(chip_addr));
    connection.run(p);
    return t.value();
  }
  std::uint32_t read(std::uint32_t chip_addr) { return read_after(chip_addr, 1); }
};

constexpr std::uint32_t exited = 1u << chip::ppu_status_fields::exited.lsb;

}  // namespace

BOOST_AUTO_TEST_CASE(exit_code_reaches_the_host) {
  Twin twin;
  BOOST_TEST(twin.read(chip::ppu_status) == 0u);  // held after reset
  std::vector<std::uint32_t> code{i_type(Op::addi, a0, zero, 42)};
  exit_with_a0(code);
  twin.load_and_start(code);
  BOOST_TEST(twin.read_after(chip::ppu_status) == exited);
  BOOST_TEST(twin.read(chip::ppu_exit_code) == 42u);
  BOOST_TEST(twin.read(chip::ppu_instret) == 3u);  // addi, lui, sw
  // Halted: the clock stays gated however long the chip runs on.
  const auto clocked = twin.node().ppu().stats().clocked;
  twin.read_after(chip::ppu_status, 100000);
  BOOST_TEST(twin.node().ppu().stats().clocked - clocked < 100u);
}

BOOST_AUTO_TEST_CASE(console_and_mailbox) {
  Twin twin;
  Program in;
  in.write(bus(chip::ppu_mailbox::base + 0), 5);
  twin.connection.run(in);
  std::vector<std::uint32_t> code{
      upper(Op::lui, t1, ppu::mailbox_base >> 12),
      i_type(Op::lw, a0, t1, 0),
      i_type(Op::addi, a0, a0, 1),
      store(Op::sw, a0, t1, 4),
      upper(Op::lui, t2, ppu::io_base >> 12),
      i_type(Op::addi, a1, zero, 'h'),
      store(Op::sw, a1, t2, 0),
      i_type(Op::addi, a1, zero, 'i'),
      store(Op::sw, a1, t2, 0),
      i_type(Op::addi, a0, zero, 0),
  };
  exit_with_a0(code);
  twin.load_and_start(code);
  BOOST_TEST(twin.read_after(chip::ppu_status) == (exited | 1u << chip::ppu_status_fields::console.lsb));
  BOOST_TEST(twin.read(chip::ppu_mailbox::base + 1) == 6u);
  const std::uint32_t valid = 1u << chip::ppu_console_fields::valid.lsb;
  BOOST_TEST(twin.read(chip::ppu_console) == (valid | 'h'));
  BOOST_TEST(twin.read(chip::ppu_console) == (valid | 'i'));
  BOOST_TEST(twin.read(chip::ppu_console) == 0u);
}

BOOST_AUTO_TEST_CASE(chip_window_writes_four_synapses_per_word) {
  Twin twin;
  std::vector<std::uint32_t> code{
      upper(Op::lui, t1, ppu::window::weight >> 12),
      upper(Op::lui, a0, 0x01020),  // a0 = 0x01020000
      i_type(Op::addi, a0, a0, 0x304),
      store(Op::sw, a0, t1, 512 * 0 + 4),  // row 0, neurons 4..7 = 4, 3, 2, 1
      i_type(Op::lw, a1, t1, 4),
      i_type(Op::addi, a0, a1, 0),
  };
  exit_with_a0(code);
  twin.load_and_start(code);
  BOOST_TEST(twin.read_after(chip::ppu_status) == exited);
  BOOST_TEST(twin.read(chip::ppu_exit_code) == 0x01020304u);
  BOOST_TEST(twin.read(chip::weight::addr(4, chip::weight::value)) == 4u);
  BOOST_TEST(twin.read(chip::weight::addr(7, chip::weight::value)) == 1u);
}

BOOST_AUTO_TEST_CASE(timer_wakes_the_core_from_wfi_with_its_clock_gated_meanwhile) {
  Twin twin;
  constexpr std::int32_t sleep_cycles = 1500;
  std::vector<std::uint32_t> code{
      upper(Op::lui, t1, ppu::io_base >> 12),
      i_type(Op::lw, a0, t1, static_cast<std::int32_t>(ppu::io::systime_lo - ppu::io_base)),
      i_type(Op::addi, a0, a0, sleep_cycles),
      store(Op::sw, zero, t1, static_cast<std::int32_t>(ppu::io::timecmp_hi - ppu::io_base)),
      store(Op::sw, a0, t1, static_cast<std::int32_t>(ppu::io::timecmp_lo - ppu::io_base)),
      i_type(Op::addi, a1, zero, 0x80),
      csr(Op::csrrs, zero, rv::csr::mie, a1),  // timer interrupt enabled, mstatus.MIE off
      system(Op::wfi),
      i_type(Op::lw, a1, t1, static_cast<std::int32_t>(ppu::io::systime_lo - ppu::io_base)),
      r_type(Op::sub, a0, a1, a0),  // cycles late
  };
  exit_with_a0(code);
  twin.load_and_start(code);
  BOOST_TEST(twin.read_after(chip::ppu_status, 500) == (1u << chip::ppu_status_fields::sleeping.lsb |
                                                        1u << chip::ppu_status_fields::running.lsb));
  BOOST_TEST(twin.read_after(chip::ppu_status, 2000) == exited);
  BOOST_TEST(twin.read(chip::ppu_exit_code) < 10u);  // woke within a few cycles of timecmp
  BOOST_TEST(twin.node().ppu().stats().clocked < 400u);  // not the 1500 cycles asleep
}

BOOST_AUTO_TEST_CASE(instruction_memory_is_written_only_while_held) {
  Twin twin;
  twin.load_and_start({jal(zero, 0)});  // j . : runs forever
  Program p;
  p.write(bus(chip::ppu_imem::base), 0);
  BOOST_CHECK_THROW(twin.connection.run(p), nmtwin::hostlink::RunError);
  // The twin keeps serving: hold, load something else, run it.
  std::vector<std::uint32_t> code{i_type(Op::addi, a0, zero, 9)};
  exit_with_a0(code);
  twin.load_and_start(code);
  BOOST_TEST(twin.read_after(chip::ppu_exit_code) == 9u);
}

BOOST_AUTO_TEST_CASE(commit_log_is_spike_format_and_deterministic) {
  // Once with the falling-edge evaluation done and checked, once without: the same log.
  const auto run = [](const std::string& path, bool settle_check) {
    Twin twin(settle_check);
    twin.simulation.open_commit_log(0, path);
    std::vector<std::uint32_t> code{i_type(Op::addi, a0, zero, 3),
                                    upper(Op::lui, t1, ppu::dmem_base >> 12),
                                    store(Op::sw, a0, t1, 8)};
    exit_with_a0(code);
    twin.load_and_start(code);
    twin.read_after(chip::ppu_status);
    twin.simulation.open_commit_log(0, "");
  };
  // Into the temporary directory, not the working directory (a run from the checkout
  // left the logs there).
  const auto tmp = std::filesystem::temp_directory_path();
  const auto pid = std::to_string(::getpid());
  const auto path_a = (tmp / ("nmtwin_ppu_commits_a_" + pid + ".log")).string();
  const auto path_b = (tmp / ("nmtwin_ppu_commits_b_" + pid + ".log")).string();
  run(path_a, true);
  run(path_b, false);
  std::ifstream a(path_a), b(path_b);
  const std::string ta((std::istreambuf_iterator<char>(a)), {}), tb((std::istreambuf_iterator<char>(b)), {});
  std::filesystem::remove(path_a);
  std::filesystem::remove(path_b);
  BOOST_TEST(ta == tb);
  BOOST_TEST(ta.find("core   0: 3 0x00000000 (0x00300513) x10 0x00000003") != std::string::npos, ta);
  BOOST_TEST(ta.find("addi    a0, zero, 3") != std::string::npos, ta);
  BOOST_TEST(ta.find(" mem 0x00010008 0x00000003") != std::string::npos, ta);
}
