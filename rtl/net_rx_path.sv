// Receive path of the inter-chip spike path: packets from link_rx are decoded into
// events (one a cycle, in packet order), each goes to the delay buffer of its split,
// and the buffers' due events go to the chip (round robin between the splits) as
// chip labels {0, split, label[13:0]}.
module net_rx_path (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [nmtwin_pkg::NET_DEADLINE_BITS-1:0] systime_i,
  input  logic [nmtwin_pkg::REG_DELAY_CONTROL_BITS-1:0] forward_i,  // delay_control
  // Packets (header + payload) from link_rx.
  input  logic        pkt_valid_i,
  output logic        pkt_ready_o,
  input  logic [63:0] pkt_data_i,
  input  logic        pkt_last_i,
  // Events to the chip.
  output logic        evt_valid_o,
  input  logic        evt_ready_i,
  output logic [nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_WIDTH-1:0] evt_label_o,
  // Counter events (bit s for split s) and status.
  output logic [nmtwin_pkg::NET_SPLITS-1:0] decoded_o,
  output logic [nmtwin_pkg::NET_SPLITS-1:0] released_o,
  output logic [nmtwin_pkg::NET_SPLITS-1:0] expired_o,
  output logic [nmtwin_pkg::NET_SPLITS-1:0] full_o,
  output logic        idle_o
);
  logic        in_payload_q, half_q;    // a payload word is being decoded; its high event is next
  logic [nmtwin_pkg::NET_HEADER_EVENTS_WIDTH-1:0] left_q;  // events of the packet still to decode
  logic [31:0] ev;
  logic        ev_valid, split;
  logic [nmtwin_pkg::NET_SPLITS-1:0] buf_out_valid, buf_ready, buf_idle;
  logic [nmtwin_pkg::NET_EVENT_LABEL_WIDTH-1:0] buf_label [0:nmtwin_pkg::NET_SPLITS-1];
  logic        pick_q, pick;            // round robin: the split served last

  // Header words carry no event; a payload word gives two (the second only if left).
  assign ev       = half_q ? pkt_data_i[63:32] : pkt_data_i[31:0];
  assign ev_valid = pkt_valid_i && in_payload_q && left_q != '0;
  assign split    = ev[nmtwin_pkg::NET_EVENT_SPLIT_LSB];
  // A word is consumed after its second event, or when no event is left in it.
  assign pkt_ready_o = !in_payload_q || half_q || left_q <= 1;
  assign decoded_o = ev_valid ? (split ? 2'b10 : 2'b01) : 2'b00;

  for (genvar s = 0; s < nmtwin_pkg::NET_SPLITS; s++) begin : g_split
    delay_buffer u_buffer (
      .clk_i, .rst_ni, .systime_i, .forward_i(forward_i[s]),
      .in_valid_i(ev_valid && split == 1'(s)),
      .in_label_i(ev[nmtwin_pkg::NET_EVENT_LABEL_LSB +: nmtwin_pkg::NET_EVENT_LABEL_WIDTH]),
      .in_deadline_i(ev[nmtwin_pkg::NET_EVENT_DEADLINE_LSB +: nmtwin_pkg::NET_EVENT_DEADLINE_WIDTH]),
      .out_valid_o(buf_out_valid[s]), .out_ready_i(buf_ready[s]), .out_label_o(buf_label[s]),
      .released_o(released_o[s]), .expired_o(expired_o[s]), .full_o(full_o[s]), .idle_o(buf_idle[s])
    );
  end

  // Split 1 goes when split 0 has nothing, or split 0 went last.
  assign pick = buf_out_valid[1] && (!buf_out_valid[0] || !pick_q);
  assign buf_ready   = {pick && evt_ready_i, !pick && evt_ready_i};
  assign evt_valid_o = |buf_out_valid;
  assign evt_label_o = {1'b0, pick, pick ? buf_label[1] : buf_label[0]};
  assign idle_o      = &buf_idle && !in_payload_q && !pkt_valid_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      in_payload_q <= 1'b0;
      half_q <= 1'b0;
      left_q <= '0;
      pick_q <= 1'b0;
    end else begin
      if (evt_valid_o && evt_ready_i) pick_q <= pick;
      if (pkt_valid_i) begin
        if (!in_payload_q) begin
          in_payload_q <= !pkt_last_i;
          half_q       <= 1'b0;
          left_q       <= pkt_data_i[nmtwin_pkg::NET_HEADER_EVENTS_LSB +: nmtwin_pkg::NET_HEADER_EVENTS_WIDTH];
        end else begin
          if (left_q != '0) left_q <= left_q - 1'b1;
          half_q <= !pkt_ready_o;
          if (pkt_ready_o && pkt_last_i) in_payload_q <= 1'b0;
        end
      end
    end
  end
endmodule
