// Instruction executor: decodes the host's 64-bit instruction stream (spec
// [instruction]) one instruction per cycle at most.
//
// An instruction executes in the cycle it is popped from the instruction FIFO.
// Instructions that need a downstream unit (bus, chip link, response queue)
// stay at the FIFO head until that unit is ready, so their execution cycle is
// the cycle of the handshake.  Every opcode either executes or produces an
// error response, so the executor never hangs on a malformed stream.
module executor (
  input  logic                                clk_i,
  input  logic                                rst_ni,
`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  // Simulation only (nmtwin_top, docs/rtl.md "Warp"): extra idle cycles this edge
  // stands for, and how many cycles from this one change nothing but the timer.
  input  logic [31:0]                         warp_i,
  output logic [31:0]                         horizon_o,
  // Simulation only (nmtwin_top, docs/rtl.md "Gating"): the clock of every register
  // but the timer.
  input  logic                                busy_clk_i,
  /*verilator tracing_on*/
`endif
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_i,
  // Host instruction words.
  input  logic                                instr_valid_i,
  input  logic [63:0]                         instr_data_i,
  output logic                                instr_ready_o,
  // The host link was reset: drop the queued words and end a wait, a barrier or a
  // write waiting for its data (the program of the host that was reset away).
  input  logic                                abort_i,
  // Register-bus requests (reg_bus).
  output logic                                bus_valid_o,
  input  logic                                bus_ready_i,
  output logic                                bus_write_o,
  output logic [31:0]                         bus_addr_o,
  output logic [31:0]                         bus_wdata_o,
  output logic [3:0]                          bus_be_o,
  output logic [15:0]                         bus_tag_o,
  output logic [31:0]                         bus_index_o,
  input  logic                                bus_busy_i,
  // The global interrupt fires (gi_unit): releases a barrier waiting for it.
  input  logic                                gi_fire_i,
  // Spike injection and systime sync (chip_link); one ready for both.
  output logic                                spikes_valid_o,
  output logic [1:0]                          spikes_count_o,
  output logic [47:0]                         spikes_labels_o,
  output logic                                sync_valid_o,
  input  logic                                chip_ready_i,
  // Halt echo and error responses (resp_mux).
  output logic                                resp_valid_o,
  output logic [63:0]                         resp_data_o,
  input  logic                                resp_ready_i,
  input  logic                                resp_queue_empty_i,
  input  logic                                bus_queue_empty_i,
  // Status and counter events.
  output logic                                idle_o,
  output logic [nmtwin_pkg::SYSTIME_BITS-1:0] timer_base_o,   // systime at which the timer read 0
  output logic                                instr_o,
  output logic                                late_wait_o
);
  typedef enum logic [1:0] {
    RUN,       // decode the FIFO head
    DATA,      // a write waits for its write_data word
    WAIT       // wait_until: the timer has not reached the target yet
  } state_e;

  state_e       state_q, state_d;
  logic [nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH-1:0] timer_q, wait_target_q;
  logic [31:0]  index_q;
  logic [31:0]  wr_addr_q, wr_index_q;
  logic [3:0]   wr_be_q;

  logic         head_valid, pop;
  logic         gi_pending_q;  // the global interrupt fired and no barrier has taken it yet
  logic [63:0]  w;
  logic         active;
  logic         accept;          // the head may be popped this cycle
  logic         is_instr;        // the head is an instruction, not write_data
  logic         err;
  logic [nmtwin_pkg::RESP_ERROR_REASON_WIDTH-1:0] err_reason;
  logic         halt_now;
  logic [nmtwin_pkg::INSTR_SEL_WIDTH-1:0] opcode;
  logic [nmtwin_pkg::INSTR_SEL_LSB-1:0] barrier_other;
  logic [$clog2(nmtwin_pkg::INSTR_FIFO_DEPTH + 1)-1:0] fifo_count;
  logic         late;

  // The clock of every register but the timer: a simulation leaves out its edges in
  // cycles that change nothing but counters (docs/rtl.md "Gating").  One clock in the FPGA.
  /*verilator tracing_off*/  // a waveform shows clk_i
  logic bclk;
`ifdef SYNTHESIS
  assign bclk = clk_i;
`else
  assign bclk = busy_clk_i;
`endif
  /*verilator tracing_on*/

  sync_fifo #(.WIDTH(64), .DEPTH(nmtwin_pkg::INSTR_FIFO_DEPTH)) u_fifo (
    .clk_i(bclk), .rst_ni(rst_ni && !abort_i),
    .in_valid_i(instr_valid_i), .in_data_i(instr_data_i), .in_ready_o(instr_ready_o),
    .out_valid_o(head_valid), .out_data_o(w), .out_ready_i(accept),
    .count_o(fifo_count)
  );
  assign pop = head_valid && accept;

  assign opcode = w[nmtwin_pkg::INSTR_SEL_LSB +: nmtwin_pkg::INSTR_SEL_WIDTH];
  // A wait ends in the cycle the timer equals the target, which then decodes.
  assign active = state_q == RUN || (state_q == WAIT && timer_q == wait_target_q);

  always_comb begin
    barrier_other = w[nmtwin_pkg::INSTR_SEL_LSB-1:0];
    barrier_other[nmtwin_pkg::INSTR_BARRIER_READS_LSB +: nmtwin_pkg::INSTR_BARRIER_READS_WIDTH] = '0;
    barrier_other[nmtwin_pkg::INSTR_BARRIER_GLOBAL_INTERRUPT_LSB +: nmtwin_pkg::INSTR_BARRIER_GLOBAL_INTERRUPT_WIDTH] = '0;
  end

  assign late = timer_q >= w[nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_LSB +: nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH];

  // Decode: which unit the head needs, whether it fails, and when it may pop.
  always_comb begin
    accept         = 1'b0;
    is_instr       = active;
    err            = 1'b0;
    err_reason     = nmtwin_pkg::ERROR_REASON_UNKNOWN_OPCODE;
    halt_now       = 1'b0;
    bus_valid_o    = 1'b0;
    bus_write_o    = 1'b0;
    spikes_valid_o = 1'b0;
    sync_valid_o   = 1'b0;
    if (state_q == DATA) begin
      bus_valid_o = head_valid;
      bus_write_o = 1'b1;
      accept      = bus_ready_i;
    end else if (active && head_valid) begin
      unique case (opcode)
        nmtwin_pkg::INSTR_NOP, nmtwin_pkg::INSTR_WRITE, nmtwin_pkg::INSTR_TIMER_RESET,
        nmtwin_pkg::INSTR_WAIT_UNTIL:
          accept = 1'b1;
        nmtwin_pkg::INSTR_READ: begin
          bus_valid_o = head_valid;
          accept      = bus_ready_i;
        end
        nmtwin_pkg::INSTR_SYSTIME_SYNC: begin
          sync_valid_o = head_valid;
          accept       = chip_ready_i;
        end
        nmtwin_pkg::INSTR_SPIKES: begin
          if (w[nmtwin_pkg::INSTR_SPIKES_COUNT_LSB +: nmtwin_pkg::INSTR_SPIKES_COUNT_WIDTH] == '0) begin
            err        = 1'b1;
            err_reason = nmtwin_pkg::ERROR_REASON_BAD_OPERAND;
          end else begin
            spikes_valid_o = head_valid;
            accept         = chip_ready_i;
          end
        end
        nmtwin_pkg::INSTR_BARRIER: begin
          if (barrier_other != '0) begin
            err        = 1'b1;
            err_reason = nmtwin_pkg::ERROR_REASON_BAD_OPERAND;
          end else begin
            // A global-interrupt barrier executes on the cycle the interrupt fires, or
            // at once if it fired since the last such barrier (it is remembered).
            accept = !(w[nmtwin_pkg::INSTR_BARRIER_READS_LSB] && bus_busy_i) &&
                     !(w[nmtwin_pkg::INSTR_BARRIER_GLOBAL_INTERRUPT_LSB] && !gi_fire_i && !gi_pending_q);
          end
        end
        nmtwin_pkg::INSTR_HALT: begin
          // Every earlier response must be queued ahead of the echo.
          halt_now = !bus_busy_i && bus_queue_empty_i && resp_queue_empty_i;
          accept   = halt_now && resp_ready_i;
        end
        default: err = 1'b1;
      endcase
      if (err) accept = resp_ready_i;
    end
  end

  assign instr_o     = pop && is_instr;
  assign late_wait_o = pop && active && opcode == nmtwin_pkg::INSTR_WAIT_UNTIL && late;

  assign bus_addr_o  = state_q == DATA ? wr_addr_q : w[nmtwin_pkg::INSTR_READ_ADDR_LSB +: 32];
  assign bus_wdata_o = w[nmtwin_pkg::INSTR_WRITE_DATA_DATA_LSB +: nmtwin_pkg::INSTR_WRITE_DATA_DATA_WIDTH];
  assign bus_be_o    = state_q == DATA ? wr_be_q : 4'hF;
  assign bus_tag_o   = w[nmtwin_pkg::INSTR_READ_TAG_LSB +: nmtwin_pkg::INSTR_READ_TAG_WIDTH];
  assign bus_index_o = state_q == DATA ? wr_index_q : index_q;

  assign spikes_count_o  = w[nmtwin_pkg::INSTR_SPIKES_COUNT_LSB +: nmtwin_pkg::INSTR_SPIKES_COUNT_WIDTH];
  assign spikes_labels_o = {w[nmtwin_pkg::INSTR_SPIKES_LABEL2_LSB +: 16],
                            w[nmtwin_pkg::INSTR_SPIKES_LABEL1_LSB +: 16],
                            w[nmtwin_pkg::INSTR_SPIKES_LABEL0_LSB +: 16]};

  assign resp_valid_o = head_valid && (err || halt_now);
  always_comb begin
    resp_data_o = '0;
    if (!head_valid) begin
      // No word to answer (and nothing to build).
    end else if (halt_now) begin
      resp_data_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_HALT;
      resp_data_o[nmtwin_pkg::RESP_HALT_COOKIE_LSB +: nmtwin_pkg::RESP_HALT_COOKIE_WIDTH] =
          w[nmtwin_pkg::INSTR_HALT_COOKIE_LSB +: nmtwin_pkg::INSTR_HALT_COOKIE_WIDTH];
      resp_data_o[nmtwin_pkg::RESP_HALT_SYSTIME_LSB +: nmtwin_pkg::RESP_HALT_SYSTIME_WIDTH] = systime_i;
    end else begin
      resp_data_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_ERROR;
      resp_data_o[nmtwin_pkg::RESP_ERROR_REASON_LSB +: nmtwin_pkg::RESP_ERROR_REASON_WIDTH] = err_reason;
      resp_data_o[nmtwin_pkg::RESP_ERROR_DETAIL_LSB +: nmtwin_pkg::RESP_ERROR_DETAIL_WIDTH] =
          nmtwin_pkg::RESP_ERROR_DETAIL_WIDTH'(opcode);
      resp_data_o[nmtwin_pkg::RESP_ERROR_INDEX_LSB +: nmtwin_pkg::RESP_ERROR_INDEX_WIDTH] = index_q;
    end
  end

  always_comb begin
    state_d = state_q;
    if (state_q == WAIT && active) state_d = RUN;
    if (pop) begin
      if (state_q == DATA) state_d = RUN;
      else if (opcode == nmtwin_pkg::INSTR_WRITE) state_d = DATA;
      else if (opcode == nmtwin_pkg::INSTR_WAIT_UNTIL && !late) state_d = WAIT;
    end
  end

  // The timer counts every cycle, on the ungated clock (docs/rtl.md "Gating").
  always_ff @(posedge clk_i) begin
    if (!rst_ni || (pop && is_instr && opcode == nmtwin_pkg::INSTR_TIMER_RESET)) timer_q <= '0;
`ifdef SYNTHESIS
    else timer_q <= timer_q + 1'b1;
`else
    else timer_q <= timer_q + nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH'(warp_i) + 1'b1;
`endif
  end

  always_ff @(posedge bclk) begin
    if (!rst_ni) begin
      state_q       <= RUN;
      timer_base_o  <= '0;
      gi_pending_q  <= 1'b0;
      wait_target_q <= '0;
      index_q       <= '0;
      wr_addr_q     <= '0;
      wr_be_q       <= '0;
      wr_index_q    <= '0;
    end else if (abort_i) begin
      // The timer, its base and a remembered interrupt belong to the FPGA, not the program.
      state_q <= RUN;
      index_q <= '0;
    end else begin
      // A firing is remembered until a global-interrupt barrier takes it.
      if (pop && opcode == nmtwin_pkg::INSTR_BARRIER && w[nmtwin_pkg::INSTR_BARRIER_GLOBAL_INTERRUPT_LSB])
        gi_pending_q <= 1'b0;
      else if (gi_fire_i) gi_pending_q <= 1'b1;
      state_q <= state_d;
      if (pop && is_instr) begin
        index_q <= index_q + 1'b1;
        unique case (opcode)
          nmtwin_pkg::INSTR_TIMER_RESET: timer_base_o <= systime_i + 1'b1;
          nmtwin_pkg::INSTR_WAIT_UNTIL:
            wait_target_q <= w[nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_LSB +: nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH];
          nmtwin_pkg::INSTR_WRITE: begin
            wr_addr_q  <= w[nmtwin_pkg::INSTR_WRITE_ADDR_LSB +: nmtwin_pkg::INSTR_WRITE_ADDR_WIDTH];
            wr_be_q    <= w[nmtwin_pkg::INSTR_WRITE_BYTE_ENABLE_LSB +: nmtwin_pkg::INSTR_WRITE_BYTE_ENABLE_WIDTH];
            wr_index_q <= index_q;
          end
          nmtwin_pkg::INSTR_HALT: index_q <= '0;
          default: ;
        endcase
      end
    end
  end

  assign idle_o = state_q == RUN && fifo_count == '0;

`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  // Idle, only the timer counts; waiting, the wait ends in the cycle the timer reaches
  // its target, so the cycles before it only count (at least 2^32 - 1: all ones).
  // (Computed inside the branch: a model evaluates it only while waiting.)
  logic [nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH-1:0] wait_left;
  always_comb begin
    wait_left = '0;
    if (idle_o) begin
      horizon_o = '1;
    end else if (state_q == WAIT) begin
      wait_left = wait_target_q - timer_q;
      horizon_o = wait_left > nmtwin_pkg::INSTR_WAIT_UNTIL_TIME_WIDTH'(32'hFFFF_FFFF) ? '1 : wait_left[31:0];
    end else begin
      horizon_o = '0;
    end
  end
  /*verilator tracing_on*/
`endif
endmodule
