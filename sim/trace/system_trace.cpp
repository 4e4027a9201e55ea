#include "sim/trace/system_trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>

#include "dist/bytes.hpp"
#include "dist/comm.hpp"
#include "extoll/packet.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::sim {

namespace {

constexpr std::uint64_t trace_ps_per_cycle = spec::cycle_ps;  // as the nodes' FST traces

// Where cycle c begins in the nodes' traces: at the rising clock edge that ends
// cycle c - 1 (the node dumps cycle c at c * cycle_ps with the clock low and half a
// cycle later after its rising edge), so an event of cycle c lines up with the
// register outputs of that cycle.
constexpr std::uint64_t ps(std::uint64_t cycle) { return cycle == 0 ? 0 : cycle * trace_ps_per_cycle - trace_ps_per_cycle / 2; }
constexpr std::uint64_t systime_every = 256;      // cycles between two systime samples

// What a bit of ObservedEvent::counters does to the trace, by the counter's name
// (drops: the spec's loss counters, spec::counter::loss_mask48).
enum class Meaning { other, flush, decoded, released, expired_or_full };
struct CounterBit {
  Meaning meaning = Meaning::other;
  unsigned index = 0;  // bucket or split
};

const std::vector<CounterBit>& counter_bits() {
  static const std::vector<CounterBit> bits = [] {
    std::vector<CounterBit> out;
    for (const std::string_view n : spec::counter::names48) {
      const std::string name(n);
      const auto index = [&] { return static_cast<unsigned>(std::stoul(name.substr(name.find('[') + 1))); };
      CounterBit b;
      if (name.starts_with("packets_sent[")) b = {Meaning::flush, index()};
      else if (name.starts_with("decoder_events[")) b = {Meaning::decoded, index()};
      else if (name.starts_with("delay_events[")) b = {Meaning::released, index()};
      else if (name.starts_with("delay_loss_")) b = {Meaning::expired_or_full, index()};
      out.push_back(b);
    }
    return out;
  }();
  return bits;
}

// The signals of a node and of a link direction, in the VCD and in the save file.
struct SignalDef {
  const char* name;
  unsigned width;
};
enum NodeSignal { n_systime, n_spike_in, n_spike_in_label, n_spike_out, n_spike_out_label, n_flush, n_flush_bucket, n_fill0, n_fill1, n_drop, n_error };
constexpr unsigned fill_bits = std::bit_width(spec::net::delay_buffer_depth);
constexpr SignalDef node_signals[] = {{"systime", spec::systime_bits},
                                      {"spike_in", 1},
                                      {"spike_in_label", spec::chip_down::SpikeIn::label_width},
                                      {"spike_out", 1},
                                      {"spike_out_label", spec::chip_up::SpikeOut::label_width},
                                      {"flush", 1},
                                      {"flush_bucket", spec::layout::RouterEntry::bucket_width},
                                      {"delay_fill0", fill_bits},
                                      {"delay_fill1", fill_bits},
                                      {"drop", 1},
                                      {"error", 1}};
enum LinkSignal { l_valid, l_source, l_dest, l_words, l_seq, l_retransmit, l_corrupted };
using Header = spec::layout::NetHeader;
constexpr SignalDef link_signals[] = {{"valid", 1},
                                      {"source", Header::source_width},
                                      {"dest", Header::dest_width},
                                      {"words", Header::words_width},
                                      {"seq", Header::seq_width},
                                      {"retransmit", 1},
                                      {"corrupted", 1}};

std::string end_name(const extoll::NetworkSpec& spec, const extoll::LinkEnd& e) {
  return e.is_switch ? fmt::format("switch{}p{}", spec.switch_ids[e.index], e.port) : fmt::format("node{}", e.index);
}

std::string link_scope(const extoll::NetworkSpec& spec, std::size_t link, unsigned from) {
  const auto& l = spec.links[link];
  const auto& a = from == 0 ? l.a : l.b;
  const auto& b = from == 0 ? l.b : l.a;
  return fmt::format("system.link{}_{}_to_{}", link, end_name(spec, a), end_name(spec, b));
}

}  // namespace

SystemTrace::SystemTrace(Simulation& sim, const std::string& path)
    : sim_(sim),
      sends_(!sim.writes_outputs()),
      vcd_(sends_ ? "/dev/null" : path, "nmtwin system trace: packets on links, spikes, flushes, delay buffers") {
  for (unsigned i = 0; i < sim.size(); ++i) {
    const std::string scope = fmt::format("system.node{}", i);
    NodeSignals n{};
    for (const auto& d : node_signals) n.id.push_back(vcd_.add(scope, d.name, d.width));  // alike on every rank
    if (sim.owns(i)) {
      n.inputs_seen = sim.node(i).chip().input_log().size();
      n.spikes_seen = sim.node(i).chip().spike_log().size();
      sim.node(i).observe(true);
    }
    nodes_.push_back(n);
  }
  const auto& spec = sim.network().spec();
  for (std::size_t l = 0; l < spec.links.size(); ++l)
    for (unsigned from = 0; from < 2; ++from) {
      const std::string scope = link_scope(spec, l, from);
      LinkSignals s{};
      for (const auto& d : link_signals) s.id.push_back(vcd_.add(scope, d.name, d.width));
      links_.push_back(std::move(s));
    }
  sim.network().set_observer([this](std::size_t link, unsigned from, auto sent, auto arriving) {
    link_traffic(link, from, sent, arriving);
  });
  sim.set_quantum_hook([this](std::uint64_t cycle) { collect(cycle); });
  collect(sim.cycle());
}

SystemTrace::~SystemTrace() {
  try {
    close();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nmtwin: %s\n", e.what());
  }
}

void SystemTrace::close() {
  if (closed_) return;
  closed_ = true;
  sim_.set_quantum_hook({});
  sim_.network().set_observer({});
  for (unsigned i = 0; i < sim_.size(); ++i)
    if (sim_.owns(i)) sim_.node(i).observe(false);
  vcd_.close(ps(sim_.cycle()));
}

void SystemTrace::pulse(unsigned signal, std::uint64_t cycle) {
  change(ps(cycle), signal, 1);
  change(ps(cycle + 1), signal, 0);
}

void SystemTrace::change(std::uint64_t time_ps, unsigned signal, std::uint64_t value) {
  if (sends_)
    outbox_.push_back({time_ps, value, signal});
  else
    vcd_.change(time_ps, signal, value);
}

void SystemTrace::collect(std::uint64_t cycle) {
  const auto& bits = counter_bits();
  for (unsigned i = 0; i < sim_.size(); ++i) {
    if (!sim_.owns(i)) continue;
    auto& n = nodes_[i];
    Node& node = sim_.node(i);
    scratch_.clear();
    node.take_observed(scratch_);
    for (const auto& e : scratch_) {
      if (e.error) pulse(n.id[n_error], e.cycle);
      if (e.counters & spec::counter::loss_mask48) pulse(n.id[n_drop], e.cycle);
      for (std::size_t b = 0; b < bits.size(); ++b) {
        if (!(e.counters >> b & 1)) continue;
        const auto& m = bits[b];
        switch (m.meaning) {
          case Meaning::flush:
            change(ps(e.cycle), n.id[n_flush_bucket], m.index);
            pulse(n.id[n_flush], e.cycle);
            break;
          case Meaning::decoded:
          case Meaning::released:
          case Meaning::expired_or_full:
            n.fill_count[m.index & 1] += m.meaning == Meaning::decoded ? 1 : -1;
            change(ps(e.cycle), n.id[m.index & 1 ? n_fill1 : n_fill0], static_cast<std::uint64_t>(std::max(0, n.fill_count[m.index & 1])));
            break;
          case Meaning::other:
            break;
        }
      }
    }
    const auto& chip = node.chip();
    const auto to_cycle = [&](std::uint64_t chip_time) { return (chip_time - chip.time_offset()) & spec::systime_mask; };
    for (; n.inputs_seen < chip.input_log().size(); ++n.inputs_seen) {
      const auto& in = chip.input_log()[n.inputs_seen];
      change(ps(to_cycle(in.time)), n.id[n_spike_in_label], in.label);
      pulse(n.id[n_spike_in], to_cycle(in.time));
    }
    for (; n.spikes_seen < chip.spike_log().size(); ++n.spikes_seen) {
      const auto& s = chip.spike_log()[n.spikes_seen];
      change(ps(to_cycle(s.time)), n.id[n_spike_out_label], s.label);
      pulse(n.id[n_spike_out], to_cycle(s.time));
    }
    if (cycle == 0 || cycle >= n.last_systime_cycle + systime_every) {
      change(ps(cycle), n.id[n_systime], node.systime());
      n.last_systime_cycle = cycle;
    }
  }
  // A packet still being sent may start before this cycle: wait for its end.
  std::uint64_t horizon = cycle;
  for (const auto& l : links_)
    if (!l.packet.empty()) horizon = std::min(horizon, l.first_cycle);
  if (auto* comm = sim_.rank_comm()) {  // every rank's changes to rank 0, and the earliest horizon
    dist::ByteWriter w;
    for (const auto& c : outbox_) {
      w.u64(c.time_ps);
      w.u32(c.signal);
      w.u64(c.value);
    }
    outbox_.clear();
    const auto all = comm->allgather(w.data());
    for (std::size_t r = 1; r < all.size() && !sends_; ++r) {
      dist::ByteReader in(all[r], fmt::format("the system trace's changes from rank {}", r));
      while (in.remaining() > 0) {
        const auto t = in.u64("a change's time");
        const auto signal = in.u32("a change's signal");
        vcd_.change(t, signal, in.u64("a change's value"));
      }
    }
    horizon = comm->allreduce_min(horizon);
  }
  if (!sends_) vcd_.flush(ps(horizon));
}

void SystemTrace::link_traffic(std::size_t link, unsigned from, std::span<const extoll::Symbol> sent,
                               std::span<const extoll::Symbol> arriving) {
  auto& l = links_[2 * link + from];
  for (std::size_t k = 0; k < sent.size(); ++k) {
    const auto& s = sent[k];
    if (s.kind != extoll::Symbol::Kind::word) continue;
    if (l.packet.empty()) {
      l.first_cycle = s.cycle;
      l.corrupt = false;
    }
    l.packet.push_back(s.word);
    l.corrupt = l.corrupt || (k < arriving.size() && arriving[k].word != s.word);
    if (!s.last) continue;
    const auto h = spec::layout::NetHeader::decode(l.packet.front());
    const auto seq = static_cast<std::uint8_t>(h.seq);
    const bool again = static_cast<std::uint8_t>(seq - l.high) >= spec::net::link_seq_half;  // behind the highest sent
    if (!again) l.high = static_cast<std::uint8_t>(seq + 1);
    const std::uint64_t t0 = ps(l.first_cycle), t1 = ps(s.cycle + 1);
    change(t0, l.id[l_valid], 1);
    change(t0, l.id[l_source], h.source);
    change(t0, l.id[l_dest], h.dest);
    change(t0, l.id[l_words], l.packet.size());
    change(t0, l.id[l_seq], seq);
    change(t0, l.id[l_retransmit], again);
    change(t0, l.id[l_corrupted], l.corrupt);
    for (int sig : {l_valid, l_retransmit, l_corrupted}) change(t1, l.id[sig], 0);
    l.packet.clear();
  }
}

namespace {
// GTKWave's zoom line: the whole run in a window of some 1000 pixels (the zoom is
// about -log2 of the run in the timescale's unit, measured on GTKWave 3.3), no markers.
std::string zoom_to_fit(std::uint64_t cycles) {
  const double end_ps = std::max(2.0, static_cast<double>(cycles * trace_ps_per_cycle));
  std::string z = fmt::format("*{:.6f} -1", -(std::log2(end_ps) - 0.8));
  for (int i = 0; i < 26; ++i) z += " -1";
  return z + "\n";
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  if (!f) throw std::runtime_error(fmt::format("cannot write GTKWave save file '{}'", path));
}
}  // namespace

void write_gtkw(const std::string& path, const Simulation& sim, const std::string& dir) {
  namespace fs = std::filesystem;
  const auto absolute = [](const fs::path& p) { return fs::absolute(p).lexically_normal().string(); };
  std::string t = "[*] nmtwin: system-level waveform, signals grouped by node and link\n";
  t += fmt::format("[dumpfile] \"{}\"\n", absolute(fs::path(dir) / "system.vcd"));
  t += fmt::format("[savefile] \"{}\"\n", absolute(path));
  t += "[timestart] 0\n" + zoom_to_fit(sim.cycle());
  for (unsigned i = 0; i < sim.size(); ++i)
    t += fmt::format("[*] node {}: RTL in node{}.fst or .vcd, opened by node{}.gtkw (same time axis)\n", i, i, i);
  const auto group = [&](const std::string& title, const std::string& scope, std::span<const SignalDef> signals) {
    t += fmt::format("@800200\n-{}\n", title);
    for (const auto& d : signals)
      t += d.width == 1 ? fmt::format("@28\n{}.{}\n", scope, d.name)
                        : fmt::format("@{}\n{}.{}[{}:0]\n", d.width == spec::systime_bits ? "24" : "22", scope, d.name,
                                      d.width - 1);
    t += "@1000200\n-" + title + "\n";
  };
  for (unsigned i = 0; i < sim.size(); ++i) group(fmt::format("node {}", i), fmt::format("system.node{}", i), node_signals);
  const auto& spec = sim.network().spec();
  for (std::size_t l = 0; l < spec.links.size(); ++l)
    for (unsigned from = 0; from < 2; ++from) {
      const auto scope = link_scope(spec, l, from);
      group(scope.substr(7), scope, link_signals);
    }
  write_text(path, t);
  // One per node's FST: the FPGA's ports, grouped by interface.
  for (unsigned i = 0; i < sim.size(); ++i) {
    auto fst = fs::path(dir) / fmt::format("node{}.fst", i);
    if (!fs::exists(fst)) fst.replace_extension(".vcd");  // written as VCD on request
    write_node_gtkw((fs::path(dir) / fmt::format("node{}.gtkw", i)).string(), fst.string(), i, sim.cycle(),
                    sim.processors());
  }
}

void write_node_gtkw(const std::string& save, const std::string& wave, unsigned node, std::uint64_t cycles,
                     bool processor) {
  namespace fs = std::filesystem;
  const auto absolute = [](const fs::path& p) { return fs::absolute(p).lexically_normal().string(); };
  std::string n = fmt::format("[*] nmtwin: node {} RTL (Verilator), same time axis as system.vcd\n", node);
  n += fmt::format("[dumpfile] \"{}\"\n[savefile] \"{}\"\n[timestart] 0\n", absolute(wave), absolute(save));
  n += zoom_to_fit(cycles);
  const auto ports = [&](const std::string& title, const std::string& top, std::initializer_list<SignalDef> signals) {
    n += fmt::format("@800200\n-{}\n", title);
    for (const auto& d : signals)
      n += d.width == 1 ? fmt::format("@28\n{}.{}\n", top, d.name)
                        : fmt::format("@22\n{}.{}[{}:0]\n", top, d.name, d.width - 1);
    n += "@1000200\n-" + title + "\n";
  };
  const std::string fpga = fmt::format("node{}", node);
  ports("clock and time", fpga, {{"clk_i", 1}, {"systime_o", spec::systime_bits}, {"idle_o", 1}});
  ports("host (UDP payload)", fpga, {{"udp_rx_tvalid_i", 1}, {"udp_rx_tdata_i", 64}, {"udp_rx_tlast_i", 1},
                                     {"udp_tx_tvalid_o", 1}, {"udp_tx_tdata_o", 64}, {"udp_tx_tlast_o", 1}});
  ports("chip link", fpga, {{"chip_tx_valid_o", 1}, {"chip_tx_data_o", 64}, {"chip_rx_valid_i", 1}, {"chip_rx_data_i", 64}});
  ports("EXTOLL link", fpga, {{"net_tx_valid_o", 1}, {"net_tx_data_o", 64}, {"net_tx_last_o", 1}, {"net_rx_valid_i", 1},
                              {"net_rx_data_i", 64}, {"net_rx_last_i", 1}, {"net_tx_ctl_valid_i", 1}, {"net_tx_ctl_nak_i", 1},
                              {"net_rx_ctl_valid_o", 1}, {"net_rx_ctl_nak_o", 1}, {"gi_i", 1}, {"gi_o", 1}});
  ports("observation", fpga, {{"net_events_o", spec::counter::count48}, {"error_o", 1}});
  if (processor) {
    // The processor's commit port: each retired instruction's pc, word and writes (its
    // clock is gated while it is held or asleep, so the values hold then).
    const std::string ppu = fmt::format("node{}_ppu", node);
    ports("processor: retired instructions", ppu,
          {{"clk_i", 1}, {"commit_valid_o", 1}, {"commit_pc_o", 32}, {"commit_insn_o", 32}, {"commit_rd_o", 5},
           {"commit_rd_wdata_o", 32}, {"commit_mem_we_o", 1}, {"commit_mem_addr_o", 32}, {"commit_mem_wdata_o", 32},
           {"commit_trap_o", 1}, {"commit_cause_o", 32}});
    ports("processor: state", ppu, {{"status_o", 6}, {"sleeping_o", 1}, {"clock_needed_o", 1}, {"timecmp_o", 64}});
    ports("processor: chip window", ppu, {{"chip_req_valid_o", 1}, {"chip_we_o", 1}, {"chip_addr_o", 20},
                                          {"chip_wdata_o", 32}, {"chip_rsp_valid_i", 1}, {"chip_rsp_rdata_i", 32}});
  }
  write_text(save, n);
}

}  // namespace nmtwin::sim
