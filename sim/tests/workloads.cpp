#include "sim/tests/workloads.hpp"

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "nmtwin/program.hpp"
#include "nmtwin/riscv.hpp"
#include "nmtwin/spec.hpp"
#include "nmtwin/system.hpp"
#include "sim/host/inprocess_connection.hpp"

namespace nmtwin::sim::workload {

namespace {

namespace rv = nmtwin::riscv;
using hostlink::Program;
using rv::Op;

constexpr std::uint64_t spike_period = 125;  // cycles: one input spike per microsecond

enum : std::uint8_t { zero = 0, t0 = 5, t1 = 6, t2 = 7, s0 = 8, s1 = 9, a0 = 10, a1 = 11, a2 = 12 };

std::uint32_t bus(std::uint32_t chip_addr) { return spec::chip::bus_addr(chip_addr); }

// Forever: 32 words of weights through the chip window (read, squared, accumulated,
// divided, masked and written back), a spike counter and a correlation sensor read, the
// sum stored in data memory and a count in the mailbox.
std::vector<std::uint32_t> kernel() {
  const auto e = [](rv::Instruction i) { return rv::encode(i); };
  const auto hi = [](std::uint32_t addr) { return static_cast<std::int32_t>(addr >> 12); };
  return {
      e({.op = Op::lui, .rd = s1, .imm = hi(spec::ppu::dmem_base)}),
      e({.op = Op::lui, .rd = a2, .imm = hi(spec::ppu::mailbox_base)}),
      e({.op = Op::lui, .rd = s0, .imm = hi(spec::ppu::window::weight)}),  // outer loop (word 2)
      e({.op = Op::addi, .rd = a1, .rs1 = zero, .imm = 32}),
      e({.op = Op::lw, .rd = t0, .rs1 = s0}),  // inner loop (word 4)
      e({.op = Op::mul, .rd = t1, .rs1 = t0, .rs2 = t0}),
      e({.op = Op::add, .rd = a0, .rs1 = a0, .rs2 = t1}),
      e({.op = Op::divu, .rd = t2, .rs1 = a0, .rs2 = a1}),
      e({.op = Op::andi, .rd = t2, .rs1 = t2, .imm = 0x3f}),
      e({.op = Op::sw, .rs1 = s0, .rs2 = t0}),
      e({.op = Op::sb, .rs1 = s1, .rs2 = t2, .imm = 4}),
      e({.op = Op::addi, .rd = s0, .rs1 = s0, .imm = 4}),
      e({.op = Op::addi, .rd = a1, .rs1 = a1, .imm = -1}),
      e({.op = Op::bne, .rs1 = a1, .rs2 = zero, .imm = -36}),  // to word 4
      e({.op = Op::lui, .rd = t0, .imm = hi(spec::ppu::window::spike_counter)}),
      e({.op = Op::lbu, .rd = t1, .rs1 = t0}),
      e({.op = Op::lui, .rd = t0, .imm = hi(spec::ppu::window::corr_causal)}),
      e({.op = Op::lw, .rd = t2, .rs1 = t0}),
      e({.op = Op::xor_, .rd = a0, .rs1 = a0, .rs2 = t2}),
      e({.op = Op::sw, .rs1 = s1, .rs2 = a0}),
      e({.op = Op::sw, .rs1 = a2, .rs2 = t1}),
      e({.op = Op::csrrs, .rd = t2, .rs1 = zero, .csr = rv::csr::mcycle}),
      e({.op = Op::jal, .imm = -80}),  // to word 2
  };
}

void record_spikes(std::string& out, const Program& p) {
  for (const auto& s : p.received_spikes()) out += fmt::format("spike {} {}\n", s.label, s.systime);
}

void record_chip(std::string& out, Simulation& sim, unsigned node) {
  const ChipModel& chip = sim.node(node).chip();
  for (const auto& e : chip.input_log()) out += fmt::format("node {} input {} {}\n", node, e.label, e.time);
  for (const auto& e : chip.spike_log()) out += fmt::format("node {} fired {} {}\n", node, e.neuron, e.time);
  out += fmt::format("node {} cycles {}\n", node, sim.node(node).stats().cycles);
}

}  // namespace

std::string fpga_state(Simulation& sim, unsigned node) {
  InProcessConnection connection(sim, node);
  Program p;
  std::vector<hostlink::Ticket> reads;
  for (const std::uint32_t a : {spec::fpga_reg::systime_lo, spec::fpga_reg::systime_hi, spec::fpga_reg::timer_base_lo,
                                spec::fpga_reg::timer_base_hi})
    reads.push_back(p.read(a));
  for (const std::uint32_t a : spec::counter::addrs32) reads.push_back(p.read(spec::bus::fpga_base + a));
  for (const std::uint32_t a : spec::counter::addrs48) {
    reads.push_back(p.read(spec::bus::fpga_base + a));
    reads.push_back(p.read(spec::bus::fpga_base + a + 1));
  }
  connection.run(p);
  std::string out = fmt::format("node {} fpga", node);
  for (const auto& r : reads) out += fmt::format(" {}", r.value());
  return out + "\n";
}

void drive_neurons(Program& p) {
  for (unsigned n = 0; n < 8; ++n) {
    p.write(bus(spec::chip::weight::base + n), 40);
    p.write(bus(spec::chip::neuron::addr(n, spec::chip::neuron::output)), 0x80000000u | n);
  }
}

Outcome processor_and_spikes(Simulation& sim, std::uint64_t cycles) {
  InProcessConnection connection(sim);
  Program load;
  const auto code = kernel();
  for (std::size_t i = 0; i < code.size(); ++i) load.write(bus(spec::chip::ppu_imem::base + i), code[i]);
  drive_neurons(load);
  load.write(bus(spec::chip::ppu_ctrl), 1);
  connection.run(load);

  Program p;
  std::vector<hostlink::Ticket> reads;
  p.timer_reset();
  for (std::uint64_t t = spike_period, k = 0; t < cycles; t += spike_period, ++k) {
    p.wait_until(t);
    p.spike(0);
    if (k % 8 == 0) {
      reads.push_back(p.read(spec::fpga_reg::spikes_from_chip));
      reads.push_back(p.read(bus(spec::chip::ppu_status)));
      reads.push_back(p.read(bus(spec::chip::ppu_mailbox::base)));
    }
  }
  connection.run(p);
  sim.run(cycles / 4);  // the kernel alone, the host done

  Outcome out;
  record_spikes(out.record, p);
  for (const auto& r : reads) out.record += fmt::format("read {}\n", r.value());
  record_chip(out.record, sim, 0);
  out.record += fmt::format("retired {}\n", sim.node(0).ppu().stats().retired);
  out.node_cycles = sim.cycle();
  return out;
}

Outcome idle(Simulation& sim, std::uint64_t cycles) {
  sim.run(cycles / 2);
  InProcessConnection connection(sim);
  Program p;
  p.write(bus(spec::chip::ppu_imem::base), rv::encode({.op = Op::wfi}));
  p.write(bus(spec::chip::ppu_imem::base + 1), rv::encode({.op = Op::jal, .imm = -4}));
  p.write(bus(spec::chip::ppu_ctrl), 1);
  const auto status = p.read(bus(spec::chip::ppu_status));
  connection.run(p);
  sim.run(cycles / 2);
  Outcome out;
  out.record = fmt::format("status {}\n", status.value());
  record_chip(out.record, sim, 0);
  out.node_cycles = sim.cycle();
  return out;
}

extoll::NetworkSpec ring_network() { return extoll::NetworkSpec::torus({ring_nodes, 1, 1}, {}, 16); }

Outcome ring(Simulation& sim, std::uint64_t cycles) {
  std::vector<std::unique_ptr<InProcessConnection>> connections;
  std::vector<hostlink::Connection*> fpgas;
  std::vector<Program> programs(ring_nodes);
  for (unsigned i = 0; i < ring_nodes; ++i) {
    connections.push_back(std::make_unique<InProcessConnection>(sim, i));
    fpgas.push_back(connections.back().get());
    Program& p = programs[i];
    p.write(spec::fpga_reg::node_id, i);
    p.write(spec::fpga_reg::event_source, 1);
    p.write(spec::fpga_reg::router_enable, 1);
    for (unsigned k = 0; k < 16; ++k)
      p.write(spec::bus::table_base + k, spec::layout::RouterEntry{.valid = 1, .bucket = 0, .label = 100 + k}.encode());
    p.write(spec::fpga_reg::bucket_dest(0),
            spec::layout::BucketDest{.multicast = 0, .dest = (i + 1) % ring_nodes}.encode());
    p.write(spec::fpga_reg::bucket_delay(0), 1000);
    p.write(spec::fpga_reg::bucket_timeout(0), 8);
    drive_neurons(p);
    p.timer_reset();
    for (std::uint64_t t = 100 + 7 * i; t < cycles; t += spike_period) {
      p.wait_until(t);
      p.spike(i % 16);
    }
  }
  hostlink::run_together(fpgas, programs);
  Outcome out;
  for (unsigned i = 0; i < ring_nodes; ++i) {
    record_spikes(out.record, programs[i]);
    record_chip(out.record, sim, i);
  }
  out.node_cycles = ring_nodes * sim.cycle();
  return out;
}

}  // namespace nmtwin::sim::workload
