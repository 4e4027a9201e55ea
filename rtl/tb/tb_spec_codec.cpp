// Proves the generated SystemVerilog package and C++ header agree: every word
// of every family is encoded on one side and decoded on the other, with random
// field values drawn to the full width of each field.
#include <boost/test/unit_test.hpp>

#include <span>

#include "Vspec_codec.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::tb::rand_bits;

namespace {

constexpr int rounds = 500;

struct Codec {
  VerilatedContext ctx;
  Vspec_codec m{&ctx};
  ~Codec() { m.final(); }
  void eval() { m.eval(); }
};

template <class E>
std::uint64_t code(E c) {
  return static_cast<std::uint64_t>(c);
}

}  // namespace

BOOST_AUTO_TEST_CASE(instruction_words_encoded_in_cpp_decode_in_rtl) {
  namespace I = spec::instr;
  Codec c;
  auto& m = c.m;
  const auto opcode_of = [&](std::uint64_t w) {
    m.instr_i = w;
    c.eval();
    return std::uint64_t{m.instr_opcode_o};
  };
  for (int n = 0; n < rounds; ++n) {
    BOOST_TEST(opcode_of(I::Nop{}.encode()) == code(I::Opcode::nop));
    BOOST_TEST(opcode_of(I::TimerReset{}.encode()) == code(I::Opcode::timer_reset));
    BOOST_TEST(opcode_of(I::SystimeSync{}.encode()) == code(I::Opcode::systime_sync));

    const I::Write wr{.byte_enable = rand_bits(I::Write::byte_enable_width), .addr = rand_bits(I::Write::addr_width)};
    BOOST_TEST(opcode_of(wr.encode()) == code(I::Opcode::write));
    BOOST_TEST(m.write_byte_enable_o == wr.byte_enable);
    BOOST_TEST(m.write_addr_o == wr.addr);

    const I::Read rd{.tag = rand_bits(I::Read::tag_width), .addr = rand_bits(I::Read::addr_width)};
    BOOST_TEST(opcode_of(rd.encode()) == code(I::Opcode::read));
    BOOST_TEST(m.read_tag_o == rd.tag);
    BOOST_TEST(m.read_addr_o == rd.addr);

    const I::WaitUntil wu{.time = rand_bits(I::WaitUntil::time_width)};
    BOOST_TEST(opcode_of(wu.encode()) == code(I::Opcode::wait_until));
    BOOST_TEST(m.wait_until_time_o == wu.time);

    const I::Spikes sp{.count = rand_bits(I::Spikes::count_width),
                       .label2 = rand_bits(I::Spikes::label2_width),
                       .label1 = rand_bits(I::Spikes::label1_width),
                       .label0 = rand_bits(I::Spikes::label0_width)};
    BOOST_TEST(opcode_of(sp.encode()) == code(I::Opcode::spikes));
    BOOST_TEST(m.spikes_count_o == sp.count);
    BOOST_TEST(m.spikes_label0_o == sp.label0);
    BOOST_TEST(m.spikes_label1_o == sp.label1);
    BOOST_TEST(m.spikes_label2_o == sp.label2);

    const I::Barrier ba{.reads = rand_bits(I::Barrier::reads_width)};
    BOOST_TEST(opcode_of(ba.encode()) == code(I::Opcode::barrier));
    BOOST_TEST(m.barrier_reads_o == ba.reads);

    const I::Halt ha{.cookie = rand_bits(I::Halt::cookie_width)};
    BOOST_TEST(opcode_of(ha.encode()) == code(I::Opcode::halt));
    BOOST_TEST(m.halt_cookie_o == ha.cookie);

    const I::WriteData wd{.data = rand_bits(I::WriteData::data_width)};
    m.instr_i = wd.encode();
    c.eval();
    BOOST_TEST(m.write_data_data_o == wd.data);
  }
}

BOOST_AUTO_TEST_CASE(chip_up_words_encoded_in_cpp_decode_in_rtl) {
  namespace U = spec::chip_up;
  Codec c;
  auto& m = c.m;
  for (int n = 0; n < rounds; ++n) {
    const U::CfgAck ack{.id = rand_bits(U::CfgAck::id_width),
                        .error = rand_bits(U::CfgAck::error_width),
                        .data = rand_bits(U::CfgAck::data_width)};
    m.chip_up_i = ack.encode();
    c.eval();
    BOOST_TEST(m.chip_up_type_o == code(U::ChipUpType::cfg_ack));
    BOOST_TEST(m.cfg_ack_id_o == ack.id);
    BOOST_TEST(m.cfg_ack_error_o == ack.error);
    BOOST_TEST(m.cfg_ack_data_o == ack.data);

    const U::SpikeOut so{.label = rand_bits(U::SpikeOut::label_width),
                         .timestamp = rand_bits(U::SpikeOut::timestamp_width)};
    m.chip_up_i = so.encode();
    c.eval();
    BOOST_TEST(m.chip_up_type_o == code(U::ChipUpType::spike_out));
    BOOST_TEST(m.spike_out_label_o == so.label);
    BOOST_TEST(m.spike_out_timestamp_o == so.timestamp);

    const U::Sample sa{.neuron = rand_bits(U::Sample::neuron_width),
                       .value = rand_bits(U::Sample::value_width),
                       .timestamp = rand_bits(U::Sample::timestamp_width)};
    m.chip_up_i = sa.encode();
    c.eval();
    BOOST_TEST(m.chip_up_type_o == code(U::ChipUpType::sample));
    BOOST_TEST(m.sample_neuron_o == sa.neuron);
    BOOST_TEST(m.sample_value_o == sa.value);
    BOOST_TEST(m.sample_timestamp_o == sa.timestamp);
  }
}

BOOST_AUTO_TEST_CASE(response_words_encoded_in_rtl_decode_in_cpp) {
  namespace R = spec::resp;
  Codec c;
  auto& m = c.m;
  for (int n = 0; n < rounds; ++n) {
    const R::ReadData rd{.tag = rand_bits(R::ReadData::tag_width), .data = rand_bits(R::ReadData::data_width)};
    const R::Spike sp{.label = rand_bits(R::Spike::label_width), .systime = rand_bits(R::Spike::systime_width)};
    const R::Halt ha{.cookie = rand_bits(R::Halt::cookie_width), .systime = rand_bits(R::Halt::systime_width)};
    const R::Error er{.reason = rand_bits(R::Error::reason_width),
                      .detail = rand_bits(R::Error::detail_width),
                      .index = rand_bits(R::Error::index_width)};
    const R::Sample sa{.neuron = rand_bits(R::Sample::neuron_width),
                       .value = rand_bits(R::Sample::value_width),
                       .systime = rand_bits(R::Sample::systime_width)};
    m.resp_read_data_tag_i = rd.tag;
    m.resp_read_data_data_i = rd.data;
    m.resp_spike_label_i = sp.label;
    m.resp_spike_systime_i = sp.systime;
    m.resp_halt_cookie_i = ha.cookie;
    m.resp_halt_systime_i = ha.systime;
    m.resp_error_reason_i = er.reason;
    m.resp_error_detail_i = er.detail;
    m.resp_error_index_i = er.index;
    m.resp_sample_neuron_i = sa.neuron;
    m.resp_sample_value_i = sa.value;
    m.resp_sample_systime_i = sa.systime;
    c.eval();
    BOOST_TEST(m.resp_read_data_o == rd.encode());
    BOOST_TEST(m.resp_spike_o == sp.encode());
    BOOST_TEST(m.resp_halt_o == ha.encode());
    BOOST_TEST(m.resp_error_o == er.encode());
    BOOST_TEST((R::selector(m.resp_read_data_o) == R::ResponseType::read_data));
    BOOST_TEST((R::ReadData::decode(m.resp_read_data_o) == rd));
    BOOST_TEST((R::Spike::decode(m.resp_spike_o) == sp));
    BOOST_TEST((R::Halt::decode(m.resp_halt_o) == ha));
    BOOST_TEST((R::Error::decode(m.resp_error_o) == er));
    BOOST_TEST(m.resp_sample_o == sa.encode());
    BOOST_TEST((R::selector(m.resp_sample_o) == R::ResponseType::sample));
    BOOST_TEST((R::Sample::decode(m.resp_sample_o) == sa));
  }
}

BOOST_AUTO_TEST_CASE(chip_down_words_encoded_in_rtl_decode_in_cpp) {
  namespace D = spec::chip_down;
  Codec c;
  auto& m = c.m;
  for (int n = 0; n < rounds; ++n) {
    const D::CfgWrite cw{.id = rand_bits(D::CfgWrite::id_width),
                         .addr = rand_bits(D::CfgWrite::addr_width),
                         .data = rand_bits(D::CfgWrite::data_width)};
    const D::CfgRead cr{.id = rand_bits(D::CfgRead::id_width), .addr = rand_bits(D::CfgRead::addr_width)};
    const D::SpikeIn si{.label = rand_bits(D::SpikeIn::label_width)};
    const D::Sync sy{.systime = rand_bits(D::Sync::systime_width)};
    m.chip_down_cfg_write_id_i = cw.id;
    m.chip_down_cfg_write_addr_i = cw.addr;
    m.chip_down_cfg_write_data_i = cw.data;
    m.chip_down_cfg_read_id_i = cr.id;
    m.chip_down_cfg_read_addr_i = cr.addr;
    m.chip_down_spike_in_label_i = si.label;
    m.chip_down_sync_systime_i = sy.systime;
    c.eval();
    BOOST_TEST(m.chip_down_cfg_write_o == cw.encode());
    BOOST_TEST(m.chip_down_cfg_read_o == cr.encode());
    BOOST_TEST(m.chip_down_spike_in_o == si.encode());
    BOOST_TEST(m.chip_down_sync_o == sy.encode());
    BOOST_TEST((D::selector(m.chip_down_sync_o) == D::ChipDownType::sync));
    BOOST_TEST((D::CfgWrite::decode(m.chip_down_cfg_write_o) == cw));
    BOOST_TEST((D::CfgRead::decode(m.chip_down_cfg_read_o) == cr));
    BOOST_TEST((D::SpikeIn::decode(m.chip_down_spike_in_o) == si));
    BOOST_TEST((D::Sync::decode(m.chip_down_sync_o) == sy));
  }
}

namespace {
// The bits of `w` inside any field of a register (what a register of that width keeps).
std::uint32_t kept(std::span<const spec::RegField> fields, std::uint32_t w) {
  std::uint32_t m = 0;
  for (const auto& f : fields) m |= f.mask();
  return w & m;
}
}  // namespace

BOOST_AUTO_TEST_CASE(register_fields_decode_alike_in_rtl_and_cpp) {
  namespace R = spec::fpga_reg;
  Codec c;
  auto& m = c.m;
  for (int n = 0; n < rounds; ++n) {
    const auto w = static_cast<std::uint32_t>(rand_bits(32));
    m.reg_i = w;
    c.eval();
    BOOST_TEST(m.bucket_dest_dest_o == R::bucket_dest_fields::dest.get(w));
    BOOST_TEST(m.bucket_dest_multicast_o == R::bucket_dest_fields::multicast.get(w));
    BOOST_TEST(m.bucket_timeout_pulse_o == R::bucket_timeout_fields::pulse_timeout.get(w));
    BOOST_TEST(m.bucket_timeout_packet_o == R::bucket_timeout_fields::packet_timeout.get(w));
    BOOST_TEST(m.bucket_delay_o == kept(R::bucket_delay_fields::all, w));
    BOOST_TEST(m.event_source_o == kept(R::event_source_fields::all, w));
    BOOST_TEST(m.event_source_executor_o == R::event_source_fields::executor.get(w));
    BOOST_TEST(m.event_source_chip_o == R::event_source_fields::chip.get(w));
    BOOST_TEST(m.gi_control_send_o == R::gi_control_fields::send.get(w));
    BOOST_TEST(m.gi_control_measure_o == R::gi_control_fields::measure.get(w));
    BOOST_TEST(m.gi_mode_sync_o == R::gi_mode_fields::systime_sync.get(w));
    BOOST_TEST(m.counter_clear_o == R::counter_clear_fields::clear.get(w));
    BOOST_TEST(m.router_enable_o == kept(R::router_enable_fields::all, w));
    BOOST_TEST(m.delay_control_o == kept(R::delay_control_fields::all, w));
    BOOST_TEST(m.node_id_o == kept(R::node_id_fields::all, w));
    BOOST_TEST(m.gi_delay_o == kept(R::gi_delay_fields::all, w));
    BOOST_TEST(m.systime_preset_hi_o == kept(R::systime_preset_hi_fields::all, w));
  }
}

BOOST_AUTO_TEST_CASE(counter_order_and_addresses_agree) {
  Codec c;
  auto& m = c.m;
  c.eval();  // constant outputs settle on the first evaluation
  BOOST_TEST(m.count32_o == spec::counter::count32);
  BOOST_TEST(m.count48_o == spec::counter::count48);
  for (unsigned i = 0; i < spec::counter::count32; ++i) {
    m.cnt_index_i = i;
    c.eval();
    BOOST_TEST(m.cnt_addr_o == spec::counter::addrs32.at(i), "32-bit counter " << spec::counter::names32.at(i));
  }
  BOOST_TEST(spec::counter::names32.at(m.arq_first_o) == "arq_rx_frames");
  BOOST_TEST(spec::counter::names32.at(m.arq_first_o + m.arq_count_o - 1) == "arq_drop_reset");
  BOOST_TEST(m.loss_mask_o == spec::counter::loss_mask48);
  BOOST_TEST(m.packets_sent_addr_o == spec::fpga_reg::packets_sent(0));
  BOOST_TEST(m.bucket_dest_addr_o == spec::fpga_reg::bucket_dest(0));
  BOOST_TEST(m.systime_bits_o == spec::systime_bits);
  // The 48-bit counters sit at packets_sent + 2 i, in the order of their event bits.
  for (unsigned i = 0; i < spec::counter::count48; ++i)
    BOOST_TEST(spec::counter::addrs48.at(i) == spec::fpga_reg::packets_sent(0) + 2 * i);
}
