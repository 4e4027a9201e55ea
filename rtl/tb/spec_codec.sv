// Test-only codec: decodes every instruction and chip_up word into its fields
// and encodes every response and chip_down word from its fields, using only
// the generated package.  tb_spec_codec.cpp runs it against the generated C++
// header, which proves the two generated views of spec/nmtwin.toml agree; it
// also decodes the register fields and counter tables the RTL uses.
module spec_codec (
  // Bits outside every field of a family are reserved and not decoded.
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [63:0] instr_i,
  output logic [nmtwin_pkg::INSTR_SEL_WIDTH-1:0] instr_opcode_o,
  output logic [nmtwin_pkg::INSTR_WRITE_BYTE_ENABLE_WIDTH-1:0] write_byte_enable_o,
  output logic [nmtwin_pkg::INSTR_WRITE_ADDR_WIDTH-1:0] write_addr_o,
  output logic [nmtwin_pkg::INSTR_READ_TAG_WIDTH-1:0] read_tag_o,
  output logic [nmtwin_pkg::INSTR_READ_ADDR_WIDTH-1:0] read_addr_o,
  output logic [nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH-1:0] wait_until_time_o,
  output logic [nmtwin_pkg::INSTR_SPIKES_COUNT_WIDTH-1:0] spikes_count_o,
  output logic [nmtwin_pkg::INSTR_SPIKES_LABEL2_WIDTH-1:0] spikes_label2_o,
  output logic [nmtwin_pkg::INSTR_SPIKES_LABEL1_WIDTH-1:0] spikes_label1_o,
  output logic [nmtwin_pkg::INSTR_SPIKES_LABEL0_WIDTH-1:0] spikes_label0_o,
  output logic [nmtwin_pkg::INSTR_BARRIER_READS_WIDTH-1:0] barrier_reads_o,
  output logic [nmtwin_pkg::INSTR_HALT_COOKIE_WIDTH-1:0] halt_cookie_o,
  output logic [nmtwin_pkg::INSTR_WRITE_DATA_DATA_WIDTH-1:0] write_data_data_o,
  input  logic [63:0] chip_up_i,
  /* verilator lint_on UNUSEDSIGNAL */
  output logic [nmtwin_pkg::CHIP_UP_SEL_WIDTH-1:0] chip_up_type_o,
  output logic [nmtwin_pkg::CHIP_UP_CFG_ACK_ID_WIDTH-1:0] cfg_ack_id_o,
  output logic [nmtwin_pkg::CHIP_UP_CFG_ACK_ERROR_WIDTH-1:0] cfg_ack_error_o,
  output logic [nmtwin_pkg::CHIP_UP_CFG_ACK_DATA_WIDTH-1:0] cfg_ack_data_o,
  output logic [nmtwin_pkg::CHIP_UP_SPIKE_OUT_LABEL_WIDTH-1:0] spike_out_label_o,
  output logic [nmtwin_pkg::CHIP_UP_SPIKE_OUT_TIMESTAMP_WIDTH-1:0] spike_out_timestamp_o,
  output logic [nmtwin_pkg::CHIP_UP_SAMPLE_NEURON_WIDTH-1:0] sample_neuron_o,
  output logic [nmtwin_pkg::CHIP_UP_SAMPLE_VALUE_WIDTH-1:0] sample_value_o,
  output logic [nmtwin_pkg::CHIP_UP_SAMPLE_TIMESTAMP_WIDTH-1:0] sample_timestamp_o,
  input  logic [nmtwin_pkg::RESP_READ_DATA_TAG_WIDTH-1:0] resp_read_data_tag_i,
  input  logic [nmtwin_pkg::RESP_READ_DATA_DATA_WIDTH-1:0] resp_read_data_data_i,
  output logic [63:0] resp_read_data_o,
  input  logic [nmtwin_pkg::RESP_SPIKE_LABEL_WIDTH-1:0] resp_spike_label_i,
  input  logic [nmtwin_pkg::RESP_SPIKE_SYSTIME_WIDTH-1:0] resp_spike_systime_i,
  output logic [63:0] resp_spike_o,
  input  logic [nmtwin_pkg::RESP_HALT_COOKIE_WIDTH-1:0] resp_halt_cookie_i,
  input  logic [nmtwin_pkg::RESP_HALT_SYSTIME_WIDTH-1:0] resp_halt_systime_i,
  output logic [63:0] resp_halt_o,
  input  logic [nmtwin_pkg::RESP_ERROR_REASON_WIDTH-1:0] resp_error_reason_i,
  input  logic [nmtwin_pkg::RESP_ERROR_DETAIL_WIDTH-1:0] resp_error_detail_i,
  input  logic [nmtwin_pkg::RESP_ERROR_INDEX_WIDTH-1:0] resp_error_index_i,
  output logic [63:0] resp_error_o,
  input  logic [nmtwin_pkg::RESP_SAMPLE_NEURON_WIDTH-1:0] resp_sample_neuron_i,
  input  logic [nmtwin_pkg::RESP_SAMPLE_VALUE_WIDTH-1:0] resp_sample_value_i,
  input  logic [nmtwin_pkg::RESP_SAMPLE_SYSTIME_WIDTH-1:0] resp_sample_systime_i,
  output logic [63:0] resp_sample_o,
  input  logic [nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ID_WIDTH-1:0] chip_down_cfg_write_id_i,
  input  logic [nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ADDR_WIDTH-1:0] chip_down_cfg_write_addr_i,
  input  logic [nmtwin_pkg::CHIP_DOWN_CFG_WRITE_DATA_WIDTH-1:0] chip_down_cfg_write_data_i,
  output logic [63:0] chip_down_cfg_write_o,
  input  logic [nmtwin_pkg::CHIP_DOWN_CFG_READ_ID_WIDTH-1:0] chip_down_cfg_read_id_i,
  input  logic [nmtwin_pkg::CHIP_DOWN_CFG_READ_ADDR_WIDTH-1:0] chip_down_cfg_read_addr_i,
  output logic [63:0] chip_down_cfg_read_o,
  input  logic [nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_WIDTH-1:0] chip_down_spike_in_label_i,
  output logic [63:0] chip_down_spike_in_o,
  input  logic [nmtwin_pkg::CHIP_DOWN_SYNC_SYSTIME_WIDTH-1:0] chip_down_sync_systime_i,
  output logic [63:0] chip_down_sync_o,
  // Register fields the RTL decodes, taken from one register word.
  input  logic [31:0] reg_i,
  output logic [nmtwin_pkg::REG_BUCKET_DEST_DEST_WIDTH-1:0] bucket_dest_dest_o,
  output logic [nmtwin_pkg::REG_BUCKET_DEST_MULTICAST_WIDTH-1:0] bucket_dest_multicast_o,
  output logic [nmtwin_pkg::REG_BUCKET_TIMEOUT_PULSE_TIMEOUT_WIDTH-1:0] bucket_timeout_pulse_o,
  output logic [nmtwin_pkg::REG_BUCKET_TIMEOUT_PACKET_TIMEOUT_WIDTH-1:0] bucket_timeout_packet_o,
  output logic [nmtwin_pkg::REG_BUCKET_DELAY_BITS-1:0] bucket_delay_o,
  output logic [nmtwin_pkg::REG_EVENT_SOURCE_BITS-1:0] event_source_o,
  output logic event_source_executor_o,
  output logic event_source_chip_o,
  output logic gi_control_send_o,
  output logic gi_control_measure_o,
  output logic gi_mode_sync_o,
  output logic counter_clear_o,
  output logic [nmtwin_pkg::REG_ROUTER_ENABLE_BITS-1:0] router_enable_o,
  output logic [nmtwin_pkg::REG_DELAY_CONTROL_BITS-1:0] delay_control_o,
  output logic [nmtwin_pkg::REG_NODE_ID_BITS-1:0] node_id_o,
  output logic [nmtwin_pkg::REG_GI_DELAY_BITS-1:0] gi_delay_o,
  output logic [nmtwin_pkg::REG_SYSTIME_PRESET_HI_BITS-1:0] systime_preset_hi_o,
  // Counters: the address of 32-bit counter cnt_index_i, the counts and the loss tags.
  input  logic [4:0] cnt_index_i,
  output logic [nmtwin_pkg::FPGA_OFFSET_BITS-1:0] cnt_addr_o,
  output logic [7:0] count32_o,
  output logic [7:0] count48_o,
  output logic [7:0] arq_first_o,
  output logic [7:0] arq_count_o,
  output logic [nmtwin_pkg::COUNT48_N-1:0] loss_mask_o,
  output logic [nmtwin_pkg::FPGA_OFFSET_BITS-1:0] packets_sent_addr_o,
  output logic [nmtwin_pkg::FPGA_OFFSET_BITS-1:0] bucket_dest_addr_o,
  output logic [7:0] systime_bits_o
);
  assign bucket_dest_dest_o = reg_i[nmtwin_pkg::REG_BUCKET_DEST_DEST_LSB +: nmtwin_pkg::REG_BUCKET_DEST_DEST_WIDTH];
  assign bucket_dest_multicast_o =
      reg_i[nmtwin_pkg::REG_BUCKET_DEST_MULTICAST_LSB +: nmtwin_pkg::REG_BUCKET_DEST_MULTICAST_WIDTH];
  assign bucket_timeout_pulse_o =
      reg_i[nmtwin_pkg::REG_BUCKET_TIMEOUT_PULSE_TIMEOUT_LSB +: nmtwin_pkg::REG_BUCKET_TIMEOUT_PULSE_TIMEOUT_WIDTH];
  assign bucket_timeout_packet_o =
      reg_i[nmtwin_pkg::REG_BUCKET_TIMEOUT_PACKET_TIMEOUT_LSB +: nmtwin_pkg::REG_BUCKET_TIMEOUT_PACKET_TIMEOUT_WIDTH];
  assign bucket_delay_o = reg_i[nmtwin_pkg::REG_BUCKET_DELAY_BITS-1:0];
  assign event_source_o = reg_i[nmtwin_pkg::REG_EVENT_SOURCE_BITS-1:0];
  assign event_source_executor_o = reg_i[nmtwin_pkg::REG_EVENT_SOURCE_EXECUTOR_LSB];
  assign event_source_chip_o = reg_i[nmtwin_pkg::REG_EVENT_SOURCE_CHIP_LSB];
  assign gi_control_send_o = reg_i[nmtwin_pkg::REG_GI_CONTROL_SEND_LSB];
  assign gi_control_measure_o = reg_i[nmtwin_pkg::REG_GI_CONTROL_MEASURE_LSB];
  assign gi_mode_sync_o = reg_i[nmtwin_pkg::REG_GI_MODE_SYSTIME_SYNC_LSB];
  assign counter_clear_o = reg_i[nmtwin_pkg::REG_COUNTER_CLEAR_CLEAR_LSB];
  assign router_enable_o = reg_i[nmtwin_pkg::REG_ROUTER_ENABLE_BITS-1:0];
  assign delay_control_o = reg_i[nmtwin_pkg::REG_DELAY_CONTROL_BITS-1:0];
  assign node_id_o = reg_i[nmtwin_pkg::REG_NODE_ID_BITS-1:0];
  assign gi_delay_o = reg_i[nmtwin_pkg::REG_GI_DELAY_BITS-1:0];
  assign systime_preset_hi_o = reg_i[nmtwin_pkg::REG_SYSTIME_PRESET_HI_BITS-1:0];
  assign cnt_addr_o = nmtwin_pkg::COUNT32_ADDRS[nmtwin_pkg::FPGA_OFFSET_BITS*cnt_index_i +: nmtwin_pkg::FPGA_OFFSET_BITS];
  assign count32_o = 8'(nmtwin_pkg::COUNT32_N);
  assign count48_o = 8'(nmtwin_pkg::COUNT48_N);
  assign arq_first_o = 8'(nmtwin_pkg::COUNT32_ARQ_ENGINE_FIRST);
  assign arq_count_o = 8'(nmtwin_pkg::COUNT32_ARQ_ENGINE_N);
  assign loss_mask_o = nmtwin_pkg::COUNT48_LOSS_MASK;
  assign packets_sent_addr_o = nmtwin_pkg::REG_PACKETS_SENT;
  assign bucket_dest_addr_o = nmtwin_pkg::REG_BUCKET_DEST;
  assign systime_bits_o = 8'(nmtwin_pkg::SYSTIME_BITS);
  assign instr_opcode_o = instr_i[nmtwin_pkg::INSTR_SEL_LSB +: nmtwin_pkg::INSTR_SEL_WIDTH];
  assign write_byte_enable_o = instr_i[nmtwin_pkg::INSTR_WRITE_BYTE_ENABLE_LSB +: nmtwin_pkg::INSTR_WRITE_BYTE_ENABLE_WIDTH];
  assign write_addr_o = instr_i[nmtwin_pkg::INSTR_WRITE_ADDR_LSB +: nmtwin_pkg::INSTR_WRITE_ADDR_WIDTH];
  assign read_tag_o = instr_i[nmtwin_pkg::INSTR_READ_TAG_LSB +: nmtwin_pkg::INSTR_READ_TAG_WIDTH];
  assign read_addr_o = instr_i[nmtwin_pkg::INSTR_READ_ADDR_LSB +: nmtwin_pkg::INSTR_READ_ADDR_WIDTH];
  assign wait_until_time_o = instr_i[nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_LSB +: nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH];
  assign spikes_count_o = instr_i[nmtwin_pkg::INSTR_SPIKES_COUNT_LSB +: nmtwin_pkg::INSTR_SPIKES_COUNT_WIDTH];
  assign spikes_label2_o = instr_i[nmtwin_pkg::INSTR_SPIKES_LABEL2_LSB +: nmtwin_pkg::INSTR_SPIKES_LABEL2_WIDTH];
  assign spikes_label1_o = instr_i[nmtwin_pkg::INSTR_SPIKES_LABEL1_LSB +: nmtwin_pkg::INSTR_SPIKES_LABEL1_WIDTH];
  assign spikes_label0_o = instr_i[nmtwin_pkg::INSTR_SPIKES_LABEL0_LSB +: nmtwin_pkg::INSTR_SPIKES_LABEL0_WIDTH];
  assign barrier_reads_o = instr_i[nmtwin_pkg::INSTR_BARRIER_READS_LSB +: nmtwin_pkg::INSTR_BARRIER_READS_WIDTH];
  assign halt_cookie_o = instr_i[nmtwin_pkg::INSTR_HALT_COOKIE_LSB +: nmtwin_pkg::INSTR_HALT_COOKIE_WIDTH];
  assign write_data_data_o = instr_i[nmtwin_pkg::INSTR_WRITE_DATA_DATA_LSB +: nmtwin_pkg::INSTR_WRITE_DATA_DATA_WIDTH];
  assign chip_up_type_o = chip_up_i[nmtwin_pkg::CHIP_UP_SEL_LSB +: nmtwin_pkg::CHIP_UP_SEL_WIDTH];
  assign cfg_ack_id_o = chip_up_i[nmtwin_pkg::CHIP_UP_CFG_ACK_ID_LSB +: nmtwin_pkg::CHIP_UP_CFG_ACK_ID_WIDTH];
  assign cfg_ack_error_o = chip_up_i[nmtwin_pkg::CHIP_UP_CFG_ACK_ERROR_LSB +: nmtwin_pkg::CHIP_UP_CFG_ACK_ERROR_WIDTH];
  assign cfg_ack_data_o = chip_up_i[nmtwin_pkg::CHIP_UP_CFG_ACK_DATA_LSB +: nmtwin_pkg::CHIP_UP_CFG_ACK_DATA_WIDTH];
  assign spike_out_label_o = chip_up_i[nmtwin_pkg::CHIP_UP_SPIKE_OUT_LABEL_LSB +: nmtwin_pkg::CHIP_UP_SPIKE_OUT_LABEL_WIDTH];
  assign spike_out_timestamp_o = chip_up_i[nmtwin_pkg::CHIP_UP_SPIKE_OUT_TIMESTAMP_LSB +: nmtwin_pkg::CHIP_UP_SPIKE_OUT_TIMESTAMP_WIDTH];
  assign sample_neuron_o = chip_up_i[nmtwin_pkg::CHIP_UP_SAMPLE_NEURON_LSB +: nmtwin_pkg::CHIP_UP_SAMPLE_NEURON_WIDTH];
  assign sample_value_o = chip_up_i[nmtwin_pkg::CHIP_UP_SAMPLE_VALUE_LSB +: nmtwin_pkg::CHIP_UP_SAMPLE_VALUE_WIDTH];
  assign sample_timestamp_o = chip_up_i[nmtwin_pkg::CHIP_UP_SAMPLE_TIMESTAMP_LSB +: nmtwin_pkg::CHIP_UP_SAMPLE_TIMESTAMP_WIDTH];
  always_comb begin
    resp_read_data_o = '0;
    resp_read_data_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_READ_DATA;
    resp_read_data_o[nmtwin_pkg::RESP_READ_DATA_TAG_LSB +: nmtwin_pkg::RESP_READ_DATA_TAG_WIDTH] = resp_read_data_tag_i;
    resp_read_data_o[nmtwin_pkg::RESP_READ_DATA_DATA_LSB +: nmtwin_pkg::RESP_READ_DATA_DATA_WIDTH] = resp_read_data_data_i;
  end
  always_comb begin
    resp_spike_o = '0;
    resp_spike_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_SPIKE;
    resp_spike_o[nmtwin_pkg::RESP_SPIKE_LABEL_LSB +: nmtwin_pkg::RESP_SPIKE_LABEL_WIDTH] = resp_spike_label_i;
    resp_spike_o[nmtwin_pkg::RESP_SPIKE_SYSTIME_LSB +: nmtwin_pkg::RESP_SPIKE_SYSTIME_WIDTH] = resp_spike_systime_i;
  end
  always_comb begin
    resp_halt_o = '0;
    resp_halt_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_HALT;
    resp_halt_o[nmtwin_pkg::RESP_HALT_COOKIE_LSB +: nmtwin_pkg::RESP_HALT_COOKIE_WIDTH] = resp_halt_cookie_i;
    resp_halt_o[nmtwin_pkg::RESP_HALT_SYSTIME_LSB +: nmtwin_pkg::RESP_HALT_SYSTIME_WIDTH] = resp_halt_systime_i;
  end
  always_comb begin
    resp_error_o = '0;
    resp_error_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_ERROR;
    resp_error_o[nmtwin_pkg::RESP_ERROR_REASON_LSB +: nmtwin_pkg::RESP_ERROR_REASON_WIDTH] = resp_error_reason_i;
    resp_error_o[nmtwin_pkg::RESP_ERROR_DETAIL_LSB +: nmtwin_pkg::RESP_ERROR_DETAIL_WIDTH] = resp_error_detail_i;
    resp_error_o[nmtwin_pkg::RESP_ERROR_INDEX_LSB +: nmtwin_pkg::RESP_ERROR_INDEX_WIDTH] = resp_error_index_i;
  end
  always_comb begin
    resp_sample_o = '0;
    resp_sample_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_SAMPLE;
    resp_sample_o[nmtwin_pkg::RESP_SAMPLE_NEURON_LSB +: nmtwin_pkg::RESP_SAMPLE_NEURON_WIDTH] = resp_sample_neuron_i;
    resp_sample_o[nmtwin_pkg::RESP_SAMPLE_VALUE_LSB +: nmtwin_pkg::RESP_SAMPLE_VALUE_WIDTH] = resp_sample_value_i;
    resp_sample_o[nmtwin_pkg::RESP_SAMPLE_SYSTIME_LSB +: nmtwin_pkg::RESP_SAMPLE_SYSTIME_WIDTH] = resp_sample_systime_i;
  end
  always_comb begin
    chip_down_cfg_write_o = '0;
    chip_down_cfg_write_o[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_CFG_WRITE;
    chip_down_cfg_write_o[nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ID_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ID_WIDTH] = chip_down_cfg_write_id_i;
    chip_down_cfg_write_o[nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ADDR_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ADDR_WIDTH] = chip_down_cfg_write_addr_i;
    chip_down_cfg_write_o[nmtwin_pkg::CHIP_DOWN_CFG_WRITE_DATA_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_WRITE_DATA_WIDTH] = chip_down_cfg_write_data_i;
  end
  always_comb begin
    chip_down_cfg_read_o = '0;
    chip_down_cfg_read_o[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_CFG_READ;
    chip_down_cfg_read_o[nmtwin_pkg::CHIP_DOWN_CFG_READ_ID_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_READ_ID_WIDTH] = chip_down_cfg_read_id_i;
    chip_down_cfg_read_o[nmtwin_pkg::CHIP_DOWN_CFG_READ_ADDR_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_READ_ADDR_WIDTH] = chip_down_cfg_read_addr_i;
  end
  always_comb begin
    chip_down_spike_in_o = '0;
    chip_down_spike_in_o[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_SPIKE_IN;
    chip_down_spike_in_o[nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_LSB +: nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_WIDTH] = chip_down_spike_in_label_i;
  end
  always_comb begin
    chip_down_sync_o = '0;
    chip_down_sync_o[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_SYNC;
    chip_down_sync_o[nmtwin_pkg::CHIP_DOWN_SYNC_SYSTIME_LSB +: nmtwin_pkg::CHIP_DOWN_SYNC_SYSTIME_WIDTH] = chip_down_sync_systime_i;
  end
endmodule
