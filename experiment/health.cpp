#include "experiment/health.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <map>
#include <sstream>

#include "experiment/spike_ledger.hpp"
#include "nmtwin/elf.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "nmtwin/system.hpp"

namespace nmtwin::apps {

namespace {

namespace reg = spec::fpga_reg;
namespace chip = spec::chip;
using hostlink::Program;
using hostlink::Ticket;

// Patterns every read-write register under test is written with and read back.
std::vector<std::uint32_t> patterns() {
  std::vector<std::uint32_t> p{0x00000000u, 0xFFFFFFFFu, 0xAAAAAAAAu, 0x55555555u};
  for (unsigned b = 0; b < 32; ++b) p.push_back(1u << b);
  for (unsigned b = 0; b < 32; ++b) p.push_back(~(1u << b));
  return p;
}

struct PatternTest {
  std::string name;
  std::uint32_t addr = 0;
  Ticket original;
  std::vector<Ticket> reads;
};

void add_pattern_test(Program& p, PatternTest& t) {
  t.original = p.read(t.addr);
  for (auto v : patterns()) {
    p.write(t.addr, v);
    t.reads.push_back(p.read(t.addr));
  }
}

void restore(Program& p, const PatternTest& t) { p.write(t.addr, t.original.value()); }

// Bits that read 1 after a 0 was written (stuck at 1) and 0 after a 1 (stuck at 0).
std::pair<std::uint32_t, std::uint32_t> stuck_bits(const PatternTest& t) {
  const auto ps = patterns();
  std::uint32_t at1 = 0, at0 = 0;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const auto got = t.reads[i].value();
    at1 |= got & ~ps[i];
    at0 |= ~got & ps[i];
  }
  return {at1, at0};
}

std::string bit_list(std::uint32_t mask) {
  std::string s;
  for (unsigned b = 0; b < 32; ++b)
    if (mask >> b & 1) s += fmt::format("{}{}", s.empty() ? "" : ",", b);
  return s;
}

HealthCheck check(unsigned node, std::string name) {
  HealthCheck c;
  c.node = node;
  c.name = std::move(name);
  return c;
}

void fail(HealthCheck& c, HealthStatus s, std::string what) {
  c.status = std::max(c.status, s);
  c.summary += (c.summary.empty() ? "" : "; ") + what;
}

// Instructions the counter check runs between its counter_clear and its read.
constexpr unsigned counted_nops = 100;
// The systime check's wait, and how late the executor may read systime after it.
constexpr std::uint64_t systime_wait = 10000, systime_slack = 64;
// Spikes the chip-link check sends to the chip (to labels of row 250, which an idle chip ignores).
constexpr unsigned chip_spikes = 16;
constexpr std::uint16_t chip_test_label = 250;

// Phase 1 of a node: everything but the network.
struct LocalProgram {
  Program p;
  std::vector<PatternTest> patterns;
  Ticket id, chip_id, instructions, responses, systime_lo0, systime_hi0, systime_lo1, systime_hi1;
  Ticket spikes_to_chip, chip_link_drops, errors;
  std::map<std::string, Ticket> arq;
};

void build_local(LocalProgram& l) {
  auto& p = l.p;
  p.write(reg::counter_clear, 1);
  for (unsigned i = 0; i < counted_nops; ++i) p.nop();
  l.instructions = p.read(reg::instructions);
  l.id = p.read(reg::id);
  l.patterns.push_back({"FPGA scratch", reg::scratch, {}, {}});
  l.patterns.push_back({"chip neuron[0].output", chip::bus_addr(chip::neuron::addr(0, chip::neuron::output)), {}, {}});
  for (auto& t : l.patterns) add_pattern_test(p, t);
  // From the cycle the timer started (timer_base, which the FPGA latches) to a read right
  // after the wait: independent of how fast the host's instructions arrive.
  p.timer_reset();
  l.systime_lo0 = p.read(reg::timer_base_lo);
  l.systime_hi0 = p.read(reg::timer_base_hi);
  p.wait_until(systime_wait);
  l.systime_lo1 = p.read(reg::systime_lo);
  l.systime_hi1 = p.read(reg::systime_hi);
  l.chip_id = p.read(chip::bus_addr(chip::chip_id));
  for (unsigned i = 0; i < chip_spikes; ++i) p.spike(chip_test_label);
  p.wait_until(systime_wait + 1000);
  l.spikes_to_chip = p.read(reg::spikes_to_chip);
  l.chip_link_drops = p.read(reg::chip_link_drops);
  l.responses = p.read(reg::responses);
  l.errors = p.read(reg::errors);
  for (const auto& [name, addr] :
       std::initializer_list<std::pair<const char*, std::uint32_t>>{{"arq_retransmits", reg::arq_retransmits},
                                                                     {"arq_duplicates", reg::arq_duplicates},
                                                                     {"arq_drop_short", reg::arq_drop_short},
                                                                     {"arq_drop_length", reg::arq_drop_length},
                                                                     {"arq_drop_ptype", reg::arq_drop_ptype},
                                                                     {"arq_drop_window", reg::arq_drop_window},
                                                                     {"arq_drop_reset", reg::arq_drop_reset},
                                                                     {"arq_rx_frames", reg::arq_rx_frames},
                                                                     {"arq_tx_frames", reg::arq_tx_frames}})
    l.arq[name] = p.read(addr);
}

std::uint64_t systime(const Ticket& lo, const Ticket& hi) {
  return (static_cast<std::uint64_t>(hi.value()) << 32) | lo.value();
}

void evaluate_local(unsigned i, LocalProgram& l, const hostlink::Connection& c, HealthReport& r) {
  {
    auto h = check(i, "register_patterns");
    if (l.id.value() != reg::id_fields::value.reset)
      fail(h, HealthStatus::failed,
           fmt::format("FPGA id reads {:#010x}, not {:#010x}", l.id.value(), reg::id_fields::value.reset));
    std::uint32_t bad_bits = 0;
    for (const auto& t : l.patterns) {
      const auto [at1, at0] = stuck_bits(t);
      if (at1) fail(h, HealthStatus::failed, fmt::format("{} ({:#010x}): bit(s) {} stuck at 1", t.name, t.addr, bit_list(at1)));
      if (at0) fail(h, HealthStatus::failed, fmt::format("{} ({:#010x}): bit(s) {} stuck at 0", t.name, t.addr, bit_list(at0)));
      bad_bits += static_cast<std::uint32_t>(std::popcount(at1 | at0));
    }
    if (h.summary.empty())
      h.summary = fmt::format("{} registers, {} patterns each, read back intact", l.patterns.size(), patterns().size());
    h.metrics.push_back({"register_stuck_bit", bad_bits});
    r.checks.push_back(std::move(h));
  }
  {
    auto h = check(i, "counters");
    const auto n = l.instructions.value();
    // The counter_clear write and the nops before the read: the clear itself counts or
    // not, and the read counts once it executes.
    if (n < counted_nops || n > counted_nops + 2)
      fail(h, HealthStatus::failed,
           fmt::format("instructions counted {} for {} nops after counter_clear (expected {} to {})", n, counted_nops,
                       counted_nops, counted_nops + 2));
    if (l.responses.value() == 0) fail(h, HealthStatus::failed, "responses stayed 0 while the FPGA answered reads");
    if (h.summary.empty()) h.summary = fmt::format("instructions counted {} for {} nops", n, counted_nops);
    h.metrics.push_back({"instructions_counted", static_cast<double>(n)});
    r.checks.push_back(std::move(h));
  }
  {
    auto h = check(i, "systime");
    const auto t0 = systime(l.systime_lo0, l.systime_hi0), t1 = systime(l.systime_lo1, l.systime_hi1);
    const auto d = t1 - t0;
    if (t1 <= t0)
      fail(h, HealthStatus::failed, fmt::format("systime does not advance: {} before a wait of {} cycles, {} after", t0,
                                                systime_wait, t1));
    else if (d < systime_wait || d > systime_wait + systime_slack)
      fail(h, HealthStatus::failed, fmt::format("systime advanced {} cycles over a timed wait of {} cycles (expected {} "
                                                "to {})",
                                                d, systime_wait, systime_wait, systime_wait + systime_slack));
    else
      h.summary = fmt::format("advanced {} cycles over a wait of {}", d, systime_wait);
    h.metrics.push_back({"systime_advance_cycles", static_cast<double>(t1 - t0)});
    r.checks.push_back(std::move(h));
  }
  {
    auto h = check(i, "chip_link");
    const auto want = chip::chip_id_fields::value.reset;
    if (l.chip_id.value() != want)
      fail(h, HealthStatus::failed, fmt::format("chip_id reads {:#010x}, not {:#010x}", l.chip_id.value(), want));
    if (l.spikes_to_chip.value() != chip_spikes)
      fail(h, HealthStatus::failed,
           fmt::format("spikes_to_chip counted {} of {} spikes sent", l.spikes_to_chip.value(), chip_spikes));
    if (l.chip_link_drops.value() != 0)
      fail(h, HealthStatus::degraded, fmt::format("chip_link_drops = {}", l.chip_link_drops.value()));
    if (h.summary.empty()) h.summary = fmt::format("chip_id read over the link, {} spikes to the chip counted", chip_spikes);
    h.metrics.push_back({"chip_spikes_counted", l.spikes_to_chip.value()});
    h.metrics.push_back({"chip_link_drops", l.chip_link_drops.value()});
    r.checks.push_back(std::move(h));
  }
  {
    auto h = check(i, "arq");
    std::uint64_t drops = 0;
    for (const auto& [name, t] : l.arq) {
      h.metrics.push_back({name, t.value()});
      if (name.starts_with("arq_drop")) drops += t.value();
    }
    const auto& s = c.stats();
    h.metrics.push_back({"host_retransmits", static_cast<double>(s.retransmits)});
    h.metrics.push_back({"host_dropped", static_cast<double>(s.dropped)});
    h.metrics.push_back({"host_rtt_min_seconds", std::chrono::duration<double>(s.rtt_min()).count()});
    const auto retrans = l.arq["arq_retransmits"].value();
    if (drops || retrans || l.errors.value())
      fail(h, HealthStatus::degraded,
           fmt::format("during the checks the FPGA retransmitted {} frame(s), dropped {} datagram(s), sent {} error "
                       "response(s)",
                       retrans, drops, l.errors.value()));
    if (s.retransmits || s.dropped)
      fail(h, HealthStatus::degraded,
           fmt::format("the host retransmitted {} frame(s) and dropped {} over the connection's life", s.retransmits,
                       s.dropped));
    if (h.summary.empty())
      h.summary = fmt::format("{} frames in, {} out, no retransmission or drop", l.arq["arq_rx_frames"].value(),
                              l.arq["arq_tx_frames"].value());
    r.checks.push_back(std::move(h));
  }
}

bool linked(const extoll::NetworkSpec& spec, unsigned node) {
  return std::any_of(spec.links.begin(), spec.links.end(), [&](const extoll::NetworkLink& l) {
    return (!l.a.is_switch && l.a.index == node) || (!l.b.is_switch && l.b.index == node);
  });
}

// The link test: each linked FPGA sends spikes to its own node id (the topology's, which
// the switches' tables know) through bucket 7 (a switch sends them back, a directly
// linked FPGA takes them), forwarded at once.
constexpr std::uint16_t link_source = 0x3FF0, link_dest = 0x3FF1;  // split 0; chip rows 240, 241
constexpr unsigned link_bucket = 7, link_spikes = 32, link_spacing = 40;
constexpr std::uint64_t link_drain = 20000;

struct LinkState {  // what the link test changes, read first and put back after
  Ticket node_id, event_source, router_enable, delay_control, dest, delay, timeout, entry;
};

void link_checks(std::span<hostlink::Connection* const> fpgas, const HealthOptions& o, HealthReport& r) {
  std::vector<unsigned> nodes;
  for (unsigned i = 0; i < fpgas.size(); ++i) {
    if (linked(o.network, i)) {
      nodes.push_back(i);
      continue;
    }
    auto h = check(i, "extoll_link");
    h.skipped = true;
    h.summary = "no EXTOLL link in this system's topology";
    r.checks.push_back(std::move(h));
  }
  if (nodes.empty()) return;
  std::vector<hostlink::Connection*> mine;
  for (auto i : nodes) mine.push_back(fpgas[i]);
  const std::uint32_t entry_addr = spec::bus::table_base + link_source;
  std::vector<LinkState> saved(nodes.size());
  {
    std::vector<Program> ps(nodes.size());
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      auto& s = saved[k];
      auto& p = ps[k];
      s = {p.read(reg::node_id),          p.read(reg::event_source),         p.read(reg::router_enable),
           p.read(reg::delay_control),    p.read(reg::bucket_dest(link_bucket)), p.read(reg::bucket_delay(link_bucket)),
           p.read(reg::bucket_timeout(link_bucket)), p.read(entry_addr)};
    }
    hostlink::run_together(mine, ps);
  }
  // Two rounds: one spike first, then (where it arrived) the rest. A dead link never
  // frees its send buffers, and a burst into it would stall the executor for good.
  std::vector<std::array<hostlink::Counter48, 5>> counters(nodes.size());
  std::vector<bool> alive(nodes.size(), true);
  for (unsigned round = 0; round < 2; ++round) {
    std::vector<hostlink::Connection*> these;
    std::vector<std::size_t> which;
    for (std::size_t k = 0; k < nodes.size(); ++k)
      if (alive[k]) {
        these.push_back(mine[k]);
        which.push_back(k);
      }
    if (these.empty()) break;
    std::vector<Program> ps(these.size());
    for (std::size_t j = 0; j < these.size(); ++j) {
      const auto k = which[j];
      auto& p = ps[j];
      const auto& s = saved[k];
      if (round == 0) {
        p.write(reg::event_source, s.event_source.value() | 1);
        p.write(reg::router_enable, s.router_enable.value() | 1);
        p.write(reg::delay_control, s.delay_control.value() | 1);
        p.write(reg::bucket_dest(link_bucket), o.network.node_ids.at(nodes[k]));  // where the switches route it
        p.write(reg::bucket_delay(link_bucket), 0);
        p.write(reg::bucket_timeout(link_bucket), 1);
        p.write(entry_addr, static_cast<std::uint32_t>(
                                spec::layout::RouterEntry{.valid = 1, .bucket = link_bucket, .label = link_dest}.encode()));
        p.write(reg::counter_clear, 1);
      }
      p.timer_reset();
      const unsigned spikes = round == 0 ? 1 : link_spikes - 1;
      for (unsigned n = 0; n < spikes; ++n) {
        p.wait_until(std::uint64_t{n} * link_spacing + 100);
        p.spike(link_source);
      }
      p.wait_until(std::uint64_t{spikes} * link_spacing + link_drain);
      auto& c = counters[k];
      c[0] = read_counter48(p, reg::link_packets_received);
      c[1] = read_counter48(p, reg::link_crc_errors);
      c[2] = read_counter48(p, reg::link_retransmits);
      c[3] = read_counter48(p, reg::packets_sent(link_bucket));
      c[4] = read_counter48(p, reg::link_credit_stalls);
    }
    hostlink::run_together(these, ps);
    for (auto k : which) alive[k] = counters[k][0].value() > 0;
  }
  // Every spike of the test accounted for, in the system's terms (docs/network.md).
  std::vector<std::string> lost;
  if (nodes.size() == fpgas.size()) {
    const auto ledger = drain_and_read(fpgas, o.network, o.unroutable);
    lost = conservation_violations(o.network, ledger);
  }
  std::vector<Program> back(nodes.size());
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    auto& p = back[k];
    const auto& s = saved[k];
    p.write(entry_addr, s.entry.value());
    p.write(reg::bucket_dest(link_bucket), s.dest.value());
    p.write(reg::bucket_delay(link_bucket), s.delay.value());
    p.write(reg::bucket_timeout(link_bucket), s.timeout.value());
    p.write(reg::delay_control, s.delay_control.value());
    p.write(reg::router_enable, s.router_enable.value());
    p.write(reg::event_source, s.event_source.value());
  }
  hostlink::run_together(mine, back);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    auto h = check(nodes[k], "extoll_link");
    const auto received = counters[k][0].value(), crc = counters[k][1].value(), again = counters[k][2].value();
    const auto sent = counters[k][3].value(), stalls = counters[k][4].value();
    if (received == 0)
      fail(h, HealthStatus::failed,
           fmt::format("link down: no packet received in the link test ({} sent, {} retransmission(s), {} credit "
                       "stall cycles)",
                       sent, again, stalls));
    else if (crc || again)
      fail(h, HealthStatus::degraded,
           fmt::format("lossy link: {} packet(s) with a bad CRC, {} retransmission(s) for {} packets sent, {} received",
                       crc, again, sent, received));
    else
      h.summary = fmt::format("{} packets sent, {} received, no CRC error or retransmission", sent, received);
    h.metrics.push_back({"link_packets_sent", static_cast<double>(sent)});
    h.metrics.push_back({"link_packets_received", static_cast<double>(received)});
    h.metrics.push_back({"link_crc_errors", static_cast<double>(crc)});
    h.metrics.push_back({"link_retransmits", static_cast<double>(again)});
    r.checks.push_back(std::move(h));
  }
  for (const auto& v : lost) {
    auto h = check(0, "spike_accounting");
    fail(h, HealthStatus::failed, v);
    r.checks.push_back(std::move(h));
  }
}

void firmware_check(unsigned i, hostlink::Connection& c, const std::string& elf, HealthReport& r) {
  auto h = check(i, "firmware");
  if (elf.empty()) {
    h.skipped = true;
    h.summary = "no firmware health kernel given (--firmware; build it with `ninja firmware`)";
    r.checks.push_back(std::move(h));
    return;
  }
  try {
    const auto image = fw::load_elf(elf);
    fw::RunOptions options;
    options.name = elf;
    std::string console;
    const auto result = fw::run(c, image, options, [&](std::string_view text) { console += text; });
    const auto word = [&](std::size_t w) { return w < result.mailbox.size() ? result.mailbox[w] : 0u; };
    h.metrics.push_back({"firmware_faults", static_cast<double>(word(3))});
    if (word(0) != 0x484C5448u || word(2) == 1)
      fail(h, HealthStatus::failed, fmt::format("the kernel left no result (exit code {})", result.exit_code));
    else if (result.exit_code != 0) {
      std::string faults;
      std::istringstream lines(console);
      for (std::string line; std::getline(lines, line);)
        if (line.find("stuck") != std::string::npos || line.find("dead") != std::string::npos ||
            line.find("counter") != std::string::npos || line.find("sensor") != std::string::npos)
          faults += (faults.empty() ? "" : "; ") + line;
      fail(h, HealthStatus::failed, fmt::format("{} fault(s): {}", word(3), faults.empty() ? console : faults));
    } else {
      h.summary = "health kernel: healthy (synapse memory, neurons, counters, sensors)";
    }
  } catch (const std::exception& e) {
    fail(h, HealthStatus::failed, e.what());
  }
  r.checks.push_back(std::move(h));
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned char>(ch));
        else out += ch;
    }
  }
  return out + "\"";
}

std::string number(double v) { return fmt::format("{}", v); }

std::string label_value(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\\') out += "\\\\";
    else if (ch == '"') out += "\\\"";
    else if (ch == '\n') out += "\\n";
    else out += ch;
  }
  return out;
}

}  // namespace

std::string_view health_status_name(HealthStatus s) {
  switch (s) {
    case HealthStatus::healthy: return "healthy";
    case HealthStatus::degraded: return "degraded";
    case HealthStatus::failed: return "failed";
  }
  return "failed";
}

HealthStatus HealthReport::status() const {
  HealthStatus s = HealthStatus::healthy;
  for (const auto& c : checks) s = std::max(s, c.status);
  return s;
}

HealthReport run_health(std::span<hostlink::Connection* const> fpgas, const HealthOptions& o) {
  HealthReport r;
  r.target = o.target;
  std::vector<LocalProgram> local(fpgas.size());
  std::vector<Program> programs;
  for (auto& l : local) build_local(l);
  for (auto& l : local) programs.push_back(std::move(l.p));
  hostlink::run_together(fpgas, programs);
  {
    std::vector<Program> back(fpgas.size());
    for (std::size_t i = 0; i < fpgas.size(); ++i)
      for (const auto& t : local[i].patterns) restore(back[i], t);
    hostlink::run_together(fpgas, back);
  }
  for (unsigned i = 0; i < fpgas.size(); ++i) evaluate_local(i, local[i], *fpgas[i], r);
  link_checks(fpgas, o, r);
  for (unsigned i = 0; i < fpgas.size(); ++i) firmware_check(i, *fpgas[i], o.firmware_elf, r);
  std::stable_sort(r.checks.begin(), r.checks.end(),
                   [](const HealthCheck& a, const HealthCheck& b) { return a.node < b.node; });
  return r;
}

void print_health(std::ostream& out, const HealthReport& r) {
  unsigned n[3] = {0, 0, 0}, skipped = 0;
  out << fmt::format("nmtwin health: {}\n", r.target);
  for (const auto& c : r.checks) {
    const auto state = c.skipped ? std::string_view("skipped") : health_status_name(c.status);
    out << fmt::format("  node {:<3} {:<18} {:<9} {}\n", c.node, c.name, state, c.summary);
    if (c.skipped) ++skipped;
    else ++n[static_cast<int>(c.status)];
  }
  out << fmt::format("{}: {} healthy, {} degraded, {} failed, {} skipped\n", health_status_name(r.status()), n[0], n[1],
                     n[2], skipped);
}

std::string health_json(const HealthReport& r) {
  std::string s = fmt::format("{{\n  \"target\": {},\n  \"status\": \"{}\",\n  \"exit_status\": {},\n  \"checks\": [",
                              json_string(r.target), health_status_name(r.status()), static_cast<int>(r.status()));
  for (std::size_t i = 0; i < r.checks.size(); ++i) {
    const auto& c = r.checks[i];
    s += fmt::format("{}\n    {{\"node\": {}, \"check\": {}, \"status\": \"{}\", \"summary\": {}, \"metrics\": {{",
                     i ? "," : "", c.node, json_string(c.name),
                     c.skipped ? std::string_view("skipped") : health_status_name(c.status), json_string(c.summary));
    for (std::size_t k = 0; k < c.metrics.size(); ++k)
      s += fmt::format("{}{}: {}", k ? ", " : "", json_string(c.metrics[k].first), number(c.metrics[k].second));
    s += "}}";
  }
  return s + "\n  ]\n}\n";
}

std::string health_prometheus(const HealthReport& r) {
  std::string s;
  s += "# HELP nmtwin_health_status Health of the whole system: 0 healthy, 1 degraded, 2 failed.\n";
  s += "# TYPE nmtwin_health_status gauge\n";
  s += fmt::format("nmtwin_health_status{{target=\"{}\"}} {}\n", label_value(r.target), static_cast<int>(r.status()));
  s += "# HELP nmtwin_health_check_status One check on one node: 0 healthy, 1 degraded, 2 failed, -1 skipped.\n";
  s += "# TYPE nmtwin_health_check_status gauge\n";
  std::map<std::pair<unsigned, std::string>, bool> seen;
  for (const auto& c : r.checks) {
    if (!seen.emplace(std::pair(c.node, c.name), true).second) continue;  // one series per (node, check)
    s += fmt::format("nmtwin_health_check_status{{node=\"{}\",check=\"{}\"}} {}\n", c.node, label_value(c.name),
                     c.skipped ? -1 : static_cast<int>(c.status));
  }
  // One family per metric, its samples together (the format wants a family's lines contiguous).
  std::map<std::string, std::vector<std::pair<const HealthCheck*, double>>> families;
  for (const auto& c : r.checks)
    for (const auto& [name, value] : c.metrics) families[name].push_back({&c, value});
  for (const auto& [name, samples] : families) {
    s += fmt::format("# HELP nmtwin_health_{} Measured by the {} check of nmtwin health (docs/health.md).\n", name,
                     samples.front().first->name);
    s += fmt::format("# TYPE nmtwin_health_{} gauge\n", name);
    for (const auto& [c, value] : samples)
      s += fmt::format("nmtwin_health_{}{{node=\"{}\"}} {}\n", name, c->node, number(value));
  }
  return s;
}

}  // namespace nmtwin::apps
