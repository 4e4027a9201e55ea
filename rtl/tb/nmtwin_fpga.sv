// Test-only wrapper: the core of one nmtwin node with the word streams as its
// host side (no ARQ engine), so a bench drives instructions and responses
// directly (tb_nmtwin_fpga; the node wrapper links nmtwin_top).  The ARQ
// counters read 0; the EXTOLL link is not connected (a node on its own: events
// routed to the network wait for credits that never come).  See docs/rtl.md.
module nmtwin_fpga (
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
  output logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_o,
  output logic        idle_o
);
  // The link's outputs go nowhere on purpose.
  /* verilator lint_off PINCONNECTEMPTY */
  nmtwin_core u_core (
    .clk_i, .rst_ni,
    .warp_i('0), .horizon_o(), .busy_clk_i(clk_i),
    .instr_valid_i, .instr_data_i, .instr_ready_o, .abort_i(1'b0),
    .resp_valid_o, .resp_data_o, .resp_ready_i,
    .chip_tx_valid_o, .chip_tx_data_o, .chip_tx_ready_i,
    .chip_rx_valid_i, .chip_rx_data_i, .chip_rx_ready_o,
    .systime_o, .idle_o,
    .arq_ev_i('0),
    .net_tx_valid_o(), .net_tx_ready_i(1'b0), .net_tx_data_o(), .net_tx_last_o(),
    .net_rx_valid_i(1'b0), .net_rx_ready_o(), .net_rx_data_i('0), .net_rx_last_i(1'b0),
    .net_tx_ctl_valid_i(1'b0), .net_tx_ctl_nak_i(1'b0), .net_tx_ctl_seq_i('0), .net_tx_credit_i(1'b0),
    .net_rx_ctl_valid_o(), .net_rx_ctl_nak_o(), .net_rx_ctl_seq_o(), .net_rx_credit_o(),
    .gi_i(1'b0), .gi_o(), .gi_meas_i(1'b0), .gi_meas_o(), .net_events_o(), .error_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */
endmodule
