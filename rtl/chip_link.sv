// FPGA side of the chip link.
//
// Down (spec [chip_down]): an output register with one skid entry behind it,
// so the ready seen by the executor is a register, not the chip's ready of the
// same cycle.  Spikes and sync messages from the executor go ahead of
// configuration accesses, so their latency is fixed: a message accepted in
// cycle t is handed to the chip in cycle t + 1 while the chip is ready.  A spikes instruction with several labels sends
// them on consecutive cycles, label0 first; the executor is held off until the
// last one has left.  Configuration accesses wait in a FIFO with one entry per
// bus slot, so reg_bus can never overfill it.
//
// Up (spec [chip_up]): cfg_ack goes straight to reg_bus, which always accepts.
// spike_out passes one register stage and becomes a spike response whose
// systime is rebuilt from the 16-bit chip timestamp and the systime of the
// cycle the word arrived in.  sample passes its own register stage and becomes
// a sample response the same way (systime bits 34:0); it never waits: the
// response merger takes it or it is dropped and counted there, so samples
// cannot hold back register answers or spikes.  Unknown message types are
// dropped and reported on drop_o.
module chip_link (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_i,
  // Spikes and sync from the executor; one ready for both.
  input  logic                                spikes_valid_i,
  input  logic [1:0]                          spikes_count_i,
  input  logic [47:0]                         spikes_labels_i,
  input  logic                                sync_valid_i,
  output logic                                ev_ready_o,
  // Configuration accesses from reg_bus and their answers.
  input  logic                                cfg_valid_i,
  output logic                                cfg_ready_o,
  input  logic                                cfg_write_i,
  input  logic [3:0]                          cfg_id_i,
  input  logic [23:0]                         cfg_addr_i,
  input  logic [31:0]                         cfg_data_i,
  output logic                                ack_valid_o,
  output logic [3:0]                          ack_id_o,
  output logic                                ack_error_o,
  output logic [31:0]                         ack_data_o,
  // Spike responses (resp_mux).
  output logic                                spike_valid_o,
  output logic [63:0]                         spike_data_o,
  input  logic                                spike_ready_i,
  // Sample responses (resp_mux), one cycle each: not taken means dropped.
  output logic                                sample_valid_o,
  output logic [63:0]                         sample_data_o,
  // The link.
  output logic                                tx_valid_o,
  output logic [63:0]                         tx_data_o,
  input  logic                                tx_ready_i,
  input  logic                                rx_valid_i,
  input  logic [63:0]                         rx_data_i,
  output logic                                rx_ready_o,
  // Status and counter events.
  output logic                                idle_o,
  output logic                                spike_to_chip_o,
  output logic                                spike_from_chip_o,
  output logic                                sample_from_chip_o,
  output logic                                drop_o
);
  localparam int TSW = nmtwin_pkg::CHIP_UP_SPIKE_OUT_TIMESTAMP_WIDTH;
  localparam int SW  = nmtwin_pkg::SYSTIME_BITS;
  localparam int STW = nmtwin_pkg::RESP_SAMPLE_SYSTIME_WIDTH;  // systime bits of a sample response

  logic        tx_spike_q;
  logic [1:0]  seq_left_q;
  logic [31:0] seq_labels_q;
  logic        take, seq_busy;
  logic        skid_valid_q, skid_spike_q, next_valid, next_spike;
  logic [63:0] skid_data_q, next_data;
  logic [63:0] cfg_word, cfg_head, spike_word, sync_word, seq_word;
  logic        cfg_head_valid, cfg_pop;
  logic [$clog2(nmtwin_pkg::BUS_SLOTS + 1)-1:0] cfg_count;
  logic [nmtwin_pkg::CHIP_UP_SEL_WIDTH-1:0] rx_type;
  logic [SW-1:0]  rx_time;
  logic           rx_hs, st_valid_q;
  logic [15:0]    st_label_q;
  logic [TSW-1:0] st_ts_q;
  logic           sm_valid_q;
  logic [63:0]    sm_data_q;

  // The chip stamps a word at most 2^16 - 1 cycles before the cycle it hands it
  // over in: the stamp's time is the newest systime up to that cycle whose low
  // bits equal the timestamp.  `now` is the handover cycle (at_now = 1) or the
  // cycle after it (at_now = 0).
  function automatic logic [SW-1:0] stamp_time(logic [TSW-1:0] ts, logic [SW-1:0] now, logic at_now);
    stamp_time = {now[SW-1:TSW], ts};
    if (stamp_time > now || (stamp_time == now && !at_now)) stamp_time = stamp_time - (SW'(1) << TSW);
  endfunction

  // ---------------------------------------------------------------- down
  always_comb begin
    cfg_word = '0;
    if (cfg_write_i) begin
      cfg_word[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_CFG_WRITE;
      cfg_word[nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ID_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ID_WIDTH] = cfg_id_i;
      cfg_word[nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ADDR_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_WRITE_ADDR_WIDTH] = cfg_addr_i;
      cfg_word[nmtwin_pkg::CHIP_DOWN_CFG_WRITE_DATA_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_WRITE_DATA_WIDTH] = cfg_data_i;
    end else begin
      cfg_word[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_CFG_READ;
      cfg_word[nmtwin_pkg::CHIP_DOWN_CFG_READ_ID_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_READ_ID_WIDTH] = cfg_id_i;
      cfg_word[nmtwin_pkg::CHIP_DOWN_CFG_READ_ADDR_LSB +: nmtwin_pkg::CHIP_DOWN_CFG_READ_ADDR_WIDTH] = cfg_addr_i;
    end
  end

  sync_fifo #(.WIDTH(64), .DEPTH(nmtwin_pkg::BUS_SLOTS)) u_cfg_fifo (
    .clk_i, .rst_ni,
    .in_valid_i(cfg_valid_i), .in_data_i(cfg_word), .in_ready_o(cfg_ready_o),
    .out_valid_o(cfg_head_valid), .out_data_o(cfg_head), .out_ready_i(cfg_pop),
    .count_o(cfg_count)
  );

  always_comb begin
    spike_word = '0;
    spike_word[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_SPIKE_IN;
    spike_word[nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_LSB +: nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_WIDTH] =
        spikes_labels_i[15:0];
    seq_word = spike_word;
    seq_word[nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_LSB +: nmtwin_pkg::CHIP_DOWN_SPIKE_IN_LABEL_WIDTH] =
        seq_labels_q[15:0];
    sync_word = '0;
    sync_word[nmtwin_pkg::CHIP_DOWN_SEL_LSB +: nmtwin_pkg::CHIP_DOWN_SEL_WIDTH] = nmtwin_pkg::CHIP_DOWN_SYNC;
    sync_word[nmtwin_pkg::CHIP_DOWN_SYNC_SYSTIME_LSB +: nmtwin_pkg::CHIP_DOWN_SYNC_SYSTIME_WIDTH] = systime_i;
  end

  // The next message, taken whenever the skid entry is free.
  always_comb begin
    next_valid = 1'b1;
    next_spike = 1'b1;
    if (seq_busy)            next_data = seq_word;
    else if (spikes_valid_i) next_data = spike_word;
    else if (sync_valid_i) begin
      next_data  = sync_word;
      next_spike = 1'b0;
    end else begin
      next_data  = cfg_head;
      next_valid = cfg_head_valid;
      next_spike = 1'b0;
    end
  end

  assign take       = !skid_valid_q;
  assign seq_busy   = seq_left_q != '0;
  assign ev_ready_o = take && !seq_busy;
  assign cfg_pop    = take && !seq_busy && !spikes_valid_i && !sync_valid_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      tx_valid_o   <= 1'b0;
      tx_data_o    <= '0;
      tx_spike_q   <= 1'b0;
      skid_valid_q <= 1'b0;
      skid_data_q  <= '0;
      skid_spike_q <= 1'b0;
      seq_left_q   <= '0;
      seq_labels_q <= '0;
    end else begin
      if (take) begin
        if (seq_busy) begin
          seq_labels_q <= seq_labels_q >> 16;
          seq_left_q   <= seq_left_q - 1'b1;
        end else if (spikes_valid_i) begin
          seq_labels_q <= spikes_labels_i[47:16];
          seq_left_q   <= spikes_count_i - 1'b1;
        end
      end
      if (!tx_valid_o || tx_ready_i) begin
        tx_valid_o   <= skid_valid_q || next_valid;
        tx_data_o    <= skid_valid_q ? skid_data_q : next_data;
        tx_spike_q   <= skid_valid_q ? skid_spike_q : next_spike;
        skid_valid_q <= 1'b0;
      end else if (take) begin
        skid_valid_q <= next_valid;
        skid_data_q  <= next_data;
        skid_spike_q <= next_spike;
      end
    end
  end

  assign spike_to_chip_o = tx_valid_o && tx_ready_i && tx_spike_q;
  assign idle_o          = !tx_valid_o && !skid_valid_q && !seq_busy && cfg_count == '0 && !st_valid_q &&
                           !sm_valid_q;

  // ---------------------------------------------------------------- up

  assign rx_type    = rx_data_i[nmtwin_pkg::CHIP_UP_SEL_LSB +: nmtwin_pkg::CHIP_UP_SEL_WIDTH];
  assign rx_ready_o = !st_valid_q || spike_ready_i;
  assign rx_hs      = rx_valid_i && rx_ready_o;

  assign ack_valid_o = rx_hs && rx_type == nmtwin_pkg::CHIP_UP_CFG_ACK;
  assign ack_id_o    = rx_data_i[nmtwin_pkg::CHIP_UP_CFG_ACK_ID_LSB +: nmtwin_pkg::CHIP_UP_CFG_ACK_ID_WIDTH];
  assign ack_error_o = rx_data_i[nmtwin_pkg::CHIP_UP_CFG_ACK_ERROR_LSB];
  assign ack_data_o  = rx_data_i[nmtwin_pkg::CHIP_UP_CFG_ACK_DATA_LSB +: nmtwin_pkg::CHIP_UP_CFG_ACK_DATA_WIDTH];

  assign spike_from_chip_o  = rx_hs && rx_type == nmtwin_pkg::CHIP_UP_SPIKE_OUT;
  assign sample_from_chip_o = rx_hs && rx_type == nmtwin_pkg::CHIP_UP_SAMPLE;
  assign drop_o             = rx_hs && rx_type != nmtwin_pkg::CHIP_UP_CFG_ACK &&
                              rx_type != nmtwin_pkg::CHIP_UP_SPIKE_OUT && rx_type != nmtwin_pkg::CHIP_UP_SAMPLE;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      st_valid_q <= 1'b0;
      st_label_q <= '0;
      st_ts_q    <= '0;
    end else if (rx_ready_o) begin
      st_valid_q <= spike_from_chip_o;
      st_label_q <= rx_data_i[nmtwin_pkg::CHIP_UP_SPIKE_OUT_LABEL_LSB +: nmtwin_pkg::CHIP_UP_SPIKE_OUT_LABEL_WIDTH];
      st_ts_q    <= rx_data_i[nmtwin_pkg::CHIP_UP_SPIKE_OUT_TIMESTAMP_LSB +: TSW];
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sm_valid_q <= 1'b0;
      sm_data_q  <= '0;
    end else begin
      sm_valid_q <= sample_from_chip_o;
      // The response is built here, in the handover cycle, not from the systime of
      // every later cycle: a simulation then evaluates it only when a sample arrives.
      if (sample_from_chip_o) begin
        sm_data_q <= '0;
        sm_data_q[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] <= nmtwin_pkg::RESP_SAMPLE;
        sm_data_q[nmtwin_pkg::RESP_SAMPLE_NEURON_LSB +: nmtwin_pkg::RESP_SAMPLE_NEURON_WIDTH] <=
            rx_data_i[nmtwin_pkg::CHIP_UP_SAMPLE_NEURON_LSB +: nmtwin_pkg::CHIP_UP_SAMPLE_NEURON_WIDTH];
        sm_data_q[nmtwin_pkg::RESP_SAMPLE_VALUE_LSB +: nmtwin_pkg::RESP_SAMPLE_VALUE_WIDTH] <=
            rx_data_i[nmtwin_pkg::CHIP_UP_SAMPLE_VALUE_LSB +: nmtwin_pkg::CHIP_UP_SAMPLE_VALUE_WIDTH];
        sm_data_q[nmtwin_pkg::RESP_SAMPLE_SYSTIME_LSB +: STW] <=
            STW'(stamp_time(rx_data_i[nmtwin_pkg::CHIP_UP_SAMPLE_TIMESTAMP_LSB +: TSW], systime_i, 1'b1));
      end
    end
  end

  always_comb begin
    rx_time = stamp_time(st_ts_q, systime_i, 1'b0);
    spike_data_o = '0;
    spike_data_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_SPIKE;
    spike_data_o[nmtwin_pkg::RESP_SPIKE_LABEL_LSB +: nmtwin_pkg::RESP_SPIKE_LABEL_WIDTH] = st_label_q;
    spike_data_o[nmtwin_pkg::RESP_SPIKE_SYSTIME_LSB +: nmtwin_pkg::RESP_SPIKE_SYSTIME_WIDTH] = rx_time;
  end

  assign sample_data_o  = sm_data_q;
  assign spike_valid_o  = st_valid_q;
  assign sample_valid_o = sm_valid_q;
endmodule
