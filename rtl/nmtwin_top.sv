// Control FPGA of one nmtwin node as the host sees it: UDP payload streams on
// one side (the ARQ engine), the chip link and the EXTOLL link on the other (the core).
//
// udp_rx: one datagram per tlast, byte lane 0 (bits 7:0) first on the wire,
// tkeep packed from lane 0 (0xFF on every beat but the last); udp_rx_port_i
// (1 = reset port, 0 = data port) is sampled with the first beat.  udp_tx:
// datagrams for the host's data port, same conventions.  See docs/rtl.md and
// docs/protocol.md.
module nmtwin_top (
  input  logic        clk_i,
  input  logic        rst_ni,
`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  // Warp, simulation only (docs/rtl.md "Warp"; absent from the synthesised netlist).
  // horizon_o: how many cycles from this one, with idle inputs, change nothing but
  // counters (systime, timers).  warp_i: the rising edge stands for 1 + warp_i such
  // cycles (0 in a normal cycle); the simulator keeps 1 + warp_i <= horizon_o and the
  // inputs idle.
  input  logic [31:0] warp_i,
  output logic [31:0] horizon_o,
  // Gating, simulation only (docs/rtl.md "Gating"): the clock of every register but
  // the counters that run while the FPGA waits (systime, the executor's timer, the ARQ
  // engine's timers).  The simulator gives it the rising edges of clk_i, and may leave
  // one out when horizon_o > 0 and the inputs are idle: then no such register changes.
  input  logic        busy_clk_i,
  // Simulation only: the ARQ engine's delayed ACK in cycles when non-zero and below
  // the spec's delayed_ack_cycles (docs/protocol.md "Time in a simulated FPGA").
  input  logic [31:0] ack_delay_i,
  /*verilator tracing_on*/
`endif
  input  logic        udp_rx_tvalid_i,
  input  logic [63:0] udp_rx_tdata_i,
  input  logic [7:0]  udp_rx_tkeep_i,
  input  logic        udp_rx_tlast_i,
  input  logic        udp_rx_port_i,
  output logic        udp_rx_tready_o,
  output logic        udp_tx_tvalid_o,
  output logic [63:0] udp_tx_tdata_o,
  output logic [7:0]  udp_tx_tkeep_o,
  output logic        udp_tx_tlast_o,
  input  logic        udp_tx_tready_i,
  output logic        chip_tx_valid_o,
  output logic [63:0] chip_tx_data_o,
  input  logic        chip_tx_ready_i,
  input  logic        chip_rx_valid_i,
  input  logic [63:0] chip_rx_data_i,
  output logic        chip_rx_ready_o,
  // EXTOLL link port and global interrupt (docs/multichip.md).
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
  // Observation: the 48-bit counters' events (spec order) and error responses, for
  // waveforms and trace triggers (docs/waves.md); the FPGA's function ignores them.
  output logic [nmtwin_pkg::COUNT48_N-1:0] net_events_o,
  output logic        error_o,
  output logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_o,
  output logic        idle_o
);
  logic        instr_valid, instr_ready, resp_valid, resp_ready, core_idle, arq_idle, arq_clear;
  logic [63:0] instr_data, resp_data;
  logic [nmtwin_pkg::COUNT32_ARQ_ENGINE_N-1:0] arq_ev;

`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  logic [31:0] arq_horizon, core_horizon;
  assign horizon_o = arq_horizon < core_horizon ? arq_horizon : core_horizon;
  /*verilator tracing_on*/
`endif

  arq_engine u_arq (
    .clk_i, .rst_ni,
`ifndef SYNTHESIS
    .warp_i, .horizon_o(arq_horizon), .busy_clk_i, .ack_delay_i,
`endif
    .rx_tvalid_i(udp_rx_tvalid_i), .rx_tdata_i(udp_rx_tdata_i), .rx_tkeep_i(udp_rx_tkeep_i),
    .rx_tlast_i(udp_rx_tlast_i), .rx_port_i(udp_rx_port_i), .rx_tready_o(udp_rx_tready_o),
    .tx_tvalid_o(udp_tx_tvalid_o), .tx_tdata_o(udp_tx_tdata_o), .tx_tkeep_o(udp_tx_tkeep_o),
    .tx_tlast_o(udp_tx_tlast_o), .tx_tready_i(udp_tx_tready_i),
    .instr_valid_o(instr_valid), .instr_data_o(instr_data), .instr_ready_i(instr_ready),
    .resp_valid_i(resp_valid), .resp_data_i(resp_data), .resp_ready_o(resp_ready),
    .clear_o(arq_clear), .idle_o(arq_idle), .ev_o(arq_ev)
  );

  nmtwin_core u_core (
    .clk_i, .rst_ni,
`ifndef SYNTHESIS
    .warp_i, .horizon_o(core_horizon), .busy_clk_i,
`endif
    .instr_valid_i(instr_valid), .instr_data_i(instr_data), .instr_ready_o(instr_ready),
    .abort_i(arq_clear),
    .resp_valid_o(resp_valid), .resp_data_o(resp_data), .resp_ready_i(resp_ready),
    .chip_tx_valid_o, .chip_tx_data_o, .chip_tx_ready_i,
    .chip_rx_valid_i, .chip_rx_data_i, .chip_rx_ready_o,
    .net_tx_valid_o, .net_tx_ready_i, .net_tx_data_o, .net_tx_last_o,
    .net_rx_valid_i, .net_rx_ready_o, .net_rx_data_i, .net_rx_last_i,
    .net_tx_ctl_valid_i, .net_tx_ctl_nak_i, .net_tx_ctl_seq_i, .net_tx_credit_i,
    .net_rx_ctl_valid_o, .net_rx_ctl_nak_o, .net_rx_ctl_seq_o, .net_rx_credit_o,
    .gi_i, .gi_o, .gi_meas_i, .gi_meas_o, .net_events_o, .error_o,
    .systime_o, .idle_o(core_idle),
    .arq_ev_i(arq_ev)
  );

  // Nothing can change but systime until a datagram or a chip word arrives.
  assign idle_o = core_idle && arq_idle;
endmodule
