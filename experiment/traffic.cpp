#include "experiment/traffic.hpp"

#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

std::vector<Experiment> ring_traffic(unsigned nodes, const RingTraffic& t) {
  std::vector<Experiment> out(nodes);
  const std::uint64_t end = t.end ? t.end : t.cycles;
  for (unsigned i = 0; i < nodes; ++i) {
    auto& e = out[i];
    e.duration = t.cycles;
    const auto w = [&e](std::uint32_t addr, std::uint64_t v) {
      e.writes.push_back({addr, static_cast<std::uint32_t>(v), ""});
    };
    w(spec::fpga_reg::node_id, i);
    if (t.routed) {
      w(spec::fpga_reg::event_source, 1);
      w(spec::fpga_reg::router_enable, 1);
      for (unsigned k = 0; k < 16; ++k)
        w(spec::bus::table_base + k, spec::layout::RouterEntry{.valid = 1, .bucket = 0, .label = 100 + k}.encode());
      const auto dest = t.multicast_group ? spec::layout::BucketDest{.multicast = 1, .dest = *t.multicast_group}
                                          : spec::layout::BucketDest{.multicast = 0, .dest = (i + 1) % nodes};
      w(spec::fpga_reg::bucket_dest(0), dest.encode());
      w(spec::fpga_reg::bucket_delay(0), t.delay);
      w(spec::fpga_reg::bucket_timeout(0), 8);
    }
    SpikeSource s{static_cast<std::uint16_t>(i % 16), {}};
    for (std::uint64_t time = t.first + t.stagger * i; time < end; time += t.period + t.spread * i)
      s.times.push_back(time);
    e.sources.push_back(std::move(s));
  }
  return out;
}

}  // namespace nmtwin::apps
