// Link layer, receiving side (docs/multichip.md "Link layer").
//
// Stores every arriving packet in one of CREDITS buffers (block RAM) while checking
// its CRC and length.  On its CRC word (cycle t):
//   - good and the expected seq: kept, ACK(seq) on t + 1, passed on in order;
//   - bad CRC or length: dropped, counted, NAK(expected) on t + 1;
//   - good but ahead of the expected seq (one was lost): dropped, NAK(expected) on
//     t + 1 unless this gap was NAKed already;
//   - good but behind (a repeat): dropped, ACK(expected - 1) on t + 1.
// A dropped packet's buffer is free at once; a kept one once it has been passed on.
// Every freed buffer gives a credit back (one pulse a cycle, in order).  A packet that
// arrives while every buffer is taken (the sender ignored its credits) is dropped
// and counted with the CRC errors.
module link_rx #(
  parameter int CREDITS = nmtwin_pkg::NET_LINK_CREDITS
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // Packet words from the link.
  input  logic        rx_valid_i,
  output logic        rx_ready_o,
  input  logic [63:0] rx_data_i,
  input  logic        rx_last_i,
  // Link control about the packets received.
  output logic        ctl_valid_o,
  output logic        ctl_nak_o,
  output logic [nmtwin_pkg::NET_HEADER_SEQ_WIDTH-1:0] ctl_seq_o,
  output logic        credit_o,
  // Good packets, in order, without the CRC word.
  output logic        pkt_valid_o,
  input  logic        pkt_ready_i,
  output logic [63:0] pkt_data_o,
  output logic        pkt_last_o,
  // Counter events and status.
  output logic        received_o,       // a packet kept
  output logic        crc_error_o,      // a packet dropped for its CRC, length or lack of buffer
  output logic        idle_o
);
  localparam int BW = $clog2(CREDITS);
  localparam int WW = 6;
  localparam int SQ = nmtwin_pkg::NET_HEADER_SEQ_WIDTH;    // link sequence numbers
  localparam int HW = nmtwin_pkg::NET_HEADER_WORDS_WIDTH;  // header field words

  logic [63:0]   mem_q [0:CREDITS*64-1];
  logic [WW-1:0] len_q [0:CREDITS-1];   // index of the last payload word

  logic [BW:0]   wr_q, rd_q;            // buffers: kept ones between rd and wr
  logic [SQ-1:0] expected_q;
  logic          gap_naked_q;
  logic [WW:0]   in_word_q;
  logic [31:0]   crc_q, crc_next;
  logic [SQ-1:0] hdr_seq_q;             // of the packet being received
  logic [HW-1:0] hdr_words_q;
  logic          overflow_q;            // the packet being received has no buffer

  logic          take, end_pkt, crc_good, len_good, good, keep, in_seq, behind;
  logic [SQ-1:0] seq, ahead;
  logic [BW:0]   kept;
  logic [3:0]    credits_q;             // credits owed, given one a cycle
  logic          free_drop, free_read;

  // Sending out.
  logic          busy_q, rd_valid_q, last_q;
  logic [WW-1:0] rd_word_q;
  logic [63:0]   out_q;
  logic          rd_en, word_out;

  assign rx_ready_o = 1'b1;
  assign take     = rx_valid_i;
  assign kept     = wr_q - rd_q;
  assign end_pkt  = take && rx_last_i;
  crc32_64 u_crc (.valid_i(take), .crc_i(in_word_q == '0 ? 32'hFFFFFFFF : crc_q), .data_i(rx_data_i), .crc_o(crc_next));
  assign crc_good = rx_data_i == {32'd0, ~crc_q};
  assign len_good = in_word_q >= (WW + 1)'(2) &&
                    hdr_words_q == HW'(in_word_q - 1'b1);
  assign good     = end_pkt && crc_good && len_good && !overflow_q;
  assign seq      = hdr_seq_q;
  assign ahead    = seq - expected_q;
  assign in_seq   = ahead == '0;
  assign behind   = ahead >= SQ'(nmtwin_pkg::NET_LINK_SEQ_HALF);
  assign keep     = good && in_seq;
  assign free_drop = end_pkt && !keep;

  assign received_o  = keep;
  assign crc_error_o = end_pkt && !good;

  // Out: read-ahead from the oldest kept buffer.
  assign word_out   = rd_valid_q && pkt_ready_i;
  assign rd_en      = busy_q && rd_word_q <= len_q[rd_q[BW-1:0]] && (!rd_valid_q || word_out);
  assign free_read  = word_out && last_q;
  assign pkt_valid_o = rd_valid_q;
  assign pkt_data_o  = out_q;
  assign pkt_last_o  = last_q;
  assign credit_o    = credits_q != '0;
  assign idle_o      = kept == '0 && in_word_q == '0 && credits_q == '0 && !ctl_valid_o;

  always_ff @(posedge clk_i) begin
    if (take && !overflow_q && !(in_word_q == '0 && kept == (BW + 1)'(CREDITS)) && in_word_q < (WW + 1)'(63))
      mem_q[{wr_q[BW-1:0], in_word_q[WW-1:0]}] <= rx_data_i;
    if (keep) len_q[wr_q[BW-1:0]] <= WW'(in_word_q - 1'b1);
    if (rd_en) out_q <= mem_q[{rd_q[BW-1:0], rd_word_q}];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_q <= '0;
      rd_q <= '0;
      expected_q <= '0;
      gap_naked_q <= 1'b0;
      in_word_q <= '0;
      crc_q <= '0;
      hdr_seq_q <= '0;
      hdr_words_q <= '0;
      overflow_q <= 1'b0;
      credits_q <= '0;
      ctl_valid_o <= 1'b0;
      ctl_nak_o <= 1'b0;
      ctl_seq_o <= '0;
      busy_q <= 1'b0;
      rd_valid_q <= 1'b0;
      last_q <= 1'b0;
      rd_word_q <= '0;
    end else begin
      // Receive.
      ctl_valid_o <= 1'b0;
      if (take) begin
        crc_q <= crc_next;
        if (in_word_q == '0) begin
          hdr_seq_q   <= rx_data_i[nmtwin_pkg::NET_HEADER_SEQ_LSB +: SQ];
          hdr_words_q <= rx_data_i[nmtwin_pkg::NET_HEADER_WORDS_LSB +: HW];
          overflow_q <= kept == (BW + 1)'(CREDITS);
        end
        in_word_q <= rx_last_i ? '0 : in_word_q == '1 ? in_word_q : in_word_q + 1'b1;
      end
      if (end_pkt) begin
        overflow_q <= 1'b0;
        if (keep) begin
          wr_q        <= wr_q + 1'b1;
          expected_q  <= expected_q + 1'b1;
          gap_naked_q <= 1'b0;
          ctl_valid_o <= 1'b1;
          ctl_nak_o   <= 1'b0;
          ctl_seq_o   <= seq;
        end else if (good && behind) begin
          ctl_valid_o <= 1'b1;
          ctl_nak_o   <= 1'b0;
          ctl_seq_o   <= expected_q - 1'b1;
        end else if (!gap_naked_q || !good) begin
          // A bad packet is NAKed every time (it may be the one resent after a NAK);
          // a gap only once, however many packets follow the lost one.
          ctl_valid_o <= 1'b1;
          ctl_nak_o   <= 1'b1;
          ctl_seq_o   <= expected_q;
          gap_naked_q <= 1'b1;
        end
      end
      credits_q <= credits_q + 4'(free_drop) + 4'(free_read) - 4'(credits_q != '0);
      // Send out.
      if (!busy_q && rd_q != wr_q) begin
        busy_q    <= 1'b1;
        rd_word_q <= '0;
      end
      if (rd_en) begin
        rd_valid_q <= 1'b1;
        last_q     <= rd_word_q == len_q[rd_q[BW-1:0]];
        rd_word_q  <= rd_word_q + 1'b1;
      end else if (word_out) begin
        rd_valid_q <= 1'b0;
      end
      if (free_read) begin
        busy_q <= 1'b0;
        rd_q   <= rd_q + 1'b1;
        last_q <= 1'b0;
      end
    end
  end
endmodule
