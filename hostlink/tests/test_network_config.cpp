#include <boost/test/unit_test.hpp>
#include <map>

#include "nmtwin/network_config.hpp"

namespace spec = nmtwin::spec;
namespace instr = nmtwin::spec::instr;
using namespace nmtwin::hostlink;

namespace {

// The register writes a program makes, address -> data, in order of the last write.
std::map<std::uint32_t, std::uint32_t> writes(const Program& p) {
  std::map<std::uint32_t, std::uint32_t> out;
  const auto words = p.encode(0);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (instr::selector(words[i]) != instr::Opcode::write) continue;
    const auto addr = static_cast<std::uint32_t>(instr::Write::decode(words[i]).addr);
    out[addr] = static_cast<std::uint32_t>(instr::WriteData::decode(words[++i]).data);
  }
  return out;
}

bool names(const std::invalid_argument& e, const char* field) {
  return std::string(e.what()).find(field) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(network_config)

BOOST_AUTO_TEST_CASE(a_route_is_a_valid_table_entry_at_split_and_source) {
  Program p;
  write_route(p, {.split = 1, .source = 0x1234, .bucket = 5, .dest_label = 0x2ABC});
  clear_route(p, 0, 7);
  const auto w = writes(p);
  const auto entry = spec::layout::RouterEntry::decode(w.at(spec::bus::table_base + 16384 + 0x1234));
  BOOST_TEST(entry.valid == 1u);
  BOOST_TEST(entry.bucket == 5u);
  BOOST_TEST(entry.label == 0x2ABCu);
  BOOST_TEST(w.at(spec::bus::table_base + 7) == 0u);
}

BOOST_AUTO_TEST_CASE(out_of_range_values_name_the_field) {
  Program p;
  BOOST_CHECK_EXCEPTION(write_route(p, {.split = 2}), std::invalid_argument,
                        [](const auto& e) { return names(e, "route split = 2"); });
  BOOST_CHECK_EXCEPTION(write_route(p, {.source = 16384}), std::invalid_argument,
                        [](const auto& e) { return names(e, "source label = 16384"); });
  BOOST_CHECK_EXCEPTION(write_route(p, {.bucket = 8}), std::invalid_argument,
                        [](const auto& e) { return names(e, "route bucket"); });
  BOOST_CHECK_EXCEPTION(write_bucket(p, 0, {.delay = 1024}), std::invalid_argument,
                        [](const auto& e) { return names(e, "bucket delay = 1024"); });
  BOOST_CHECK_EXCEPTION(write_bucket(p, 0, {.pulse_timeout = 256}), std::invalid_argument,
                        [](const auto& e) { return names(e, "pulse_timeout"); });
  BOOST_CHECK_EXCEPTION(write_bucket(p, 8, {}), std::invalid_argument,
                        [](const auto& e) { return names(e, "bucket index"); });
  BOOST_TEST(p.size() == 0u);  // nothing half-written
}

BOOST_AUTO_TEST_CASE(a_bucket_is_three_registers) {
  Program p;
  write_bucket(p, 3, {.dest = 0x0102, .multicast = true, .delay = 600, .pulse_timeout = 9, .packet_timeout = 200});
  const auto w = writes(p);
  const auto dest = spec::layout::BucketDest::decode(w.at(spec::fpga_reg::bucket_dest(3)));
  BOOST_TEST(dest.dest == 0x0102u);
  BOOST_TEST(dest.multicast == 1u);
  BOOST_TEST(w.at(spec::fpga_reg::bucket_delay(3)) == 600u);
  const auto t = spec::layout::BucketTimeout::decode(w.at(spec::fpga_reg::bucket_timeout(3)));
  BOOST_TEST(t.pulse_timeout == 9u);
  BOOST_TEST(t.packet_timeout == 200u);
}

BOOST_AUTO_TEST_CASE(gi_delays_make_every_fpga_fire_with_the_farthest) {
  const std::uint64_t latency[] = {0, 120, 45, 300};
  const auto d = gi_delays(latency);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(latency[i] + d[i] == 300u);
}

BOOST_AUTO_TEST_CASE(systime_sync_writes_the_preset_and_the_root_sends_the_interrupt) {
  Program node, root;
  prepare_systime_sync(node, 77, (std::uint64_t{3} << 32) | 5);
  const auto w = writes(node);
  BOOST_TEST(w.at(spec::fpga_reg::gi_delay) == 77u);
  BOOST_TEST(w.at(spec::fpga_reg::systime_preset_lo) == 5u);
  BOOST_TEST(w.at(spec::fpga_reg::systime_preset_hi) == 3u);
  BOOST_TEST(w.at(spec::fpga_reg::gi_mode) == 1u);
  BOOST_CHECK_THROW(prepare_systime_sync(node, 1u << 16, 0), std::invalid_argument);

  Program a, b;
  synchronized_start(a, false);
  synchronized_start(b, true);
  BOOST_TEST(writes(a).count(spec::fpga_reg::gi_control) == 0u);
  BOOST_TEST(writes(b).at(spec::fpga_reg::gi_control) == 1u);
  const auto words = a.encode(0);
  BOOST_TEST(b.size() == 5u);  // timer reset, wait for the margin, the send, the barrier, timer reset
  BOOST_TEST((instr::selector(words[0]) == instr::Opcode::barrier));
  BOOST_TEST(instr::Barrier::decode(words[0]).global_interrupt == 1u);
  BOOST_TEST(a.describe(0) == "#0 barrier global_interrupt");
}

BOOST_AUTO_TEST_CASE(a_48_bit_counter_reads_low_then_high) {
  Program p;
  read_counter48(p, spec::fpga_reg::events_routed);
  const auto words = p.encode(0);
  BOOST_TEST(instr::Read::decode(words[0]).addr == spec::fpga_reg::events_routed);
  BOOST_TEST(instr::Read::decode(words[1]).addr == spec::fpga_reg::events_routed + 1);
}

BOOST_AUTO_TEST_SUITE_END()
