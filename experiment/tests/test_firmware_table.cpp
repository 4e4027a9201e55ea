// The [firmware] table of experiment and scenario files: what it parses into, the
// Program built from it, and every refusal. Argument: the directory of the built
// firmware ELFs (build/firmware).
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "experiment/experiment.hpp"
#include "experiment/scenario.hpp"
#include "nmtwin/spec.hpp"

using namespace nmtwin;
namespace instr = spec::instr;
namespace chip = spec::chip;

namespace {

std::string fw_dir() {
  const auto& args = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(args.argc >= 2, "give the directory of the built firmware ELFs");
  return args.argv[args.argc - 1];
}

std::string hello() { return fw_dir() + "/hello.elf"; }

std::string experiment(const std::string& firmware, const std::string& duration = "100") {
  return "[experiment]\nduration_us = " + duration + "\n[firmware]\n" + firmware;
}

std::string error_of(const std::string& text) {
  try {
    apps::parse_experiment(text, "exp.toml");
  } catch (const apps::ExperimentError& e) {
    return e.what();
  }
  BOOST_FAIL("no error for:\n" << text);
  return {};
}

// The data of every write to `addr` in the program, in order.
std::vector<std::uint32_t> writes_to(const hostlink::Program& p, std::uint32_t addr) {
  const auto w = p.encode(0);
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i + 1 < w.size(); ++i)
    if (instr::selector(w[i]) == instr::Opcode::write && instr::Write::decode(w[i]).addr == addr)
      out.push_back(static_cast<std::uint32_t>(instr::WriteData::decode(w[++i]).data));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_table_parses_into_a_run_and_reads) {
  const auto e = apps::parse_experiment(experiment("elf = \"" + hello() +
                                                   "\"\nat_us = 2\nmailbox = { 0 = 5, 3 = 0x10 }\n"
                                                   "read_mailbox = [3, 7]\nmax_cycles = 4000\nwatchdog = 900\n"),
                                        "exp.toml");
  BOOST_TEST_REQUIRE(e.firmware.has_value());
  const auto& f = *e.firmware;
  BOOST_TEST(f.elf == hello());
  BOOST_TEST(f.image->imem.size() > 0u);
  BOOST_TEST(f.at == 250u);
  BOOST_TEST((f.mailbox == std::map<std::uint32_t, std::uint32_t>{{0, 5}, {3, 0x10}}));
  BOOST_TEST(f.max_cycles == 4000u);
  BOOST_TEST(f.watchdog == 900u);
  BOOST_TEST_REQUIRE(e.reads.size() == 3u);
  BOOST_TEST(e.reads[0].what == "firmware.exit_code");
  BOOST_TEST(e.reads[0].addr == chip::bus_addr(chip::ppu_exit_code));
  BOOST_TEST(e.reads[2].what == "firmware.mailbox[7]");
  BOOST_TEST(e.reads[2].addr == chip::bus_addr(chip::ppu_mailbox::base + 7));
}

BOOST_AUTO_TEST_CASE(the_program_loads_held_starts_on_time_and_holds_at_the_end) {
  const auto e = apps::parse_experiment(
      experiment("elf = \"" + hello() + "\"\nat_us = 2\nmailbox = { 3 = 0x10 }\nwatchdog = 900\n"), "exp.toml");
  const auto built = apps::build_program(e);
  const auto ctrl = writes_to(built.program, chip::bus_addr(chip::ppu_ctrl));
  BOOST_TEST(
      (ctrl == std::vector<std::uint32_t>{0, 0, 1, 0}));  // load holds; the start holds and releases; the end holds
  BOOST_TEST(writes_to(built.program, chip::bus_addr(chip::ppu_mailbox::base + 3)) == std::vector<std::uint32_t>{0x10});
  BOOST_TEST(writes_to(built.program, chip::bus_addr(chip::ppu_watchdog)) == std::vector<std::uint32_t>{900});
  BOOST_TEST(writes_to(built.program, chip::bus_addr(chip::ppu_imem::base)).size() == 1u);
  const auto w = built.program.encode(0);
  BOOST_TEST((std::find(w.begin(), w.end(), instr::WaitUntil{.time = 250}.encode()) != w.end()));
  BOOST_TEST_REQUIRE(built.firmware.has_value());
  BOOST_TEST(!built.firmware->deadline.has_value());
}

BOOST_AUTO_TEST_CASE(periodic_starts_check_the_previous_run) {
  const auto e = apps::parse_experiment(experiment("elf = \"" + hello() + "\"\nat_us = 1\nperiod_us = 10\ncount = 4\n"),
                                        "exp.toml");
  BOOST_TEST((e.firmware->starts() == std::vector<std::uint64_t>{125, 1375, 2625, 3875}));
  auto built = apps::build_program(e);
  BOOST_TEST(built.firmware->periodic.before_start.size() == 3u);
  const auto ctrl = writes_to(built.program, chip::bus_addr(chip::ppu_ctrl));
  BOOST_TEST(std::count(ctrl.begin(), ctrl.end(), 1u) == 4);
}

BOOST_AUTO_TEST_CASE(the_console_is_drained_while_the_kernel_may_run) {
  const auto e = apps::parse_experiment(
      experiment("elf = \"" + hello() + "\"\nat_us = 10\nconsole_poll_us = 20\nmax_cycles = 10000\n"), "exp.toml");
  BOOST_TEST((e.firmware->drains(12'500) == std::vector<std::uint64_t>{3750, 6250, 8750}));
  BOOST_TEST((e.firmware->drains(5'000) == std::vector<std::uint64_t>{3750}));
  const auto built = apps::build_program(e);
  BOOST_TEST(built.firmware->drains.size() == 3u * spec::ppu::console_depth);
}

BOOST_AUTO_TEST_CASE(max_cycles_reads_the_state_at_the_deadline) {
  const auto e = apps::parse_experiment(experiment("elf = \"" + hello() + "\"\nmax_cycles = 5000\n"), "exp.toml");
  const auto built = apps::build_program(e);
  BOOST_TEST(built.firmware->deadline.has_value());
  const auto w = built.program.encode(0);
  BOOST_TEST((std::find(w.begin(), w.end(), instr::WaitUntil{.time = 5000}.encode()) != w.end()));
}

BOOST_AUTO_TEST_CASE(every_bad_entry_names_the_file_the_key_and_the_fix) {
  const std::string elf = "elf = \"" + hello() + "\"\n";
  const std::pair<std::string, std::vector<std::string>> cases[] = {
      {"at_us = 1\n", {"exp.toml:3", "[firmware] needs 'elf'"}},
      {"elf = \"nope.elf\"\n", {"exp.toml:4", "[firmware] elf: nope.elf: cannot open the file"}},
      {"elf = \"firmware:nope\"\n", {"exp.toml:4", "'firmware:nope': no nope.elf in", "ninja firmware"}},
      {elf + "period_us = 5\n", {"exp.toml:5", "'period_us' and 'count' together"}},
      {elf + "count = 2\nperiod_us = 0\n", {"'period_us' must be at least one cycle"}},
      {elf + "count = 2\nperiod_us = 5\nmax_cycles = 10\n", {"exp.toml:7", "limits a single start", "remove"}},
      {elf + "mailbox = { x = 1 }\n", {"exp.toml:5", "mailbox word 'x' is no index", "0 to 255"}},
      {elf + "mailbox = { 256 = 1 }\n", {"mailbox word '256' is no index"}},
      {elf + "mailbox = { 1 = -1 }\n", {"'mailbox.1' = -1 is out of range; use 0 to 4294967295"}},
      {elf + "mailbox = 3\n", {"'mailbox' must be a table of word = value"}},
      {elf + "read_mailbox = 3\n", {"'read_mailbox' must be a list of word indices"}},
      {elf + "read_mailbox = [300]\n", {"'read_mailbox' = 300 is out of range; use 0 to 255"}},
      {elf + "max_cycles = 0\n", {"'max_cycles' = 0 is out of range"}},
      {elf + "watchdog = -5\n", {"'watchdog' = -5 is out of range"}},
      {elf + "console_poll_us = 0\n", {"'console_poll_us' must be at least one cycle"}},
      {elf + "speed = 1\n", {"unknown key 'speed' in [firmware]; allowed keys: elf, at_us"}},
      {elf + "at_us = 200\n", {"exp.toml: [firmware] starts the kernel at 200.000 us", "raise duration_us"}},
      {elf + "max_cycles = 20000\n", {"[firmware] checks that the kernel exited at 160.000 us", "raise duration_us"}},
  };
  for (const auto& [table, parts] : cases) {
    const std::string message = error_of(experiment(table));
    for (const auto& part : parts) BOOST_TEST(message.find(part) != std::string::npos, part << " in: " << message);
  }
  const std::string not_a_table = error_of("firmware = 3\n[experiment]\nduration_us = 1\n");
  BOOST_TEST(not_a_table.find("'firmware' must be a table") != std::string::npos, not_a_table);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_no_elf_is_refused_at_the_elf_key) {
  const auto path = std::filesystem::temp_directory_path() / "nmtwin_test_not_an_elf.elf";
  std::ofstream(path) << "int main() { return 0; }\n";
  const std::string message = error_of(experiment("elf = \"" + path.string() + "\"\n"));
  BOOST_TEST(message.find("exp.toml:4: [firmware] elf: " + path.string() + ": not an ELF file") != std::string::npos,
             message);
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(a_scenario_chip_takes_a_firmware_table) {
  const auto s = apps::parse_scenario(
      "[scenario]\nduration_us = 50\ntags = [\"fw\"]\n[[chip]]\nnode = 0\n"
      "[chip.firmware]\nelf = \"" +
          hello() + "\"\nread_mailbox = [0]\n",
      "scn.toml");
  BOOST_TEST_REQUIRE(s.chips.size() == 1u);
  BOOST_TEST(s.chips[0].firmware.has_value());
  BOOST_TEST(s.chips[0].reads.size() == 2u);
}
