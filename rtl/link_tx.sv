// Link layer, sending side (docs/multichip.md "Link layer").
//
// Takes packets (header with seq 0 + payload, no CRC) from the buckets, stores each
// whole in a retransmit buffer of WINDOW slots (block RAM), numbering it (header seq)
// and appending the CRC word, then sends it when it holds a credit.  A packet is
// sent from the buffer, so it leaves at the earliest 2 cycles after its last word
// came in.
//
// ACK(s) acknowledges every packet up to s.  NAK(s) acknowledges those before s and
// sends again from s (go-back-N) once the packet on the wire is complete.  With
// unacknowledged packets and neither ACK nor NAK for TIMEOUT cycles, it sends again
// from the oldest.  Every send, first or again, takes a credit: the receiver returns
// one for every packet it drops as well as for every one it has passed on.
module link_tx #(
  parameter int WINDOW  = nmtwin_pkg::NET_LINK_WINDOW,
  parameter int CREDITS = nmtwin_pkg::NET_LINK_CREDITS,
  parameter int TIMEOUT = nmtwin_pkg::NET_LINK_TIMEOUT_CYCLES
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // Packets in.
  input  logic        pkt_valid_i,
  output logic        pkt_ready_o,
  input  logic [63:0] pkt_data_i,
  input  logic        pkt_last_i,
  // Packet words to the link.
  output logic        tx_valid_o,
  input  logic        tx_ready_i,
  output logic [63:0] tx_data_o,
  output logic        tx_last_o,
  // Link control about the packets sent.
  input  logic        ctl_valid_i,
  input  logic        ctl_nak_i,
  input  logic [nmtwin_pkg::NET_HEADER_SEQ_WIDTH-1:0] ctl_seq_i,
  input  logic        credit_i,
  // Counter events and status.
  output logic        retransmit_o,     // a packet starts again
  output logic        credit_stall_o,   // a packet waits for a credit this cycle
  output logic        idle_o
);
  localparam int SW = $clog2(WINDOW);
  localparam int WW = 6;                // word index in a slot: 62 words at most
  localparam int CW = $clog2(CREDITS + 1);
  localparam int TW = $clog2(TIMEOUT + 1);
  localparam int SQ = nmtwin_pkg::NET_HEADER_SEQ_WIDTH;  // link sequence numbers

  logic [63:0]   mem_q [0:WINDOW*64-1];
  logic [WW-1:0] len_q [0:WINDOW-1];    // index of the CRC word of each slot

  logic [SQ-1:0] base_q, next_q, send_q, high_q;  // oldest unacked, next new, next to send, after the highest sent
  logic [CW-1:0] credits_q;
  logic [TW-1:0] quiet_q;

  // Ingest.
  logic [WW-1:0] in_word_q;
  logic [31:0]   crc_q, crc_next;
  logic          in_crc_q;              // the CRC word is written this cycle
  logic [63:0]   wdata;
  logic          wen;
  logic [WW+SW-1:0] waddr;

  // Send.
  logic          busy_q, rd_valid_q, last_q;
  logic [SW-1:0] cur_q;                 // slot of the packet on the wire
  logic [WW-1:0] rd_word_q;
  logic [63:0]   rd_q;
  logic          start, rd_en, word_out, ack_ok, nak_ok, go_back;
  logic [SQ-1:0] in_flight, sent, nak_dist, ack_dist, send_d;

  assign in_flight = next_q - base_q;   // stored, not yet acknowledged
  assign sent      = high_q - base_q;   // of those, sent at least once
  // A slot is refilled only when its packet is acknowledged and not on the wire.
  assign pkt_ready_o = !in_crc_q && in_flight < SQ'(WINDOW) && !(busy_q && cur_q == next_q[SW-1:0]);

  // Header with its seq; the CRC covers the word as sent.
  always_comb begin
    wdata = pkt_data_i;
    if (in_word_q == '0) wdata[nmtwin_pkg::NET_HEADER_SEQ_LSB +: SQ] = next_q;
    if (in_crc_q) wdata = {32'd0, ~crc_q};
  end
  crc32_64 u_crc (.valid_i(wen), .crc_i(in_word_q == '0 ? 32'hFFFFFFFF : crc_q), .data_i(wdata), .crc_o(crc_next));
  assign wen   = in_crc_q || (pkt_valid_i && pkt_ready_o);
  assign waddr = {next_q[SW-1:0], in_word_q};

  always_ff @(posedge clk_i) begin
    if (wen) mem_q[waddr] <= wdata;
    if (in_crc_q) len_q[next_q[SW-1:0]] <= in_word_q;
  end

  // Control symbols: distances from the oldest unacknowledged packet.
  assign ack_dist = ctl_seq_i - base_q;
  assign nak_dist = ctl_seq_i - base_q;
  assign ack_ok   = ctl_valid_i && !ctl_nak_i && ack_dist < sent;
  assign nak_ok   = ctl_valid_i && ctl_nak_i && nak_dist <= sent;
  assign go_back  = nak_ok || (sent != '0 && quiet_q == TW'(TIMEOUT));

  // The next packet to send: on, back after a NAK or timeout, and never below the
  // oldest unacknowledged one (after a timeout, ACKs of first copies may still come).
  always_comb begin
    send_d = start ? send_q + 1'b1 : send_q;
    if (go_back) send_d = nak_ok ? ctl_seq_i : base_q;
    else if (ack_ok && send_d - base_q <= ack_dist) send_d = ctl_seq_i + 1'b1;
  end

  // Send: one packet at a time from the buffer, one word a cycle with read-ahead.
  assign start    = !busy_q && send_q != next_q && credits_q != '0 && !go_back;
  assign credit_stall_o = !busy_q && send_q != next_q && credits_q == '0;
  assign word_out = rd_valid_q && tx_ready_i;
  assign rd_en    = busy_q && rd_word_q <= len_q[cur_q] && (!rd_valid_q || word_out);
  assign tx_valid_o = rd_valid_q;
  assign tx_data_o  = rd_q;
  assign tx_last_o  = last_q;
  assign retransmit_o = start && (high_q - send_q) != '0 && (high_q - send_q) <= SQ'(WINDOW);
  assign idle_o = in_flight == '0 && !busy_q && in_word_q == '0 && !in_crc_q;

  always_ff @(posedge clk_i) begin
    if (rd_en) rd_q <= mem_q[{cur_q, rd_word_q}];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      base_q <= '0;
      next_q <= '0;
      send_q <= '0;
      high_q <= '0;
      credits_q <= CW'(CREDITS);
      quiet_q <= '0;
      in_word_q <= '0;
      in_crc_q <= 1'b0;
      crc_q <= '0;
      busy_q <= 1'b0;
      rd_valid_q <= 1'b0;
      last_q <= 1'b0;
      cur_q <= '0;
      rd_word_q <= '0;
    end else begin
      // Ingest.
      if (in_crc_q) begin
        in_crc_q  <= 1'b0;
        in_word_q <= '0;
        next_q    <= next_q + 1'b1;
      end else if (pkt_valid_i && pkt_ready_o) begin
        crc_q     <= crc_next;
        in_word_q <= in_word_q + 1'b1;
        in_crc_q  <= pkt_last_i;
      end
      // Acknowledgements.
      if (ack_ok) base_q <= ctl_seq_i + 1'b1;
      if (nak_ok) base_q <= ctl_seq_i;

      if (ctl_valid_i || sent == '0 || go_back) quiet_q <= '0;
      else if (quiet_q != TW'(TIMEOUT)) quiet_q <= quiet_q + 1'b1;
      send_q <= send_d;
      // Credits: one back per pulse, one taken per packet started.
      credits_q <= credits_q + CW'(credit_i) - CW'(start);
      // Send.
      if (start) begin
        busy_q    <= 1'b1;
        cur_q     <= send_q[SW-1:0];
        rd_word_q <= '0;
        if (send_q == high_q) high_q <= high_q + 1'b1;
      end
      if (rd_en) begin
        rd_valid_q <= 1'b1;
        last_q     <= rd_word_q == len_q[cur_q];
        rd_word_q  <= rd_word_q + 1'b1;
      end else if (word_out) begin
        rd_valid_q <= 1'b0;
      end
      if (word_out && last_q) busy_q <= 1'b0;
    end
  end
endmodule
