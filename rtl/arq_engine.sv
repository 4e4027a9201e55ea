// ARQ engine: reliable, in-order transport between the host's UDP datagrams
// (spec [arq], docs/protocol.md) and the core's instruction / response words.
//
// Receive.  Datagrams stream in on a 64-bit AXI-Stream, byte lane 0 first on
// the wire.  Only the frame expected next (SEQ = rx_next) is stored: its
// payload words, which straddle beats behind the 12-byte header, are
// realigned into the frame's slot of the receive buffer while it streams in,
// and committed when the whole datagram proved well-formed.  Out-of-order and
// repeated frames are not stored (the host retransmits): they are counted as
// duplicates and answered by an immediate ACK.  Committed frames drain into
// the executor one word a cycle; a frame is delivered, and acknowledged, once
// its last word was taken.  The buffer holds a window of maximal frames, so a
// stalled executor throttles the host through the window alone.
//
// Transmit.  Response words are packed into the slot of the next sequence
// number; a frame closes at MAX_PAYLOAD words or after FLUSH_CYCLES cycles
// without a new word.  Closed frames are sent in order while the window
// allows; every sent frame carries the cumulative ACK.  Each send puts
// (seq, time) into a timer queue; the retransmission timeout is fixed, so the
// queue is in deadline order and its head is the next timer to fire.  Entries
// of frames acknowledged meanwhile are dropped when they reach the head.
// Without a frame to carry it, an ACK goes alone DELAYED_ACK_CYCLES after the
// delivery it reports.
//
// Reset.  The magic word on the reset port clears every ARQ state once the
// datagram being sent is complete, then the CFG frame answers.
//
// WINDOW and SEQ_SPACE are powers of two with WINDOW <= SEQ_SPACE / 2.
module arq_engine #(
  parameter int WINDOW             = nmtwin_pkg::ARQ_WINDOW,
  parameter int SEQ_SPACE          = nmtwin_pkg::ARQ_SEQ_SPACE,
  parameter int MAX_PAYLOAD        = nmtwin_pkg::ARQ_MAX_PAYLOAD_WORDS,
  parameter int RETRANSMIT_CYCLES  = nmtwin_pkg::ARQ_RETRANSMIT_CYCLES,
  parameter int DELAYED_ACK_CYCLES = nmtwin_pkg::ARQ_DELAYED_ACK_CYCLES,
  parameter int FLUSH_CYCLES       = nmtwin_pkg::ARQ_FLUSH_CYCLES
) (
  input  logic        clk_i,
  input  logic        rst_ni,
`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  // Simulation only (nmtwin_top, docs/rtl.md "Warp"): extra idle cycles this edge
  // stands for, and how many cycles from this one change nothing but counters.
  input  logic [31:0] warp_i,
  output logic [31:0] horizon_o,
  // Simulation only (nmtwin_top, docs/rtl.md "Gating"): the clock of every register
  // but the counters now_q, quiet_q and dack_q.
  input  logic        busy_clk_i,
  // Simulation only (docs/protocol.md "Time in a simulated FPGA"): when non-zero and
  // below DELAYED_ACK_CYCLES, the delayed ACK's delay in cycles; 0: DELAYED_ACK_CYCLES.
  input  logic [31:0] ack_delay_i,
  /*verilator tracing_on*/
`endif
  // UDP payload from the host; rx_port_i (1 = reset port) is valid with the first beat.
  input  logic        rx_tvalid_i,
  input  logic [63:0] rx_tdata_i,
  input  logic [7:0]  rx_tkeep_i,
  input  logic        rx_tlast_i,
  input  logic        rx_port_i,
  output logic        rx_tready_o,
  // UDP payload to the host's data port.
  output logic        tx_tvalid_o,
  output logic [63:0] tx_tdata_o,
  output logic [7:0]  tx_tkeep_o,
  output logic        tx_tlast_o,
  input  logic        tx_tready_i,
  // Instruction words to the executor, response words from the core.
  output logic        instr_valid_o,
  output logic [63:0] instr_data_o,
  input  logic        instr_ready_i,
  input  logic        resp_valid_i,
  input  logic [63:0] resp_data_i,
  output logic        resp_ready_o,
  // A reset clears the ARQ state in this cycle: the executor drops its program too.
  output logic        clear_o,
  // Nothing to deliver, send or time out (see docs/rtl.md).
  output logic        idle_o,
  // One pulse per event, bit i for FPGA register 0x20 + i in spec order: rx_frames,
  // tx_frames, retransmits, duplicates, drop_short, drop_length, drop_ptype,
  // drop_window, resets, drop_reset.
  output logic [nmtwin_pkg::COUNT32_ARQ_ENGINE_N-1:0] ev_o
);
  localparam int SW = $clog2(SEQ_SPACE);              // sequence numbers, mod SEQ_SPACE
  localparam int WW = $clog2(WINDOW);                 // slot = seq mod WINDOW
  localparam int LW = $clog2(MAX_PAYLOAD + 1);        // words in a frame
  localparam int JW = $clog2(MAX_PAYLOAD + 2);        // beat index inside a frame
  localparam int AW = $clog2(WINDOW * MAX_PAYLOAD);   // buffer address
  localparam int BW = $clog2(MAX_PAYLOAD + 4);        // beats of a datagram, saturating
  localparam int DW = $clog2(DELAYED_ACK_CYCLES + 1);
  localparam int QW = $clog2(FLUSH_CYCLES + 1);
  localparam int TQ_DEPTH = 2 * WINDOW;               // bound on timer entries, see docs/rtl.md
  localparam int TQW = $clog2(TQ_DEPTH + 1);
  localparam logic [BW-1:0] BEATS_SAT = BW'(MAX_PAYLOAD + 3);
  localparam logic [SW:0]   WIN = (SW + 1)'(WINDOW);

  // CFG payload: word 0, then the version string packed big-endian, zero-padded.
  localparam int VB = nmtwin_pkg::ARQ_VERSION_BYTES;
  localparam int CFG_WORDS = 1 + (VB + 7) / 8;
  localparam int VPW = 64 * (CFG_WORDS - 1);
  localparam logic [64*CFG_WORDS-1:0] CFG_PAYLOAD = {
    16'(WINDOW), 16'(SEQ_SPACE), 16'(MAX_PAYLOAD), 16'(VB),
    VPW'(nmtwin_pkg::ARQ_VERSION_STRING) << (VPW - 8 * VB)
  };

  function automatic logic [31:0] bswap32(logic [31:0] x);
    bswap32 = {x[7:0], x[15:8], x[23:16], x[31:24]};
  endfunction
  function automatic logic [AW-1:0] slot_base(logic [WW-1:0] slot);
    slot_base = AW'(slot) * AW'(MAX_PAYLOAD);
  endfunction
  function automatic logic [63:0] cfg_word(logic [JW-1:0] i);
    cfg_word = '0;
    for (int k = 0; k < CFG_WORDS; k++) if (i == JW'(k)) cfg_word = CFG_PAYLOAD[64*(CFG_WORDS-1-k) +: 64];
  endfunction
  function automatic logic [3:0] keep_bytes(logic [7:0] keep);
    keep_bytes = '0;
    for (int k = 0; k < 8; k++) keep_bytes = keep_bytes + 4'(keep[k]);
  endfunction

  // The clock of every register but the counters now_q, quiet_q and dack_q: a
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

  // Shared state.
  logic [31:0]   now_q;                       // cycle counter for the timers
  logic          reset_req_q, cfg_pend_q, clear;
  logic [SW-1:0] rx_next_q;                   // next frame to accept
  logic [SW-1:0] rx_ack;                      // first frame not yet delivered: the ACK we send
  logic [SW-1:0] tx_base_q, tx_next_q;        // oldest unacknowledged / next new frame to send
  logic [SW-1:0] pack_seq_q;                  // frame being packed
  logic [SW-1:0] ack_sent_q;                  // ACK carried by the last datagram sent
  logic          dup_req_q;                   // a duplicate asks for an immediate ACK
  logic          ev_rx_frame, ev_tx_frame, ev_retransmit, ev_duplicate, ev_drop_short, ev_drop_length;
  logic          ev_drop_ptype, ev_drop_window, ev_reset, ev_drop_reset;

  // Serializer state and choice (transmit), declared here for earlier users.
  logic          busy_q, cur_cfg_q;
  logic [WW-1:0] cur_slot_q;
  logic [SW-1:0] sel_seq;

  // ===================================================================== receive
  logic          end_q;                       // the previous beat was the datagram's last
  logic [BW-1:0] beats_q;                     // beats taken so far
  logic          port_q, bad_keep_q, deliver_q, in_win_q, old_q, in_order_q;
  logic [31:0]   ack_f_q, seq_f_q, hold_rx_q;
  logic [15:0]   ptype_q, len_q;
  logic [3:0]    last_bytes_q;
  logic [LW-1:0] wi_q;                        // payload words stored
  logic [SW-1:0] seq_d, occupied;
  logic [31:0]   hdr1;                        // PTYPE, LEN when this is the second beat
  logic          rx_beat, keep_ok, rx_wr, seq_hi_zero;
  logic [63:0]   rx_mem [WINDOW*MAX_PAYLOAD];
  logic [LW-1:0] rx_len [WINDOW];

  assign rx_tready_o = !end_q && !reset_req_q;
  assign rx_beat     = rx_tvalid_i && rx_tready_o;
  // An empty datagram is a single last beat without a valid byte (counted as short).
  assign keep_ok     = rx_tlast_i ? (rx_tkeep_i != '0 || beats_q == '0) && (rx_tkeep_i & (rx_tkeep_i + 8'd1)) == '0
                                  : rx_tkeep_i == 8'hFF;
  // Window position of the datagram's SEQ, judged when its second beat arrives.
  assign seq_d    = seq_f_q[SW-1:0] - rx_next_q;
  assign occupied = rx_next_q - rx_ack;
  assign hdr1        = bswap32(rx_tdata_i[31:0]);
  assign seq_hi_zero = seq_f_q[31:SW] == '0;
  assign rx_wr    = rx_beat && beats_q >= BW'(2) && deliver_q && 16'(wi_q) < len_q;

  always_ff @(posedge bclk) begin
    if (rx_wr) rx_mem[slot_base(rx_next_q[WW-1:0]) + AW'(wi_q)] <= {bswap32(hold_rx_q), bswap32(rx_tdata_i[31:0])};
  end

  always_ff @(posedge bclk) begin
    if (!rst_ni) begin
      end_q <= 1'b0;
      beats_q <= '0;
      port_q <= 1'b0;
      bad_keep_q <= 1'b0;
      deliver_q <= 1'b0;
      in_win_q <= 1'b0;
      old_q <= 1'b0;
      in_order_q <= 1'b0;
      ack_f_q <= '0;
      seq_f_q <= '0;
      hold_rx_q <= '0;
      ptype_q <= '0;
      len_q <= '0;
      last_bytes_q <= '0;
      wi_q <= '0;
    end else if (end_q) begin
      end_q <= 1'b0;
      beats_q <= '0;
      bad_keep_q <= 1'b0;
      deliver_q <= 1'b0;
      wi_q <= '0;
    end else if (rx_beat) begin
      if (beats_q != BEATS_SAT) beats_q <= beats_q + 1'b1;
      hold_rx_q <= rx_tdata_i[63:32];
      if (!keep_ok) bad_keep_q <= 1'b1;
      if (beats_q == '0) begin
        port_q  <= rx_port_i;
        ack_f_q <= bswap32(rx_tdata_i[31:0]);
        seq_f_q <= bswap32(rx_tdata_i[63:32]);
      end
      if (beats_q == BW'(1)) begin
        ptype_q    <= hdr1[31:16];
        len_q      <= hdr1[15:0];
        in_win_q   <= seq_hi_zero && {1'b0, seq_d} < WIN - {1'b0, occupied};
        old_q      <= seq_hi_zero && {1'b0, seq_d} >= (SW + 1)'(SEQ_SPACE - WINDOW);
        in_order_q <= seq_hi_zero && seq_d == '0 && {1'b0, occupied} < WIN;
        deliver_q  <= !port_q && seq_hi_zero && seq_d == '0 && {1'b0, occupied} < WIN &&
                      hdr1[31:16] == nmtwin_pkg::ARQ_PTYPE_STREAM && hdr1[15:0] <= 16'(MAX_PAYLOAD);
      end
      if (rx_wr) wi_q <= wi_q + 1'b1;
      if (rx_tlast_i) begin
        end_q        <= 1'b1;
        last_bytes_q <= keep_bytes(rx_tkeep_i);
      end
    end
  end

  // ---- classification in the cycle after the last beat
  logic          ack_only, too_short, len_bad, ack_new, ack_ok, reset_ok;
  logic          good_frame, good_ack_only;
  logic [SW-1:0] ack_v, ack_dist, ack_age, outstanding;

  assign ack_only  = beats_q == BW'(1) && last_bytes_q == 4'd4;
  assign too_short = !ack_only && (beats_q == BW'(1) || (beats_q == BW'(2) && last_bytes_q < 4'd4));
  assign len_bad   = len_q > 16'(MAX_PAYLOAD) || 17'(beats_q) != 17'(len_q) + 17'd2 || last_bytes_q != 4'd4;
  assign reset_ok  = !bad_keep_q && ack_only && ack_f_q == nmtwin_pkg::ARQ_RESET_MAGIC;
  // ACK: new if it lies within the frames sent, old (ignored) if at most a window behind.
  assign ack_v       = ack_f_q[SW-1:0];
  assign ack_dist    = ack_v - tx_base_q;
  assign outstanding = tx_next_q - tx_base_q;
  assign ack_new     = ack_f_q[31:SW] == '0 && ack_dist <= outstanding;
  assign ack_age     = tx_base_q - ack_v;
  assign ack_ok      = ack_new || (ack_f_q[31:SW] == '0 && {1'b0, ack_age} <= WIN);

  // The first check that fails names the counter.
  always_comb begin
    ev_duplicate   = 1'b0;
    ev_drop_short  = 1'b0;
    ev_drop_length = 1'b0;
    ev_drop_ptype  = 1'b0;
    ev_drop_window = 1'b0;
    ev_reset       = 1'b0;
    ev_drop_reset  = 1'b0;
    good_frame     = 1'b0;
    good_ack_only  = 1'b0;
    if (!end_q) begin
      // No datagram ends in this cycle.
    end else if (port_q) begin
      ev_reset      = reset_ok;
      ev_drop_reset = !reset_ok;
    end else if (bad_keep_q) begin
      ev_drop_length = 1'b1;
    end else if (ack_only) begin
      good_ack_only  = ack_ok;
      ev_drop_window = !ack_ok;
    end else if (too_short) begin
      ev_drop_short = 1'b1;
    end else if (len_bad) begin
      ev_drop_length = 1'b1;
    end else if (ptype_q != nmtwin_pkg::ARQ_PTYPE_STREAM) begin
      ev_drop_ptype = 1'b1;
    end else if (!(in_win_q || old_q) || !ack_ok) begin
      ev_drop_window = 1'b1;
    end else begin
      good_frame   = 1'b1;
      ev_duplicate = !in_order_q;
    end
  end
  assign ev_rx_frame = good_frame || good_ack_only;

  // ---- drain: committed frames [rd_seq, rx_next) to the executor
  logic [SW-1:0] rd_seq_q, out_seq_q;
  logic [LW-1:0] rd_idx_q, rd_len;
  logic          have, drain_adv, rd_word;

  assign rd_len    = rx_len[rd_seq_q[WW-1:0]];
  assign have      = rd_seq_q != rx_next_q;
  assign drain_adv = !instr_valid_o || instr_ready_i;
  assign rd_word   = drain_adv && have && rd_len != '0;
  assign rx_ack    = instr_valid_o ? out_seq_q : rd_seq_q;

  always_ff @(posedge bclk) begin
    if (good_frame && in_order_q) rx_len[rx_next_q[WW-1:0]] <= LW'(len_q);
    if (rd_word) instr_data_o <= rx_mem[slot_base(rd_seq_q[WW-1:0]) + AW'(rd_idx_q)];
  end

  always_ff @(posedge bclk) begin
    if (!rst_ni || clear) begin
      rx_next_q     <= '0;
      rd_seq_q      <= '0;
      rd_idx_q      <= '0;
      out_seq_q     <= '0;
      instr_valid_o <= 1'b0;
    end else begin
      if (good_frame && in_order_q) rx_next_q <= rx_next_q + 1'b1;
      if (drain_adv) begin
        instr_valid_o <= rd_word;
        out_seq_q     <= rd_seq_q;
        // A frame's read pointer moves on with its last word; empty frames are skipped.
        if (have && rd_idx_q + 1'b1 >= rd_len) begin
          rd_seq_q <= rd_seq_q + 1'b1;
          rd_idx_q <= '0;
        end else if (rd_word) begin
          rd_idx_q <= rd_idx_q + 1'b1;
        end
      end
    end
  end

  // ===================================================================== transmit
  // ---- packing response words into frames
  logic [LW-1:0] pack_cnt_q;
  logic [QW-1:0] quiet_q;
  logic          resp_take, close_full, close_quiet;
  logic [SW-1:0] in_use;
  logic [63:0]   tx_mem [WINDOW*MAX_PAYLOAD];
  logic [LW-1:0] tx_len [WINDOW];

  // A slot is free while the window allows it and the serializer is not still
  // reading the acknowledged frame that used it before.
  assign in_use       = pack_seq_q - tx_base_q;
  assign resp_ready_o = {1'b0, in_use} < WIN && !reset_req_q &&
                        !(busy_q && !cur_cfg_q && pack_seq_q[WW-1:0] == cur_slot_q);
  assign resp_take    = resp_valid_i && resp_ready_o;
  assign close_full   = resp_take && pack_cnt_q == LW'(MAX_PAYLOAD - 1);
  assign close_quiet  = !resp_take && pack_cnt_q != '0 && quiet_q == QW'(FLUSH_CYCLES - 1);

  always_ff @(posedge bclk) begin
    if (resp_take) tx_mem[slot_base(pack_seq_q[WW-1:0]) + AW'(pack_cnt_q)] <= resp_data_i;
    if (close_full || close_quiet) tx_len[pack_seq_q[WW-1:0]] <= close_full ? LW'(MAX_PAYLOAD) : pack_cnt_q;
  end

  always_ff @(posedge bclk) begin
    if (!rst_ni || clear) begin
      pack_seq_q <= '0;
      pack_cnt_q <= '0;
    end else if (close_full || close_quiet) begin
      pack_seq_q <= pack_seq_q + 1'b1;
      pack_cnt_q <= '0;
    end else if (resp_take) begin
      pack_cnt_q <= pack_cnt_q + 1'b1;
    end
  end

  // Counts the cycles without a response while a frame is being packed (ungated clock).
  always_ff @(posedge clk_i) begin
    if (!rst_ni || clear || close_full || close_quiet || resp_take) quiet_q <= '0;
`ifdef SYNTHESIS
    else if (pack_cnt_q != '0) quiet_q <= quiet_q + 1'b1;
`else
    else if (pack_cnt_q != '0) quiet_q <= quiet_q + QW'(warp_i) + 1'b1;
`endif
  end

  // ---- retransmission timers: (seq, send time) in deadline order
  logic [31:0]     slot_time [WINDOW];
  logic            tq_head_valid, tq_push, tq_pop, head_live, head_due;
  logic [SW+31:0]  tq_head;
  logic [SW-1:0]   head_seq;
  logic [31:0]     head_time;
  logic [TQW-1:0]  tq_count;

  // In-ready is not needed: new frames stop one entry short of full (below),
  // so the push of a retransmission, which pops at the same time, always fits.
  /* verilator lint_off PINCONNECTEMPTY */
  sync_fifo #(.WIDTH(SW + 32), .DEPTH(TQ_DEPTH)) u_timers (
    .clk_i(bclk), .rst_ni(rst_ni && !clear),
    .in_valid_i(tq_push), .in_data_i({sel_seq, now_q}), .in_ready_o(),
    .out_valid_o(tq_head_valid), .out_data_o(tq_head), .out_ready_i(tq_pop),
    .count_o(tq_count)
  );
  /* verilator lint_on PINCONNECTEMPTY */
  assign head_seq  = tq_head[SW+31:32];
  assign head_time = tq_head[31:0];
  // Live: the frame is still unacknowledged and this is its latest send.
  assign head_live = tq_head_valid && head_seq - tx_base_q < outstanding &&
                     slot_time[head_seq[WW-1:0]] == head_time;
  assign head_due  = now_q - head_time >= 32'(RETRANSMIT_CYCLES);

  // ---- delayed ACK
  logic [DW-1:0] dack_q, dack_limit;
  logic          ack_pend, ack_due;
  logic [SW-1:0] unacked;
`ifdef SYNTHESIS
  assign dack_limit = DW'(DELAYED_ACK_CYCLES);
`else
  // Registered: logic that reads an input directly is evaluated on every evaluation of
  // the Verilated model, logic that reads a register only when it changes (+55 host
  // instructions an idle cycle with the input read directly, callgrind).  The input is
  // constant for a run; its value is taken on every busy edge, reset included.
  logic [DW-1:0] dack_limit_q;
  always_ff @(posedge bclk)
    dack_limit_q <= ack_delay_i != '0 && ack_delay_i < 32'(DELAYED_ACK_CYCLES) ? DW'(ack_delay_i)
                                                                             : DW'(DELAYED_ACK_CYCLES);
  assign dack_limit = dack_limit_q;
`endif
  assign unacked  = rx_ack - ack_sent_q;
  assign ack_pend = unacked != '0;
  // Due at once for a duplicate or half a window of deliveries (the host must
  // not stall on its window), else DELAYED_ACK_CYCLES after the first delivery.
  assign ack_due  = dup_req_q || {1'b0, unacked} >= WIN / 2 ||
                    (ack_pend && dack_q >= dack_limit);

  // ---- choosing the next datagram: CFG, retransmission, new frame, standalone ACK
  logic          tx_adv, can_start, start_cfg, start_rtx, start_new, start_ack, start_frame, start_any;
  logic [LW-1:0] sel_len;

  assign tx_adv      = !tx_tvalid_o || tx_tready_i;
  assign can_start   = tx_adv && !busy_q && !reset_req_q;
  assign start_cfg   = can_start && cfg_pend_q;
  assign start_rtx   = can_start && !cfg_pend_q && head_live && head_due;
  assign start_new   = can_start && !cfg_pend_q && !start_rtx && tx_next_q != pack_seq_q &&
                       tq_count < TQW'(TQ_DEPTH - 1);
  assign start_ack   = can_start && !cfg_pend_q && !start_rtx && !start_new && ack_due;
  assign start_frame = start_rtx || start_new;
  assign start_any   = start_cfg || start_frame || start_ack;
  assign sel_seq     = start_rtx ? head_seq : tx_next_q;
  assign sel_len     = start_cfg ? LW'(CFG_WORDS) : tx_len[sel_seq[WW-1:0]];
  assign tq_push     = start_frame;
  assign tq_pop      = start_rtx || (tq_head_valid && !head_live);

  always_ff @(posedge bclk) begin
    if (start_frame) slot_time[sel_seq[WW-1:0]] <= now_q;
  end

  // ---- serializer: beat 0 = ACK, SEQ; beat 1 = PTYPE, LEN, word 0 high half;
  // beat j = word j-2 low half, word j-1 high half; beat LEN+1 = last low half.
  logic [LW-1:0] cur_len_q;
  logic [JW-1:0] beat_q;
  logic [AW-1:0] cur_base_q;
  logic [63:0]   txr_q, cfgr_q, word_cur;
  logic [31:0]   hold_tx_q;                   // low half of the word before word_cur
  logic          rd_tx;
  logic [JW-1:0] rd_tx_idx;
  logic [31:0]   lo_half, hi_half;

  assign word_cur  = cur_cfg_q ? cfgr_q : txr_q;
  assign rd_tx_idx = start_any ? '0 : beat_q;
  assign rd_tx     = start_frame || start_cfg || (busy_q && tx_adv && beat_q < JW'(cur_len_q));
  always_comb begin
    lo_half = beat_q == JW'(1) ? {cur_cfg_q ? nmtwin_pkg::ARQ_PTYPE_CFG : nmtwin_pkg::ARQ_PTYPE_STREAM,
                                  16'(cur_len_q)}
                               : hold_tx_q;
    hi_half = beat_q <= JW'(cur_len_q) ? word_cur[63:32] : 32'd0;
  end

  always_ff @(posedge bclk) begin
    if (rd_tx) txr_q <= tx_mem[(start_any ? slot_base(sel_seq[WW-1:0]) : cur_base_q) + AW'(rd_tx_idx)];
  end

  always_ff @(posedge bclk) begin
    if (!rst_ni) begin
      tx_tvalid_o <= 1'b0;
      tx_tdata_o  <= '0;
      tx_tkeep_o  <= '0;
      tx_tlast_o  <= 1'b0;
      busy_q      <= 1'b0;
      cur_cfg_q   <= 1'b0;
      cur_slot_q  <= '0;
      cur_len_q   <= '0;
      cur_base_q  <= '0;
      beat_q      <= '0;
      cfgr_q      <= '0;
      hold_tx_q   <= '0;
    end else if (tx_adv) begin
      tx_tvalid_o <= start_any || busy_q;
      if (rd_tx) cfgr_q <= cfg_word(rd_tx_idx);
      if (start_any) begin
        tx_tdata_o <= {start_ack ? 32'd0 : bswap32(start_cfg ? nmtwin_pkg::ARQ_UNSEQUENCED : 32'(sel_seq)),
                       bswap32(32'(rx_ack))};
        tx_tkeep_o <= start_ack ? 8'h0F : 8'hFF;
        tx_tlast_o <= start_ack;
        busy_q     <= !start_ack;
        cur_cfg_q  <= start_cfg;
        cur_slot_q <= sel_seq[WW-1:0];
        cur_len_q  <= sel_len;
        cur_base_q <= slot_base(sel_seq[WW-1:0]);
        beat_q     <= JW'(1);
      end else if (busy_q) begin
        tx_tdata_o <= {bswap32(hi_half), bswap32(lo_half)};
        tx_tkeep_o <= beat_q <= JW'(cur_len_q) ? 8'hFF : 8'h0F;
        tx_tlast_o <= beat_q == JW'(cur_len_q) + 1'b1;
        busy_q     <= beat_q != JW'(cur_len_q) + 1'b1;
        hold_tx_q  <= word_cur[31:0];
        beat_q     <= beat_q + 1'b1;
      end
    end
  end

  assign ev_tx_frame   = start_any;
  assign ev_retransmit = start_rtx;

  // ===================================================================== shared state
  // A reset waits for the datagram being sent to complete, then clears.
  assign clear = reset_req_q && !busy_q;
  assign clear_o = clear;

  // The timers' cycle counter (ungated clock).
  always_ff @(posedge clk_i) begin
    if (!rst_ni) now_q <= '0;
`ifdef SYNTHESIS
    else now_q <= now_q + 1'b1;
`else
    else now_q <= now_q + warp_i + 1'b1;
`endif
  end

  always_ff @(posedge bclk) begin
    if (!rst_ni) begin
      reset_req_q <= 1'b0;
      cfg_pend_q  <= 1'b0;
    end else begin
      if (ev_reset) reset_req_q <= 1'b1;
      else if (clear) reset_req_q <= 1'b0;
      if (clear) cfg_pend_q <= 1'b1;
      else if (start_cfg) cfg_pend_q <= 1'b0;
    end
  end

  always_ff @(posedge bclk) begin
    if (!rst_ni || clear) begin
      tx_base_q  <= '0;
      tx_next_q  <= '0;
      ack_sent_q <= '0;
      dup_req_q  <= 1'b0;
    end else begin
      if ((good_frame || good_ack_only) && ack_new) tx_base_q <= ack_v;
      if (start_new) tx_next_q <= tx_next_q + 1'b1;
      if (start_any) ack_sent_q <= rx_ack;
      if (ev_duplicate) dup_req_q <= 1'b1;
      else if (start_any) dup_req_q <= 1'b0;
    end
  end

  // Counts the cycles an ACK has been owed (ungated clock).
  always_ff @(posedge clk_i) begin
    if (!rst_ni || clear || start_any || !ack_pend) dack_q <= '0;
`ifdef SYNTHESIS
    else if (dack_q < dack_limit) dack_q <= dack_q + 1'b1;
`else
    else if (dack_q < dack_limit) dack_q <= dack_q + DW'(warp_i) + 1'b1;
`endif
  end

  assign ev_o = {ev_drop_reset, ev_reset, ev_drop_window, ev_drop_ptype, ev_drop_length, ev_drop_short,
                 ev_duplicate, ev_retransmit, ev_tx_frame, ev_rx_frame};
  // No datagram being received, sent or waiting to be sent.
  logic no_datagram;
  assign no_datagram = beats_q == '0 && !end_q && !reset_req_q && !cfg_pend_q && pack_seq_q == tx_next_q &&
                       !busy_q && !tx_tvalid_o;
  assign idle_o = no_datagram && !have && !instr_valid_o && pack_cnt_q == '0 && tx_base_q == tx_next_q &&
                  !ack_pend && !dup_req_q;

`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  // Nothing being received or sent, no closed frame waiting to be sent, and nothing to
  // drain or the executor not ready (nmtwin_core's horizon keeps it so): then only
  // now_q counts, and dack_q while an ACK is owed, and quiet_q while a frame is being
  // packed.  The ACK goes when dack_q reaches dack_limit, the frame closes when
  // quiet_q reaches FLUSH_CYCLES - 1, the oldest unacknowledged frame is sent again
  // when its timer (the live head of the timer queue) is due; the cycles before only
  // count.  A head that is not live pops at once.
  logic          counting_only;
  logic [DW-1:0] dack_left;
  logic [QW-1:0] quiet_left;
  logic [31:0]   ack_left, flush_left, rtx_left, horizon;
  assign counting_only = no_datagram && (instr_valid_o ? !instr_ready_i : !have) &&
                         (!tq_head_valid || (head_live && !head_due)) && !ack_due;
  // (Computed inside the branch: a model evaluates it only while the engine only counts.)
  always_comb begin
    dack_left  = '0;
    quiet_left = '0;
    ack_left   = '1;
    flush_left = '1;
    rtx_left   = '1;
    horizon    = '0;
    if (counting_only) begin
      dack_left  = dack_limit - dack_q;
      quiet_left = QW'(FLUSH_CYCLES - 1) - quiet_q;
      if (ack_pend) ack_left = 32'(dack_left);
      if (pack_cnt_q != '0) flush_left = 32'(quiet_left);
      if (tq_head_valid) rtx_left = 32'(RETRANSMIT_CYCLES) - (now_q - head_time);
      horizon = ack_left < flush_left ? ack_left : flush_left;
      if (rtx_left < horizon) horizon = rtx_left;
    end
  end
  assign horizon_o = horizon;
  /*verilator tracing_on*/
`endif
endmodule
