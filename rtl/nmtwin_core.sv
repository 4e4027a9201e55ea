// Core of the control FPGA of one nmtwin node: executor, register bus with the
// FPGA register block, chip link and response merger around one systime
// counter, and the inter-chip spike path (event switch, router, buckets, link
// layer, receive path with delay buffers, global interrupt unit; see
// docs/multichip.md).  Its host side is the instruction and response word
// streams; nmtwin_top puts the ARQ engine in front, the test-only wrapper
// rtl/tb/nmtwin_fpga.sv exposes them as they are.  See docs/rtl.md for the
// cycle-level behaviour.
module nmtwin_core (
  input  logic        clk_i,
  input  logic        rst_ni,
`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  // Simulation only (nmtwin_top, docs/rtl.md "Warp").
  input  logic [31:0] warp_i,
  output logic [31:0] horizon_o,
  input  logic        busy_clk_i,  // docs/rtl.md "Gating"
  /*verilator tracing_on*/
`endif
  input  logic        instr_valid_i,
  input  logic [63:0] instr_data_i,
  output logic        instr_ready_o,
  // The host link was reset (arq_engine clear_o): the executor drops its program.
  input  logic        abort_i,
  output logic        resp_valid_o,
  output logic [63:0] resp_data_o,
  input  logic        resp_ready_i,
  output logic        chip_tx_valid_o,
  output logic [63:0] chip_tx_data_o,
  input  logic        chip_tx_ready_i,
  input  logic        chip_rx_valid_i,
  input  logic [63:0] chip_rx_data_i,
  output logic        chip_rx_ready_o,
  output logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_o,
  output logic        idle_o,
  // ARQ engine counter events (arq_engine ev_o), counted in fpga_regs.
  input  logic [nmtwin_pkg::COUNT32_ARQ_ENGINE_N-1:0] arq_ev_i,
  // EXTOLL link port (docs/multichip.md).
  output logic        net_tx_valid_o,
  input  logic        net_tx_ready_i,
  output logic [63:0] net_tx_data_o,
  output logic        net_tx_last_o,
  input  logic        net_rx_valid_i,
  output logic        net_rx_ready_o,
  input  logic [63:0] net_rx_data_i,
  input  logic        net_rx_last_i,
  input  logic        net_tx_ctl_valid_i,
  input  logic        net_tx_ctl_nak_i,
  input  logic [7:0]  net_tx_ctl_seq_i,
  input  logic        net_tx_credit_i,
  output logic        net_rx_ctl_valid_o,
  output logic        net_rx_ctl_nak_o,
  output logic [7:0]  net_rx_ctl_seq_o,
  output logic        net_rx_credit_o,
  input  logic        gi_i,
  output logic        gi_o,
  input  logic        gi_meas_i,
  output logic        gi_meas_o,
  // Observation (waveforms, triggers; no function): the 48-bit counters' events in
  // spec order (packets_sent[8] .. link_credit_stalls) and an error response sent.
  output logic [nmtwin_pkg::COUNT48_N-1:0] net_events_o,
  output logic        error_o
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
  logic        link_spike_valid, link_spike_ready;
  logic [63:0] link_spike_data;
  logic        link_sample_valid, sample_resp_ready;
  logic [63:0] link_sample_data;
  logic [63:0] exec_resp_data, bus_resp_data, spike_resp_data;
  // status and counter events
  logic        exec_idle, link_idle, mux_idle;
  logic [nmtwin_pkg::SYSTIME_BITS-1:0] timer_base;
  logic        ev_instr, ev_late, ev_timeout, ev_stale, ev_to_chip, ev_from_chip, ev_resp, ev_error;
  logic        chip_link_drop, spike_to_host_drop, ev_sample_from_chip, sample_to_host_drop;
  // inter-chip spike path
  logic [nmtwin_pkg::REG_NODE_ID_BITS-1:0] node_id;
  logic [nmtwin_pkg::REG_GI_DELAY_BITS-1:0] gi_delay;
  logic [nmtwin_pkg::REG_GI_MEASURE_BITS-1:0] gi_measured;
  logic [nmtwin_pkg::REG_EVENT_SOURCE_BITS-1:0] event_source;
  logic [nmtwin_pkg::REG_ROUTER_ENABLE_BITS-1:0] router_enable;
  logic [nmtwin_pkg::REG_DELAY_CONTROL_BITS-1:0] delay_control;
  logic [nmtwin_pkg::NET_BUCKETS*nmtwin_pkg::REG_BUCKET_DEST_BITS-1:0] bucket_dest;
  logic [nmtwin_pkg::NET_BUCKETS*nmtwin_pkg::REG_BUCKET_DELAY_BITS-1:0] bucket_delay;
  logic [nmtwin_pkg::NET_BUCKETS*nmtwin_pkg::REG_BUCKET_TIMEOUT_BITS-1:0] bucket_timeout;
  logic        gi_mode, gi_send, gi_measure, gi_fire, gi_load, gi_idle;
  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_preset;
  logic [nmtwin_pkg::COUNT48_N-1:0] ev_net;
  logic        tbl_valid, tbl_write;
  logic [$clog2(nmtwin_pkg::BUS_TABLE_SIZE)-1:0] tbl_index;
  logic [nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0] tbl_wdata, tbl_rdata;
  // event switch -> router -> buckets -> link_tx
  logic        sw_valid, sw_ready, sw_idle;
  logic [14:0] sw_label;
  logic        rt_valid, rt_ready, rt_split;
  logic [2:0]  rt_bucket;
  logic [13:0] rt_label;
  logic        ev_routed, ev_loss_disabled, ev_loss_invalid;
  logic        pk_valid, pk_ready, pk_last;
  logic [63:0] pk_data;
  logic [7:0]  ev_packet_sent;
  logic [15:0] ev_bucket_in;
  logic        buckets_idle, ltx_idle, lrx_idle, nrx_idle;
  logic        ev_retransmit, ev_credit_stall, ev_received, ev_crc_error;
  // link_rx -> receive path -> chip
  logic        rp_valid, rp_ready, rp_last;
  logic [63:0] rp_data;
  logic        ne_valid, ne_ready;
  logic [15:0] ne_label;
  logic [1:0]  ev_decoded, ev_released, ev_expired, ev_full;
  // executor / network -> chip_link
  logic        ex_spikes_valid, ex_sync_valid, ex_chip_ready;
  logic [1:0]  ex_spikes_count;
  logic [47:0] ex_spikes_labels;

  // The clock of every register but the counters (systime, the executor's timer): a
  // simulation leaves out its edges in cycles that change nothing but counters
  // (docs/rtl.md "Gating").  One clock in the FPGA.
  /*verilator tracing_off*/  // a waveform shows clk_i
  logic bclk;
`ifdef SYNTHESIS
  assign bclk = clk_i;
`else
  assign bclk = busy_clk_i;
`endif
  /*verilator tracing_on*/

`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  logic [31:0] exec_horizon;
  /*verilator tracing_on*/
  systime u_systime (.clk_i, .rst_ni, .warp_i, .load_i(gi_load), .preset_i(systime_preset), .systime_o);
`else
  systime u_systime (.clk_i, .rst_ni, .load_i(gi_load), .preset_i(systime_preset), .systime_o);
`endif

  executor u_executor (
    .clk_i, .rst_ni, .systime_i(systime_o),
`ifndef SYNTHESIS
    .warp_i, .horizon_o(exec_horizon), .busy_clk_i(bclk),
`endif
    .instr_valid_i, .instr_data_i, .instr_ready_o, .abort_i,
    .bus_valid_o(bus_valid), .bus_ready_i(bus_ready), .bus_write_o(bus_write),
    .bus_addr_o(bus_addr), .bus_wdata_o(bus_wdata), .bus_be_o(bus_be), .bus_tag_o(bus_tag),
    .bus_index_o(bus_index), .bus_busy_i(bus_busy), .gi_fire_i(gi_fire),
    .spikes_valid_o(ex_spikes_valid), .spikes_count_o(ex_spikes_count), .spikes_labels_o(ex_spikes_labels),
    .sync_valid_o(ex_sync_valid), .chip_ready_i(ex_chip_ready),
    .resp_valid_o(exec_resp_valid), .resp_data_o(exec_resp_data), .resp_ready_i(exec_resp_ready),
    .resp_queue_empty_i(exec_q_empty), .bus_queue_empty_i(bus_q_empty),
    .idle_o(exec_idle), .timer_base_o(timer_base), .instr_o(ev_instr), .late_wait_o(ev_late)
  );

  reg_bus u_reg_bus (
    .clk_i(bclk), .rst_ni, .now_i(systime_o[31:0]),
    .req_valid_i(bus_valid), .req_ready_o(bus_ready), .req_write_i(bus_write),
    .req_addr_i(bus_addr), .req_wdata_i(bus_wdata), .req_be_i(bus_be), .req_tag_i(bus_tag),
    .req_index_i(bus_index), .busy_o(bus_busy),
    .fpga_valid_o(fpga_valid), .fpga_write_o(fpga_write), .fpga_offset_o(fpga_offset),
    .fpga_wdata_o(fpga_wdata), .fpga_be_o(fpga_be),
    .fpga_rdata_i(fpga_rdata), .fpga_error_i(fpga_error), .fpga_reason_i(fpga_reason),
    .timeout_i(bus_timeout),
    .tbl_valid_o(tbl_valid), .tbl_write_o(tbl_write), .tbl_index_o(tbl_index), .tbl_wdata_o(tbl_wdata),
    .tbl_rdata_i(tbl_rdata),
    .cfg_valid_o(cfg_valid), .cfg_ready_i(cfg_ready), .cfg_write_o(cfg_write), .cfg_id_o(cfg_id),
    .cfg_addr_o(cfg_addr), .cfg_data_o(cfg_data),
    .ack_valid_i(ack_valid), .ack_id_i(ack_id), .ack_error_i(ack_error), .ack_data_i(ack_data),
    .resp_valid_o(bus_resp_valid), .resp_data_o(bus_resp_data), .resp_ready_i(bus_resp_ready),
    .timeout_o(ev_timeout), .stale_o(ev_stale)
  );

  fpga_regs u_fpga_regs (
    .clk_i(bclk), .rst_ni, .systime_i(systime_o), .timer_base_i(timer_base),
    .req_valid_i(fpga_valid), .req_write_i(fpga_write), .req_offset_i(fpga_offset),
    .req_wdata_i(fpga_wdata), .req_be_i(fpga_be),
    .rsp_rdata_o(fpga_rdata), .rsp_error_o(fpga_error), .rsp_reason_o(fpga_reason),
    .bus_timeout_o(bus_timeout),
    .ev_instruction_i(ev_instr), .ev_spike_to_chip_i(ev_to_chip), .ev_spike_from_chip_i(ev_from_chip),
    .ev_response_i(ev_resp), .ev_error_i(ev_error), .ev_bus_timeout_i(ev_timeout),
    .ev_late_wait_i(ev_late), .ev_stale_ack_i(ev_stale), .ev_chip_link_drop_i(chip_link_drop), .ev_spike_to_host_drop_i(spike_to_host_drop),
    .ev_sample_from_chip_i(ev_sample_from_chip), .ev_sample_to_host_drop_i(sample_to_host_drop),
    .ev_arq_i(arq_ev_i),
    .node_id_o(node_id), .event_source_o(event_source), .router_enable_o(router_enable),
    .delay_control_o(delay_control), .bucket_dest_o(bucket_dest), .bucket_delay_o(bucket_delay),
    .bucket_timeout_o(bucket_timeout), .gi_delay_o(gi_delay), .gi_mode_o(gi_mode),
    .systime_preset_o(systime_preset), .gi_send_o(gi_send), .gi_measure_o(gi_measure),
    .gi_measure_i(gi_measured), .ev_net_i(ev_net)
  );

  // Executor spikes and syncs and network events to the chip; chip output spikes
  // and executor spike labels to the router.
  event_switch u_switch (
    .clk_i(bclk), .rst_ni, .event_source_i(event_source),
    .ex_spikes_valid_i(ex_spikes_valid), .ex_spikes_count_i(ex_spikes_count),
    .ex_spikes_labels_i(ex_spikes_labels), .ex_sync_valid_i(ex_sync_valid), .ex_ready_o(ex_chip_ready),
    .net_valid_i(ne_valid), .net_ready_o(ne_ready), .net_label_i(ne_label),
    .chip_spikes_valid_o(spikes_valid), .chip_spikes_count_o(spikes_count),
    .chip_spikes_labels_o(spikes_labels), .chip_sync_valid_o(sync_valid), .chip_ready_i(chip_ready),
    .spike_valid_i(link_spike_valid), .spike_data_i(link_spike_data), .spike_ready_o(link_spike_ready),
    .resp_valid_o(spike_resp_valid), .resp_data_o(spike_resp_data), .resp_ready_i(spike_resp_ready),
    .host_drop_o(spike_to_host_drop), .evt_valid_o(sw_valid), .evt_label_o(sw_label), .evt_ready_i(sw_ready), .idle_o(sw_idle)
  );

  event_router u_router (
    .clk_i(bclk), .rst_ni, .enable_i(router_enable),
    .evt_valid_i(sw_valid), .evt_ready_o(sw_ready), .evt_label_i(sw_label),
    .out_valid_o(rt_valid), .out_ready_i(rt_ready), .out_bucket_o(rt_bucket), .out_split_o(rt_split),
    .out_label_o(rt_label),
    .tbl_valid_i(tbl_valid), .tbl_write_i(tbl_write), .tbl_index_i(tbl_index), .tbl_wdata_i(tbl_wdata),
    .tbl_rdata_o(tbl_rdata),
    .routed_o(ev_routed), .loss_disabled_o(ev_loss_disabled), .loss_invalid_o(ev_loss_invalid)
  );

  event_buckets u_buckets (
    .clk_i(bclk), .rst_ni, .systime_i(systime_o[nmtwin_pkg::NET_DEADLINE_BITS-1:0]), .node_id_i(node_id),
    .dest_i(bucket_dest), .delay_i(bucket_delay), .timeout_i(bucket_timeout),
    .evt_valid_i(rt_valid), .evt_ready_o(rt_ready), .evt_bucket_i(rt_bucket), .evt_split_i(rt_split),
    .evt_label_i(rt_label),
    .pkt_valid_o(pk_valid), .pkt_ready_i(pk_ready), .pkt_data_o(pk_data), .pkt_last_o(pk_last),
    .packet_sent_o(ev_packet_sent), .event_in_o(ev_bucket_in), .idle_o(buckets_idle)
  );

  link_tx u_link_tx (
    .clk_i(bclk), .rst_ni,
    .pkt_valid_i(pk_valid), .pkt_ready_o(pk_ready), .pkt_data_i(pk_data), .pkt_last_i(pk_last),
    .tx_valid_o(net_tx_valid_o), .tx_ready_i(net_tx_ready_i), .tx_data_o(net_tx_data_o), .tx_last_o(net_tx_last_o),
    .ctl_valid_i(net_tx_ctl_valid_i), .ctl_nak_i(net_tx_ctl_nak_i), .ctl_seq_i(net_tx_ctl_seq_i),
    .credit_i(net_tx_credit_i),
    .retransmit_o(ev_retransmit), .credit_stall_o(ev_credit_stall), .idle_o(ltx_idle)
  );

  link_rx u_link_rx (
    .clk_i(bclk), .rst_ni,
    .rx_valid_i(net_rx_valid_i), .rx_ready_o(net_rx_ready_o), .rx_data_i(net_rx_data_i), .rx_last_i(net_rx_last_i),
    .ctl_valid_o(net_rx_ctl_valid_o), .ctl_nak_o(net_rx_ctl_nak_o), .ctl_seq_o(net_rx_ctl_seq_o),
    .credit_o(net_rx_credit_o),
    .pkt_valid_o(rp_valid), .pkt_ready_i(rp_ready), .pkt_data_o(rp_data), .pkt_last_o(rp_last),
    .received_o(ev_received), .crc_error_o(ev_crc_error), .idle_o(lrx_idle)
  );

  net_rx_path u_rx_path (
    .clk_i(bclk), .rst_ni, .systime_i(systime_o[nmtwin_pkg::NET_DEADLINE_BITS-1:0]), .forward_i(delay_control),
    .pkt_valid_i(rp_valid), .pkt_ready_o(rp_ready), .pkt_data_i(rp_data), .pkt_last_i(rp_last),
    .evt_valid_o(ne_valid), .evt_ready_i(ne_ready), .evt_label_o(ne_label),
    .decoded_o(ev_decoded), .released_o(ev_released), .expired_o(ev_expired), .full_o(ev_full),
    .idle_o(nrx_idle)
  );

  gi_unit u_gi (
    .clk_i(bclk), .rst_ni, .send_i(gi_send), .measure_i(gi_measure), .delay_i(gi_delay), .mode_i(gi_mode),
    .gi_i, .gi_o, .meas_i(gi_meas_i), .meas_o(gi_meas_o),
    .fire_o(gi_fire), .load_o(gi_load), .measured_o(gi_measured), .idle_o(gi_idle)
  );

  // 48-bit counters, in the order of fpga_regs (spec addresses packets_sent + 2 i).
  assign ev_net = {ev_credit_stall, ev_retransmit, ev_crc_error, ev_received, ev_full, ev_expired, ev_released,
                   ev_decoded, ev_loss_invalid, ev_loss_disabled, ev_routed, ev_bucket_in, ev_packet_sent};

  chip_link u_chip_link (
    .clk_i(bclk), .rst_ni, .systime_i(systime_o),
    .spikes_valid_i(spikes_valid), .spikes_count_i(spikes_count), .spikes_labels_i(spikes_labels),
    .sync_valid_i(sync_valid), .ev_ready_o(chip_ready),
    .cfg_valid_i(cfg_valid), .cfg_ready_o(cfg_ready), .cfg_write_i(cfg_write), .cfg_id_i(cfg_id),
    .cfg_addr_i(cfg_addr), .cfg_data_i(cfg_data),
    .ack_valid_o(ack_valid), .ack_id_o(ack_id), .ack_error_o(ack_error), .ack_data_o(ack_data),
    .spike_valid_o(link_spike_valid), .spike_data_o(link_spike_data), .spike_ready_i(link_spike_ready),
    .sample_valid_o(link_sample_valid), .sample_data_o(link_sample_data),
    .tx_valid_o(chip_tx_valid_o), .tx_data_o(chip_tx_data_o), .tx_ready_i(chip_tx_ready_i),
    .rx_valid_i(chip_rx_valid_i), .rx_data_i(chip_rx_data_i), .rx_ready_o(chip_rx_ready_o),
    .idle_o(link_idle), .spike_to_chip_o(ev_to_chip), .spike_from_chip_o(ev_from_chip),
    .sample_from_chip_o(ev_sample_from_chip), .drop_o(chip_link_drop)
  );

  // A sample the response merger cannot take is lost (counter samples_to_host_dropped).
  assign sample_to_host_drop = link_sample_valid && !sample_resp_ready;

  resp_mux u_resp_mux (
    .clk_i(bclk), .rst_ni,
    .exec_valid_i(exec_resp_valid), .exec_data_i(exec_resp_data), .exec_ready_o(exec_resp_ready),
    .bus_valid_i(bus_resp_valid), .bus_data_i(bus_resp_data), .bus_ready_o(bus_resp_ready),
    .spike_valid_i(spike_resp_valid), .spike_data_i(spike_resp_data), .spike_ready_o(spike_resp_ready),
    .sample_valid_i(link_sample_valid), .sample_data_i(link_sample_data), .sample_ready_o(sample_resp_ready),
    .resp_valid_o, .resp_data_o, .resp_ready_i,
    .exec_empty_o(exec_q_empty), .bus_empty_o(bus_q_empty), .idle_o(mux_idle),
    .sent_o(ev_resp), .error_o(ev_error)
  );

  assign net_events_o = ev_net;
  assign error_o      = ev_error;

  // Everything but the executor idle.
  logic rest_idle;
  assign rest_idle = !bus_busy && link_idle && mux_idle && sw_idle && !rt_valid && buckets_idle && ltx_idle &&
                     lrx_idle && nrx_idle && gi_idle;
  assign idle_o = exec_idle && rest_idle;

`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  // Everything but the executor idle, and no bucket collecting (its timers count only
  // while a bank holds events): then only systime and the executor's timer count.
  assign horizon_o = rest_idle && u_buckets.count_q == '0 ? exec_horizon : '0;
  /*verilator tracing_on*/
`endif
endmodule
