#pragma once
// The fake control FPGA the connection tests run programs on.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "nmtwin/connection.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::hostlink::test {

namespace instr = spec::instr;
namespace resp = spec::resp;

// A control FPGA in a few lines of C++: executes the instruction stream at once,
// answers reads from `memory`, fails accesses to `failing` addresses, and holds
// read answers until a barrier or the halt, optionally reversing them there.
class FakeFpga : public Connection {
 public:
  std::map<std::uint64_t, std::uint64_t> memory;
  std::map<std::uint64_t, spec::ErrorReason> failing;
  bool reverse_answers = false;
  bool lose_read_answers = false;
  bool echo_spikes = false;               // every injected label comes back as a chip spike
  bool stall = false;                     // responses are held back until the next send
  std::vector<std::uint64_t> after_halt;  // words put after the halt echo, same batch
  std::vector<std::uint64_t> before;      // words put before the next program's responses
  std::size_t batch_size = 1000;
  // A device on the register bus (the PPU of test_firmware): takes a write (true) or
  // answers a read before `memory` does; the FPGA's time is passed along.
  std::function<bool(std::uint64_t addr, std::uint64_t data, std::uint64_t systime)> on_write;
  std::function<std::optional<std::uint64_t>(std::uint64_t addr, std::uint64_t systime)> on_read;

  std::string endpoint() const override { return "fake:fpga0"; }
  // Only the words: the fake has no frames to count.
  const ConnectionStats& stats() const override { return stats_; }
  void take_over() { resynchronize(); }  // as a transport does after resetting its link
  void release_stalled() {
    released_.insert(released_.end(), stalled_.begin(), stalled_.end());
    stalled_.clear();
  }

 protected:
  void send(std::span<const std::uint64_t> words) override {
    stats_.words_sent += words.size();
    if (!stall) {
      released_.insert(released_.end(), stalled_.begin(), stalled_.end());
      stalled_.clear();
    }
    auto& out = stall ? stalled_ : released_;
    out.insert(out.end(), before.begin(), before.end());
    before.clear();
    std::vector<std::uint64_t> held;
    auto release = [&] {
      if (reverse_answers) std::reverse(held.begin(), held.end());
      if (!lose_read_answers) out.insert(out.end(), held.begin(), held.end());
      held.clear();
    };
    std::uint32_t index = 0;
    for (std::size_t i = 0; i < words.size(); ++i, ++index, ++systime_) {
      const std::uint64_t w = words[i];
      const auto op = instr::selector(w);
      auto fail = [&](spec::ErrorReason reason, std::uint64_t detail) {
        out.push_back(
            resp::Error{.reason = static_cast<std::uint64_t>(reason), .detail = detail, .index = index}.encode());
      };
      switch (op) {
        case instr::Opcode::write: {
          const auto v = instr::Write::decode(w);
          const auto data = instr::WriteData::decode(words[++i]).data;
          if (auto f = failing.find(v.addr); f != failing.end())
            fail(f->second, static_cast<std::uint64_t>(op));
          else if (!on_write || !on_write(v.addr, data, systime_))
            memory[v.addr] = data;
          break;
        }
        case instr::Opcode::read: {
          const auto v = instr::Read::decode(w);
          if (auto f = failing.find(v.addr); f != failing.end())
            fail(f->second, v.tag);
          else if (const auto device = on_read ? on_read(v.addr, systime_) : std::nullopt)
            held.push_back(resp::ReadData{.tag = v.tag, .data = *device}.encode());
          else
            held.push_back(resp::ReadData{.tag = v.tag, .data = memory[v.addr]}.encode());
          break;
        }
        case instr::Opcode::spikes: {
          const auto v = instr::Spikes::decode(w);
          const std::uint64_t labels[] = {v.label0, v.label1, v.label2};
          for (std::uint64_t n = 0; echo_spikes && n < v.count; ++n)
            out.push_back(resp::Spike{.label = labels[n], .systime = systime_}.encode());
          break;
        }
        case instr::Opcode::wait_until:
          systime_ = std::max(systime_, instr::WaitUntil::decode(w).time);
          break;
        case instr::Opcode::barrier:
          release();
          break;
        case instr::Opcode::halt:
          release();
          out.push_back(resp::Halt{.cookie = instr::Halt::decode(w).cookie, .systime = systime_}.encode());
          out.insert(out.end(), after_halt.begin(), after_halt.end());
          after_halt.clear();
          index = static_cast<std::uint32_t>(-1);  // the next instruction is #0 again
          break;
        case instr::Opcode::nop:
        case instr::Opcode::timer_reset:
        case instr::Opcode::systime_sync:
          break;
        default:
          fail(spec::ErrorReason::unknown_opcode, static_cast<std::uint64_t>(op));
      }
    }
  }

  bool receive(std::vector<std::uint64_t>& out, std::chrono::steady_clock::time_point deadline) override {
    if (released_.empty()) {
      std::this_thread::sleep_until(deadline);
      return false;
    }
    const std::size_t n = std::min(batch_size, released_.size());
    stats_.words_received += n;
    out.insert(out.end(), released_.begin(), released_.begin() + static_cast<std::ptrdiff_t>(n));
    released_.erase(released_.begin(), released_.begin() + static_cast<std::ptrdiff_t>(n));
    return true;
  }

 private:
  std::deque<std::uint64_t> released_;
  std::deque<std::uint64_t> stalled_;
  std::uint64_t systime_ = 0;
  ConnectionStats stats_;
};

}  // namespace nmtwin::hostlink::test
