// Accumulation buckets (docs/multichip.md): 8 buckets gather routed events for one
// destination each and send them as packets (header + events, no seq, no CRC:
// link_tx adds those).
//
// An event entering bucket b on cycle t is stamped with the deadline
// (systime[15:0] + bucket_delay[b]) mod 2^16.  A bucket flushes
//   - when full: the event that makes BUCKET_EVENTS, on cycle t, flushes it on t;
//   - pulse_timeout P != 0: on cycle t + P if no event entered after the one of t;
//   - packet_timeout Q != 0: on cycle t0 + Q, t0 the cycle its first event entered.
// A bucket flushed on cycle X joins the send queue at the end of X; with the sender
// free, its header is on the output on cycle X + 2.  Buckets flushed on the same
// cycle queue in bucket order.  Each bucket has two banks: while one
// waits to be sent, the other collects.  When both are full (or waiting), the
// bucket stops taking events (back-pressure to the router): nothing is lost.
module event_buckets #(
  parameter int EVENTS = nmtwin_pkg::NET_BUCKET_EVENTS,
  localparam int DB = nmtwin_pkg::REG_BUCKET_DEST_BITS,     // bucket_dest: dest, multicast
  localparam int DL = nmtwin_pkg::REG_BUCKET_DELAY_BITS,
  localparam int TO = nmtwin_pkg::REG_BUCKET_TIMEOUT_BITS,  // bucket_timeout: packet, pulse
  localparam int NB = nmtwin_pkg::NET_BUCKETS,
  localparam int DLB = nmtwin_pkg::NET_DEADLINE_BITS,
  localparam int HW = nmtwin_pkg::NET_HEADER_WORDS_WIDTH,
  localparam int HE = nmtwin_pkg::NET_HEADER_EVENTS_WIDTH
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [DLB-1:0] systime_i,     // the low bits of systime
  input  logic [nmtwin_pkg::REG_NODE_ID_BITS-1:0] node_id_i,
  input  logic [NB*DB-1:0] dest_i,       // bucket_dest[b] at [DB*b +: DB]
  input  logic [NB*DL-1:0] delay_i,      // bucket_delay[b]
  input  logic [NB*TO-1:0] timeout_i,    // bucket_timeout[b]
  // Routed events.
  input  logic        evt_valid_i,
  output logic        evt_ready_o,
  input  logic [nmtwin_pkg::ROUTER_ENTRY_BUCKET_WIDTH-1:0] evt_bucket_i,
  input  logic        evt_split_i,
  input  logic [nmtwin_pkg::NET_EVENT_LABEL_WIDTH-1:0] evt_label_i,
  // Packets: header, then the payload words; last on the last payload word.
  output logic        pkt_valid_o,
  input  logic        pkt_ready_i,
  output logic [63:0] pkt_data_o,
  output logic        pkt_last_o,
  // Counter events.
  output logic [NB-1:0] packet_sent_o,   // bit b: a packet of bucket b left (its last word)
  output logic [NB*nmtwin_pkg::NET_SPLITS-1:0] event_in_o,  // bit 2b + s: an event of split s entered bucket b
  output logic        idle_o
);
  localparam int CW = $clog2(EVENTS + 1);
  localparam int IW = $clog2(EVENTS);

  // Event words of bucket b, bank k, slot i at [(2b + k) * EVENTS + i].
  logic [31:0]   mem_q [0:16*EVENTS-1];
  // Per bank {bucket, bank}: events, waiting in the send queue.
  // (Flat vectors: yosys 0.23 takes no multi-dimensional packed arrays.)
  logic [16*CW-1:0] count_q;            // bank {b, k} at [CW*{b, k} +: CW]
  logic [15:0]   queued_q;
  logic [7:0]    bank_q;                // per bucket: the bank that collects
  logic [63:0]   age_q, idle_q;         // per bucket b at [8b +: 8]: cycles since the first / last event

  // Send queue: {bucket, bank} of flushed banks, oldest first; entry i at [4i +: 4].
  logic [63:0]   queue_q;
  logic [4:0]    qhead_q, qtail_q;
  logic [4:0]    qcount;

  // Sender.
  logic          sending_q;
  logic [2:0]    s_bucket_q;
  logic          s_bank_q;
  logic [CW-1:0] s_count_q;
  logic [IW:0]   s_word_q;              // 0: header, k: payload word k
  logic [DB-1:0] s_dest_q;

  logic          take, full_now, done_word;
  logic [2:0]    b;
  logic          k;
  logic [7:0]    flush;
  logic [31:0]   ev_word, ev_lo, ev_hi;
  logic [IW:0]   s_words;
  logic [IW-1:0] ev_second;             // index of the second event of the payload word
  logic [DLB-1:0] deadline;

  assign b        = evt_bucket_i;
  assign k        = bank_q[b];
  assign qcount   = qtail_q - qhead_q;
  // The collecting bank must have room; a full one waits for its flush (same cycle).
  assign evt_ready_o = !queued_q[{b, k}] && count_q[CW*{b, k} +: CW] != CW'(EVENTS);
  assign take     = evt_valid_i && evt_ready_o;
  assign deadline = systime_i + DLB'(delay_i[DL*b +: DL]);
  assign ev_word  = {deadline, evt_split_i, 1'b0, evt_label_i};
  assign full_now = take && count_q[CW*{b, k} +: CW] == CW'(EVENTS - 1);

  // Flush decisions, one per bucket and cycle.
  always_comb begin
    logic [7:0] pulse, packet;
    logic [3:0] c;
    flush  = '0;
    pulse  = '0;
    packet = '0;
    c      = '0;
    // Nothing to flush while every bank is empty (the common idle case, cheap to simulate).
    if (count_q != '0) for (int i = 0; i < 8; i++) begin
      c = {3'(i), bank_q[i]};
      pulse  = timeout_i[TO*i + nmtwin_pkg::REG_BUCKET_TIMEOUT_PULSE_TIMEOUT_LSB +: 8];
      packet = timeout_i[TO*i + nmtwin_pkg::REG_BUCKET_TIMEOUT_PACKET_TIMEOUT_LSB +: 8];
      flush[i] = !queued_q[c] && count_q[CW*c +: CW] != '0 &&
                 ((pulse != '0 && idle_q[8*i +: 8] == pulse) || (packet != '0 && age_q[8*i +: 8] == packet));
      if (full_now && b == 3'(i)) flush[i] = 1'b1;
    end
  end

  // Sender: header, then two events a word from the bank at the queue head.
  assign s_words = (IW + 1)'((s_count_q + 1'b1) >> 1);
  // Payload word w (1, 2, ...) carries events 2w - 2 and 2w - 1.
  assign ev_second = IW'({s_word_q, 1'b0} - (IW + 2)'(1));
  assign ev_lo     = mem_q[{s_bucket_q, s_bank_q, ev_second[IW-1:1], 1'b0}];
  assign ev_hi     = {s_word_q, 1'b0} <= (IW + 2)'(s_count_q) ? mem_q[{s_bucket_q, s_bank_q, ev_second[IW-1:0]}] : '0;
  assign pkt_valid_o = sending_q;
  assign pkt_last_o  = s_word_q == s_words;
  always_comb begin
    pkt_data_o = '0;
    if (s_word_q == '0) begin
      pkt_data_o[nmtwin_pkg::NET_HEADER_DEST_LSB +: nmtwin_pkg::NET_HEADER_DEST_WIDTH] =
        s_dest_q[nmtwin_pkg::REG_BUCKET_DEST_DEST_LSB +: nmtwin_pkg::NET_HEADER_DEST_WIDTH];
      pkt_data_o[nmtwin_pkg::NET_HEADER_SOURCE_LSB +: nmtwin_pkg::NET_HEADER_SOURCE_WIDTH] = node_id_i;
      pkt_data_o[nmtwin_pkg::NET_HEADER_MULTICAST_LSB]      = s_dest_q[nmtwin_pkg::REG_BUCKET_DEST_MULTICAST_LSB];
      pkt_data_o[nmtwin_pkg::NET_HEADER_KIND_LSB +: nmtwin_pkg::NET_HEADER_KIND_WIDTH] = nmtwin_pkg::NET_KIND_SPIKES;
      pkt_data_o[nmtwin_pkg::NET_HEADER_WORDS_LSB +: HW]    = HW'(s_words);
      pkt_data_o[nmtwin_pkg::NET_HEADER_EVENTS_LSB +: HE]   = HE'(s_count_q);
    end else begin
      pkt_data_o = {ev_hi, ev_lo};
    end
  end
  assign done_word = sending_q && pkt_ready_i;

  always_comb begin
    packet_sent_o = '0;
    event_in_o    = '0;
    if (done_word && pkt_last_o) packet_sent_o[s_bucket_q] = 1'b1;
    if (take) event_in_o[{b, evt_split_i}] = 1'b1;
  end

  assign idle_o = !sending_q && qcount == '0 && !evt_valid_i;

  always_ff @(posedge clk_i) begin
    if (take) mem_q[{b, k, IW'(count_q[CW*{b, k} +: CW])}] <= ev_word;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      count_q   <= '0;
      queued_q  <= '0;
      age_q     <= '0;
      idle_q    <= '0;
      queue_q   <= '0;
      bank_q    <= '0;
      qhead_q   <= '0;
      qtail_q   <= '0;
      sending_q <= 1'b0;
      s_bucket_q <= '0;
      s_bank_q  <= 1'b0;
      s_count_q <= '0;
      s_word_q  <= '0;
      s_dest_q  <= '0;
    end else begin
      // Timers of the collecting banks: 1 on the cycle after an event, then counting;
      // a flush restarts them for the other bank.  They only matter while a bank holds
      // events; idle, they stand still (cheap to simulate).
      if (count_q != '0 || take) for (int i = 0; i < 8; i++) begin
        if (flush[i]) begin
          idle_q[8*i +: 8] <= '0;
          age_q[8*i +: 8]  <= '0;
        end else if (take && b == 3'(i)) begin
          idle_q[8*i +: 8] <= 8'd1;
          if (count_q[CW*{3'(i), bank_q[i]} +: CW] == '0) age_q[8*i +: 8] <= 8'd1;
          else if (age_q[8*i +: 8] != 8'hFF) age_q[8*i +: 8] <= age_q[8*i +: 8] + 1'b1;
        end else begin
          if (idle_q[8*i +: 8] != 8'hFF) idle_q[8*i +: 8] <= idle_q[8*i +: 8] + 1'b1;
          if (age_q[8*i +: 8] != 8'hFF) age_q[8*i +: 8] <= age_q[8*i +: 8] + 1'b1;
        end
      end
      if (take) count_q[CW*{b, k} +: CW] <= count_q[CW*{b, k} +: CW] + 1'b1;
      // Flushes: the collecting bank joins the queue, the other one collects.
      begin : g_enqueue
        logic [4:0] tail;
        tail = qtail_q;
        for (int i = 0; i < 8; i++) begin
          if (flush[i]) begin
            queue_q[4*tail[3:0] +: 4]               <= {3'(i), bank_q[i]};
            queued_q[{3'(i), bank_q[i]}]     <= 1'b1;
            bank_q[i]                        <= ~bank_q[i];
            tail = tail + 1'b1;
          end
        end
        qtail_q <= tail;
      end
      // Sender.
      if (!sending_q && qcount != '0) begin
        sending_q  <= 1'b1;
        s_bucket_q <= queue_q[4*qhead_q[3:0] + 1 +: 3];
        s_bank_q   <= queue_q[4*qhead_q[3:0]];
        s_count_q  <= count_q[CW*queue_q[4*qhead_q[3:0] +: 4] +: CW];
        s_dest_q   <= dest_i[DB*queue_q[4*qhead_q[3:0] + 1 +: 3] +: DB];
        s_word_q   <= '0;
        qhead_q    <= qhead_q + 1'b1;
      end else if (done_word) begin
        if (pkt_last_o) begin
          sending_q <= 1'b0;
          queued_q[{s_bucket_q, s_bank_q}] <= 1'b0;
          count_q[CW*{s_bucket_q, s_bank_q} +: CW]  <= '0;
        end else begin
          s_word_q <= s_word_q + 1'b1;
        end
      end
    end
  end
endmodule
