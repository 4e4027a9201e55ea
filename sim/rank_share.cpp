#include "sim/rank_share.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "dist/comm.hpp"
#include "sim/node_threads.hpp"

namespace nmtwin::sim {

namespace {
// FNV-1a over what makes the system and its split (not over floating-point text: the
// bandwidth and error rate enter by their bits).
std::uint64_t system_hash(const extoll::NetworkSpec& spec, const RankShare& share) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  const auto mix = [&h](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3ull;
  };
  const auto bits = [](double d) { return std::bit_cast<std::uint64_t>(d); };
  for (auto id : spec.node_ids) mix(id);
  for (auto id : spec.switch_ids) mix(id + (1ull << 32));
  for (const auto& l : spec.links) {
    for (const auto* e : {&l.a, &l.b})
      mix((std::uint64_t{e->is_switch} << 48) | (std::uint64_t{e->index} << 8) | e->port);
    mix(l.config.latency_cycles);
    mix(bits(l.config.bits_per_cycle));
    mix(bits(l.config.bit_error_rate));
    mix(l.config.seed);
    mix(l.config.dead);
  }
  for (const auto& g : spec.groups) {
    mix(g.group);
    for (auto m : g.members) mix(m);
  }
  for (auto d : spec.torus_dims) mix(d);
  mix(spec.switch_latency_cycles);
  mix(spec.gi_root);
  for (auto r : share.node_rank) mix(r);
  for (auto r : share.switch_rank) mix(r);
  return h;
}
}  // namespace

Simulation::Ranks::Ranks(const RankShare& share, extoll::Network& network) : share_(share), network_(network) {
  if (!share.comm) throw std::invalid_argument("a rank's share of a system needs the ranks' communicator");
  const auto& spec = network.spec();
  const unsigned ranks = share.comm->size();
  rank_ = share.comm->rank();
  if (share.node_rank.size() != spec.node_ids.size() || share.switch_rank.size() != network.switches())
    throw std::invalid_argument(fmt::format("the partition places {} nodes and {} switches; the system has {} and {}",
                                            share.node_rank.size(), share.switch_rank.size(), spec.node_ids.size(),
                                            network.switches()));
  std::vector<bool> nodes(share.node_rank.size()), switches(share.switch_rank.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (share.node_rank[i] >= ranks)
      throw std::invalid_argument(fmt::format("the partition places node {} on rank {}, but the run has {} ranks",
                                              spec.node_ids[i], share.node_rank[i], ranks));
    nodes[i] = share.node_rank[i] == rank_;
  }
  for (std::size_t s = 0; s < switches.size(); ++s) {
    if (share.switch_rank[s] >= ranks)
      throw std::invalid_argument(fmt::format("the partition places switch {} on rank {}, but the run has {} ranks",
                                              spec.switch_ids[s], share.switch_rank[s], ranks));
    switches[s] = share.switch_rank[s] == rank_;
  }
  if (std::find(nodes.begin(), nodes.end(), true) == nodes.end())
    throw std::invalid_argument(
        fmt::format("the partition gives rank {} no node; every rank needs at least one "
                    "(use at most {} ranks)",
                    rank_, spec.node_ids.size()));
  if (!std::is_sorted(share_.peers.begin(), share_.peers.end()) ||
      std::adjacent_find(share_.peers.begin(), share_.peers.end()) != share_.peers.end() ||
      std::find(share_.peers.begin(), share_.peers.end(), rank_) != share_.peers.end())
    throw std::invalid_argument(fmt::format("rank {}'s peers must be other ranks, ascending, each once", rank_));
  // Collective checks, once: every rank splits the same system the same way, and the
  // peer lists match (a one-sided peer would wait for ever).
  dist::check_agreement(*share.comm, "the split system (a hash of its network and partition)",
                        fmt::format("{:016x}", system_hash(spec, share)));
  dist::check_symmetric_peers(*share.comm, share_.peers);
  network.set_local(std::move(nodes), std::move(switches));
  out_.resize(share_.peers.size());
  mirror_.resize(share_.node_rank.size());
}

std::string Simulation::Ranks::not_here(unsigned node) const {
  return fmt::format(
      "node {} runs on rank {}, not on this one (rank {}): what needs the node itself (waveforms, "
      "logs, fault injection) is done by its rank",
      node, share_.node_rank[node], rank_);
}

template <class F>
auto Simulation::Ranks::timed(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  struct Stop {
    RankStats& stats;
    std::chrono::steady_clock::time_point t0;
    ~Stop() { stats.exchange_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }
  } stop{stats_, t0};
  return f();
}

std::uint64_t Simulation::Ranks::sum(std::uint64_t v) {
  return timed([&] { return share_.comm->allreduce_sum(v); });
}

std::uint64_t Simulation::Ranks::min_horizon(std::uint64_t mine) {
  if (view_valid_) return view_.horizon;
  return timed([&] { return share_.comm->allreduce_min(mine); });
}

bool Simulation::Ranks::all_idle(bool mine) {
  if (view_valid_) return view_.idle;
  return timed([&] { return share_.comm->allreduce_min(mine ? 1 : 0); }) == 1;
}

unsigned Simulation::Ranks::rank_of(const extoll::LinkEnd& end) const {
  return end.is_switch ? share_.switch_rank[end.index] : share_.node_rank[end.index];
}

void Simulation::Ranks::exchange(std::span<extoll::Endpoint* const> ports, NodeThreads& threads,
                                 const std::function<View()>& view) {
  ++stats_.exchanges;
  exchange_cut(ports);
  share(threads, view());
}

// Per peer: the number of entries, then per entry the link, the sending end and the
// symbols as they arrive. Every receiving end has one link, and one direction of it feeds
// it, so the order of entries cannot change a result; they are delivered in one fixed
// order all the same (peer by peer, ascending; in each, link by link, a before b).
void Simulation::Ranks::exchange_cut(std::span<extoll::Endpoint* const> ports) {
  cut_.clear();
  network_.exchange(ports, &cut_);
  std::vector<dist::ByteWriter> writers(share_.peers.size());
  std::vector<std::uint32_t> entries(share_.peers.size(), 0);
  for (const auto& t : cut_) {
    const auto& link = network_.spec().links[t.link];
    const unsigned to = rank_of(t.from == 0 ? link.b : link.a);
    const auto peer = std::lower_bound(share_.peers.begin(), share_.peers.end(), to);
    if (peer == share_.peers.end() || *peer != to)
      throw std::logic_error(
          fmt::format("link {} leads to rank {}, which is not one of rank {}'s peers", t.link, to, rank_));
    const auto k = static_cast<std::size_t>(peer - share_.peers.begin());
    auto& w = writers[k];
    ++entries[k];
    w.u32(static_cast<std::uint32_t>(t.link));
    w.u8(static_cast<std::uint8_t>(t.from));
    w.u32(static_cast<std::uint32_t>(t.symbols.size()));
    for (const auto& s : t.symbols) {
      w.u64(s.cycle);
      w.u8(static_cast<std::uint8_t>(s.kind));
      w.u64(s.word);
      w.u8(s.last ? 1 : 0);
      w.u8(s.seq);
    }
  }
  for (std::size_t k = 0; k < writers.size(); ++k) {
    dist::ByteWriter header;
    header.u32(entries[k]);
    out_[k] = header.take();
    const auto& body = writers[k].data();
    out_[k].insert(out_[k].end(), body.begin(), body.end());
  }
  timed([&] { share_.comm->exchange(share_.peers, out_, in_); });
  extoll::CutTraffic t;
  for (std::size_t k = 0; k < in_.size(); ++k) {
    dist::ByteReader r(in_[k], fmt::format("the link traffic from rank {}", share_.peers[k]));
    for (std::uint32_t n = r.u32("the number of links"); n > 0; --n) {
      t.link = r.u32("a link");
      t.from = r.u8("the sending end");
      t.symbols.resize(r.u32("the number of symbols"));
      for (auto& s : t.symbols) {
        s.cycle = r.u64("a symbol's cycle");
        const auto kind = r.u8("a symbol's kind");
        if (kind > static_cast<std::uint8_t>(extoll::Symbol::Kind::measure))
          throw std::runtime_error(
              fmt::format("the link traffic from rank {} has a symbol of unknown kind {}", share_.peers[k], kind));
        s.kind = static_cast<extoll::Symbol::Kind>(kind);
        s.word = r.u64("a symbol's word");
        s.last = r.u8("a symbol's last flag") != 0;
        s.seq = r.u8("a symbol's sequence number");
      }
      network_.deliver_cut(ports, t);
    }
    r.finish();
  }
}

// Every rank's view and its nodes' datagrams, node by node in ascending order, to every
// rank: each rank's host reads them at the same simulated time as the others, and the next
// quantum's warp (and an idleness asked before it) needs no reduction of its own.
void Simulation::Ranks::share(NodeThreads& threads, View mine) {
  dist::ByteWriter w;
  w.u64(mine.horizon);
  w.u8(mine.idle ? 1 : 0);
  std::uint32_t count = 0;
  dist::ByteWriter body;
  for (unsigned k = 0; k < threads.size(); ++k) {
    Node& node = threads.node(k);
    drained_.clear();
    node.drain_datagrams(drained_);
    for (const auto& d : drained_) {
      ++count;
      body.u32(node.id());
      body.u32(static_cast<std::uint32_t>(d.size()));
      body.bytes(d);
    }
  }
  w.u32(count);
  w.bytes(body.data());
  const auto all = timed([&] { return share_.comm->allgather(w.data()); });
  view_ = {UINT64_MAX, true};
  for (std::size_t r = 0; r < all.size(); ++r) {
    dist::ByteReader reader(all[r], fmt::format("the host datagrams from rank {}", r));
    view_.horizon = std::min(view_.horizon, reader.u64("the rank's horizon"));
    view_.idle = reader.u8("the rank's idleness") != 0 && view_.idle;
    for (std::uint32_t n = reader.u32("the number of datagrams"); n > 0; --n) {
      const std::uint32_t node = reader.u32("a datagram's node");
      if (node >= mirror_.size() || share_.node_rank[node] != r)
        throw std::runtime_error(
            fmt::format("rank {} sent a host datagram of node {}, which is not one of its nodes", r, node));
      const auto bytes = reader.bytes(reader.u32("a datagram's length"), "a datagram");
      mirror_[node].emplace_back(bytes.begin(), bytes.end());
    }
    reader.finish();
  }
  view_valid_ = true;
}

void Simulation::Ranks::take_datagrams(unsigned node, std::vector<std::vector<std::uint8_t>>& out) {
  for (auto& d : mirror_.at(node)) out.push_back(std::move(d));
  mirror_[node].clear();
}

}  // namespace nmtwin::sim
