// The Verilated rv32_core and the instruction-set model in lock-step over seeded random
// programs (random_program.hpp): every commit of the core (pc, instruction, register
// write, store, trap) must equal the model's, and at the end both data memories and
// both mailboxes. The core's memories are modelled here after the core-side memory map;
// the buses grant and answer in the next cycle as block RAMs do, or, for every other
// seed, after random delays. The interrupt lines change at random between instructions
// and rise while the core sleeps (test::RandomLines); the model is stepped with the
// lines of each of the core's commits. 400 programs: more than 10^6 instructions.
//
// usage: test_lockstep [-- FIRST_SEED COUNT]   (a failure names its seed: rerun with it)
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include "Vrv32_core.h"
#include "nmtwin/random.hpp"
#include "sim/ppu/iss.hpp"
#include "sim/ppu/tests/random_program.hpp"
#include "tb_harness.hpp"

using namespace nmtwin::ppu;
using nmtwin::ppu::test::RandomProgram;
namespace fw = nmtwin::fw;

namespace {

std::string describe(const Commit& c) {
  std::ostringstream s;
  const bool interrupt = c.trap && (c.cause & kInterruptBit);
  s << std::hex << "pc 0x" << c.pc << " insn 0x" << c.insn << " ("
    << (interrupt ? std::string("interrupt") : nmtwin::riscv::disassemble(c.insn, c.pc)) << ") rd x" << std::dec
    << unsigned{c.rd} << std::hex << " = 0x" << c.rd_wdata;
  if (c.mem_we) s << " mem[0x" << c.mem_addr << "] = 0x" << c.mem_wdata << " be 0x" << unsigned{c.mem_be};
  if (c.trap) s << " trap cause 0x" << c.cause << " tval 0x" << c.tval;
  return s.str();
}

// The commit with the fields that do not count cleared: the commit port defines rd_wdata
// only with rd != 0, mem_* only with mem_we, cause and tval only with trap (the core
// leaves the others as they fall, without gating).
Commit significant(Commit c) {
  if (c.rd == 0) c.rd_wdata = 0;
  if (!c.mem_we) c.mem_addr = c.mem_wdata = c.mem_be = 0;
  if (!c.trap) c.cause = c.tval = 0;
  return c;
}

// One bus of the core: a granted request is answered `wait` cycles later (0: the next
// cycle); with random latency grants are withheld and answers delayed at random.
struct Bus {
  bool pending = false;
  unsigned wait = 0;
  std::uint32_t rdata = 0;
  bool err = false;

  void drive(unsigned char& gnt, unsigned char& rvalid, std::uint32_t& rdata_o, unsigned char& err_o, bool random,
             nmtwin::random::Xoshiro256ss& rng) {
    rvalid = pending && wait == 0;
    rdata_o = rvalid ? rdata : 0;
    err_o = rvalid && err;
    if (rvalid) {
      pending = false;
    } else if (pending) {
      --wait;
    }
    gnt = !pending && !rvalid && (!random || nmtwin::random::bernoulli(rng, 0.6));
  }
  void respond(std::uint32_t data, bool error, bool random, nmtwin::random::Xoshiro256ss& rng) {
    pending = true;
    wait = random ? static_cast<unsigned>(nmtwin::random::uniform_int<unsigned>(rng, 0, 3)) : 0;
    rdata = data;
    err = error;
  }
};

// rv32_core with instruction memory, data memory and mailbox (no devices: the I/O and
// chip windows answer with an error, as the model without devices faults).
class Core {
 public:
  Core(const RandomProgram& p, bool random, std::uint64_t seed)
      : h_("lockstep"),
        random_(random),
        rng_(seed),
        lines_(seed),
        imem_(fw::MemoryLayout{}.imem_bytes / 4),
        dmem_(fw::MemoryLayout{}.dmem_bytes / 4),
        mailbox_(fw::MemoryLayout{}.mailbox_bytes / 4) {
    std::copy(p.imem.begin(), p.imem.end(), imem_.begin());
    std::copy(p.dmem.begin(), p.dmem.end(), dmem_.begin());
    std::copy(p.mailbox.begin(), p.mailbox.end(), mailbox_.begin());
  }

  // Clocks the core up to its next commit; nullopt when it halts first or `limit`
  // cycles pass.
  std::optional<Commit> next(std::uint64_t limit) {
    for (std::uint64_t n = 0; n < limit; ++n) {
      auto& d = h_.dut();
      if (d.halted_o) return std::nullopt;
      if (d.wfi_o) lines_.while_sleeping();
      ibus_.drive(d.ibus_gnt_i, d.ibus_rvalid_i, d.ibus_rdata_i, d.ibus_err_i, random_, rng_);
      dbus_.drive(d.dbus_gnt_i, d.dbus_rvalid_i, d.dbus_rdata_i, d.dbus_err_i, random_, rng_);
      d.irq_timer_i = lines_.timer();
      d.irq_soft_i = lines_.soft();
      d.halt_req_i = 0;
      h_.settle();
      if (d.ibus_req_o && d.ibus_gnt_i) {
        const std::uint32_t a = d.ibus_addr_o;
        const bool ok = a < imem_.size() * 4;
        ibus_.respond(ok ? imem_[a / 4] : 0, !ok, random_, rng_);
      }
      if (d.dbus_req_o && d.dbus_gnt_i) data_access(d.dbus_addr_o, d.dbus_we_o, d.dbus_be_o, d.dbus_wdata_o);
      std::optional<Commit> c;
      if (d.commit_valid_o) {
        c = Commit{.pc = d.commit_pc_o,
                   .insn = d.commit_insn_o,
                   .rd = d.commit_rd_o,
                   .rd_wdata = d.commit_rd_wdata_o,
                   .mem_we = d.commit_mem_we_o != 0,
                   .mem_addr = d.commit_mem_addr_o,
                   .mem_wdata = d.commit_mem_wdata_o,
                   .mem_be = d.commit_mem_be_o,
                   .trap = d.commit_trap_o != 0,
                   .cause = d.commit_cause_o,
                   .tval = d.commit_tval_o};
      }
      h_.rise();
      if (c) {
        commit_lines_ = {lines_.timer(), lines_.soft()};
        lines_.after_commit();
        return c;
      }
    }
    return std::nullopt;
  }

  bool halted() { return h_.dut().halted_o; }
  /// The interrupt lines (timer, software) when the last commit happened.
  std::pair<bool, bool> commit_lines() const { return commit_lines_; }
  std::uint64_t cycles() const { return h_.cycle(); }
  const std::vector<std::uint32_t>& dmem() const { return dmem_; }
  const std::vector<std::uint32_t>& mailbox() const { return mailbox_; }

 private:
  void data_access(std::uint32_t a, bool we, std::uint32_t be, std::uint32_t wdata) {
    std::uint32_t mask = 0;
    for (unsigned i = 0; i < 4; ++i) mask |= (be >> i & 1u) ? 0xFFu << (8 * i) : 0;
    std::uint32_t* w = nullptr;
    if (a < imem_.size() * 4 && !we) w = &imem_[a / 4];
    if (a - fw::dmem_base < dmem_.size() * 4) w = &dmem_[(a - fw::dmem_base) / 4];
    if (a - fw::mailbox_base < mailbox_.size() * 4) w = &mailbox_[(a - fw::mailbox_base) / 4];
    if (!w) return dbus_.respond(0, true, random_, rng_);
    if (we) *w = (*w & ~mask) | (wdata & mask);
    dbus_.respond(we ? 0 : *w, false, random_, rng_);
  }

  nmtwin::tb::Harness<Vrv32_core> h_;
  bool random_;
  nmtwin::random::Xoshiro256ss rng_;
  test::RandomLines lines_;
  std::pair<bool, bool> commit_lines_{false, false};
  std::vector<std::uint32_t> imem_, dmem_, mailbox_;
  Bus ibus_, dbus_;
};

struct Totals {
  std::uint64_t commits = 0, cycles = 0;
  std::map<std::uint32_t, std::uint64_t> causes;  // traps and interrupts taken
};

// Program `seed` on both; false (after reporting) at the first difference.
bool lockstep(std::uint64_t seed, Totals& totals) {
  const RandomProgram p = test::random_program(seed);
  Iss iss;
  std::copy(p.imem.begin(), p.imem.end(), iss.imem().begin());
  std::copy(p.dmem.begin(), p.dmem.end(), iss.dmem().begin());
  std::copy(p.mailbox.begin(), p.mailbox.end(), iss.mailbox().begin());
  iss.reset();
  Core core(p, seed % 2 == 0, seed);
  for (std::uint64_t index = 0;; ++index) {
    std::optional<Commit> got = core.next(10000);
    if (got) got = significant(*got);
    iss.set_interrupt_lines(core.commit_lines().first, core.commit_lines().second);
    std::optional<Commit> want = iss.step();
    if (want) want = significant(*want);
    if (!want && !got) break;
    if (!want || !got || !(*want == *got)) {
      BOOST_ERROR("seed " << seed << ", instruction " << index << ": the core and the model differ\n  model: "
                          << (want ? describe(*want) : "halted") << "\n  core:  "
                          << (got             ? describe(*got)
                              : core.halted() ? "halted"
                                              : "no commit in 10000 cycles")
                          << "\n  rerun: test_lockstep -- " << seed << " 1");
      return false;
    }
    ++totals.commits;
    if (got->trap) ++totals.causes[got->cause];
  }
  totals.cycles += core.cycles();
  BOOST_TEST(iss.trapped(), "seed " << seed << ": the model did not end at the final ecall");
  BOOST_TEST(core.dmem() == iss.dmem(), "seed " << seed << ": data memories differ at the end");
  BOOST_TEST(core.mailbox() == iss.mailbox(), "seed " << seed << ": mailboxes differ at the end");
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(random_programs_commit_alike) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  const bool given = suite.argc >= 3;
  const std::uint64_t first = given ? std::strtoull(suite.argv[suite.argc - 2], nullptr, 0) : 1;
  const std::uint64_t count = given ? std::strtoull(suite.argv[suite.argc - 1], nullptr, 0) : 400;
  Totals totals;
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    if (!lockstep(seed, totals)) break;
  }
  BOOST_TEST_MESSAGE(totals.commits << " commits in lock-step, " << totals.cycles << " core cycles (CPI "
                                    << static_cast<double>(totals.cycles) / static_cast<double>(totals.commits) << ")");
  for (const auto& [c, n] : totals.causes) BOOST_TEST_MESSAGE("cause 0x" << std::hex << c << std::dec << ": " << n);
  if (given) return;
  BOOST_TEST(totals.commits >= 1'000'000u);
  for (std::uint32_t c :
       {cause::insn_misaligned, cause::illegal, cause::breakpoint, cause::load_misaligned, cause::load_fault,
        cause::store_misaligned, cause::store_fault, cause::ecall, cause::soft_interrupt, cause::timer_interrupt}) {
    BOOST_TEST(totals.causes.contains(c), "no trap with cause 0x" << std::hex << c << " in lock-step");
  }
}
