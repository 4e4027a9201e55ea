// Test-only: link_tx and link_rx side by side in one model, so that a bench can join
// them through a C++ wire (latency, bit errors).  Not synthesized.
module link_pair (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        pkt_valid_i,
  output logic        pkt_ready_o,
  input  logic [63:0] pkt_data_i,
  input  logic        pkt_last_i,
  output logic        tx_valid_o,
  input  logic        tx_ready_i,
  output logic [63:0] tx_data_o,
  output logic        tx_last_o,
  input  logic        tx_ctl_valid_i,
  input  logic        tx_ctl_nak_i,
  input  logic [7:0]  tx_ctl_seq_i,
  input  logic        tx_credit_i,
  output logic        retransmit_o,
  output logic        credit_stall_o,
  output logic        tx_idle_o,
  input  logic        rx_valid_i,
  output logic        rx_ready_o,
  input  logic [63:0] rx_data_i,
  input  logic        rx_last_i,
  output logic        rx_ctl_valid_o,
  output logic        rx_ctl_nak_o,
  output logic [7:0]  rx_ctl_seq_o,
  output logic        rx_credit_o,
  output logic        out_valid_o,
  input  logic        out_ready_i,
  output logic [63:0] out_data_o,
  output logic        out_last_o,
  output logic        received_o,
  output logic        crc_error_o,
  output logic        rx_idle_o
);
  link_tx u_tx (
    .clk_i, .rst_ni, .pkt_valid_i, .pkt_ready_o, .pkt_data_i, .pkt_last_i,
    .tx_valid_o, .tx_ready_i, .tx_data_o, .tx_last_o,
    .ctl_valid_i(tx_ctl_valid_i), .ctl_nak_i(tx_ctl_nak_i), .ctl_seq_i(tx_ctl_seq_i), .credit_i(tx_credit_i),
    .retransmit_o, .credit_stall_o, .idle_o(tx_idle_o)
  );
  link_rx u_rx (
    .clk_i, .rst_ni, .rx_valid_i, .rx_ready_o, .rx_data_i, .rx_last_i,
    .ctl_valid_o(rx_ctl_valid_o), .ctl_nak_o(rx_ctl_nak_o), .ctl_seq_o(rx_ctl_seq_o), .credit_o(rx_credit_o),
    .pkt_valid_o(out_valid_o), .pkt_ready_i(out_ready_i), .pkt_data_o(out_data_o), .pkt_last_o(out_last_o),
    .received_o, .crc_error_o, .idle_o(rx_idle_o)
  );
endmodule
