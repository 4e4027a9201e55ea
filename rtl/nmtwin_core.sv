// Core of the control FPGA of one nmtwin node: executor, register bus with the
// FPGA register block, chip link and response merger around one systime
// counter.  Its host side is the instruction and response word streams;
// nmtwin_fpga exposes them as they are, nmtwin_top puts the ARQ engine in
// front.  See docs/rtl.md for the cycle-level behaviour.
module nmtwin_core (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        instr_valid_i,
  input  logic [63:0] instr_data_i,
  output logic        instr_ready_o,
  output logic        resp_valid_o,
  output logic [63:0] resp_data_o,
  input  logic        resp_ready_i,
  output logic        chip_tx_valid_o,
  output logic [63:0] chip_tx_data_o,
  input  logic        chip_tx_ready_i,
  input  logic        chip_rx_valid_i,
  input  logic [63:0] chip_rx_data_i,
  output logic        chip_rx_ready_o,
  output logic [42:0] systime_o,
  output logic        idle_o,
  // ARQ engine counter events (arq_engine ev_o), counted in fpga_regs.
  input  logic [9:0]  arq_ev_i
);
  // executor -> reg_bus
  logic        bus_valid, bus_ready, bus_write, bus_busy;
  logic [31:0] bus_addr, bus_wdata, bus_index;
  logic [3:0]  bus_be;
  logic [15:0] bus_tag;
  // executor -> chip_link
  logic        spikes_valid, sync_valid, chip_ready;
  logic [1:0]  spikes_count;
  logic [47:0] spikes_labels;
  // reg_bus <-> fpga_regs
  logic        fpga_valid, fpga_write, fpga_error;
  logic [7:0]  fpga_offset;
  logic [31:0] fpga_wdata, fpga_rdata, bus_timeout;
  logic [3:0]  fpga_be, fpga_reason;
  // reg_bus <-> chip_link
  logic        cfg_valid, cfg_ready, cfg_write, ack_valid, ack_error;
  logic [3:0]  cfg_id, ack_id;
  logic [23:0] cfg_addr;
  logic [31:0] cfg_data, ack_data;
  // responses
  logic        exec_resp_valid, exec_resp_ready, bus_resp_valid, bus_resp_ready;
  logic        spike_resp_valid, spike_resp_ready, exec_q_empty, bus_q_empty;
  logic [63:0] exec_resp_data, bus_resp_data, spike_resp_data;
  // status and counter events
  logic        exec_idle, link_idle, mux_idle;
  logic [42:0] timer_base;
  logic        ev_instr, ev_late, ev_timeout, ev_stale, ev_to_chip, ev_from_chip, ev_resp, ev_error;
  logic        chip_link_drop;

  systime u_systime (.clk_i, .rst_ni, .systime_o);

  executor u_executor (
    .clk_i, .rst_ni, .systime_i(systime_o),
    .instr_valid_i, .instr_data_i, .instr_ready_o,
    .bus_valid_o(bus_valid), .bus_ready_i(bus_ready), .bus_write_o(bus_write),
    .bus_addr_o(bus_addr), .bus_wdata_o(bus_wdata), .bus_be_o(bus_be), .bus_tag_o(bus_tag),
    .bus_index_o(bus_index), .bus_busy_i(bus_busy),
    .spikes_valid_o(spikes_valid), .spikes_count_o(spikes_count), .spikes_labels_o(spikes_labels),
    .sync_valid_o(sync_valid), .chip_ready_i(chip_ready),
    .resp_valid_o(exec_resp_valid), .resp_data_o(exec_resp_data), .resp_ready_i(exec_resp_ready),
    .resp_queue_empty_i(exec_q_empty), .bus_queue_empty_i(bus_q_empty),
    .idle_o(exec_idle), .timer_base_o(timer_base), .instr_o(ev_instr), .late_wait_o(ev_late)
  );

  reg_bus u_reg_bus (
    .clk_i, .rst_ni, .now_i(systime_o[31:0]),
    .req_valid_i(bus_valid), .req_ready_o(bus_ready), .req_write_i(bus_write),
    .req_addr_i(bus_addr), .req_wdata_i(bus_wdata), .req_be_i(bus_be), .req_tag_i(bus_tag),
    .req_index_i(bus_index), .busy_o(bus_busy),
    .fpga_valid_o(fpga_valid), .fpga_write_o(fpga_write), .fpga_offset_o(fpga_offset),
    .fpga_wdata_o(fpga_wdata), .fpga_be_o(fpga_be),
    .fpga_rdata_i(fpga_rdata), .fpga_error_i(fpga_error), .fpga_reason_i(fpga_reason),
    .timeout_i(bus_timeout),
    .cfg_valid_o(cfg_valid), .cfg_ready_i(cfg_ready), .cfg_write_o(cfg_write), .cfg_id_o(cfg_id),
    .cfg_addr_o(cfg_addr), .cfg_data_o(cfg_data),
    .ack_valid_i(ack_valid), .ack_id_i(ack_id), .ack_error_i(ack_error), .ack_data_i(ack_data),
    .resp_valid_o(bus_resp_valid), .resp_data_o(bus_resp_data), .resp_ready_i(bus_resp_ready),
    .timeout_o(ev_timeout), .stale_o(ev_stale)
  );

  fpga_regs u_fpga_regs (
    .clk_i, .rst_ni, .systime_i(systime_o), .timer_base_i(timer_base),
    .req_valid_i(fpga_valid), .req_write_i(fpga_write), .req_offset_i(fpga_offset),
    .req_wdata_i(fpga_wdata), .req_be_i(fpga_be),
    .rsp_rdata_o(fpga_rdata), .rsp_error_o(fpga_error), .rsp_reason_o(fpga_reason),
    .bus_timeout_o(bus_timeout),
    .ev_instruction_i(ev_instr), .ev_spike_to_chip_i(ev_to_chip), .ev_spike_from_chip_i(ev_from_chip),
    .ev_response_i(ev_resp), .ev_error_i(ev_error), .ev_bus_timeout_i(ev_timeout),
    .ev_late_wait_i(ev_late), .ev_stale_ack_i(ev_stale), .ev_chip_link_drop_i(chip_link_drop),
    .ev_arq_i(arq_ev_i)
  );

  chip_link u_chip_link (
    .clk_i, .rst_ni, .systime_i(systime_o),
    .spikes_valid_i(spikes_valid), .spikes_count_i(spikes_count), .spikes_labels_i(spikes_labels),
    .sync_valid_i(sync_valid), .ev_ready_o(chip_ready),
    .cfg_valid_i(cfg_valid), .cfg_ready_o(cfg_ready), .cfg_write_i(cfg_write), .cfg_id_i(cfg_id),
    .cfg_addr_i(cfg_addr), .cfg_data_i(cfg_data),
    .ack_valid_o(ack_valid), .ack_id_o(ack_id), .ack_error_o(ack_error), .ack_data_o(ack_data),
    .spike_valid_o(spike_resp_valid), .spike_data_o(spike_resp_data), .spike_ready_i(spike_resp_ready),
    .tx_valid_o(chip_tx_valid_o), .tx_data_o(chip_tx_data_o), .tx_ready_i(chip_tx_ready_i),
    .rx_valid_i(chip_rx_valid_i), .rx_data_i(chip_rx_data_i), .rx_ready_o(chip_rx_ready_o),
    .idle_o(link_idle), .spike_to_chip_o(ev_to_chip), .spike_from_chip_o(ev_from_chip),
    .drop_o(chip_link_drop)
  );

  resp_mux u_resp_mux (
    .clk_i, .rst_ni,
    .exec_valid_i(exec_resp_valid), .exec_data_i(exec_resp_data), .exec_ready_o(exec_resp_ready),
    .bus_valid_i(bus_resp_valid), .bus_data_i(bus_resp_data), .bus_ready_o(bus_resp_ready),
    .spike_valid_i(spike_resp_valid), .spike_data_i(spike_resp_data), .spike_ready_o(spike_resp_ready),
    .resp_valid_o, .resp_data_o, .resp_ready_i,
    .exec_empty_o(exec_q_empty), .bus_empty_o(bus_q_empty), .idle_o(mux_idle),
    .sent_o(ev_resp), .error_o(ev_error)
  );

  assign idle_o = exec_idle && !bus_busy && link_idle && mux_idle;
endmodule
