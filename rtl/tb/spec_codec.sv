// Test-only codec: decodes every instruction and chip_up word into its fields
// and encodes every response and chip_down word from its fields, using only
// the generated package.  tb_spec_codec.cpp runs it against the generated C++
// header, which proves the two generated views of spec/nmtwin.toml agree.
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
  output logic [63:0] chip_down_sync_o
);
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
