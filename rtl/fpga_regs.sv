// FPGA register block (spec [[fpga_register]]) behind the register bus.
//
// Every access is answered on the next cycle: read data, or an error reason
// for an unknown offset or a write to a read-only register.  The answer stays
// on the outputs until the next access, so reg_bus may retire it later.
module fpga_regs (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_i,
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] timer_base_i,
  // Access from reg_bus; offset is the word address inside the FPGA window.
  input  logic                                req_valid_i,
  input  logic                                req_write_i,
  input  logic [7:0]                          req_offset_i,
  input  logic [31:0]                         req_wdata_i,
  input  logic [3:0]                          req_be_i,
  output logic [31:0]                         rsp_rdata_o,
  output logic                                rsp_error_o,
  output logic [3:0]                          rsp_reason_o,
  // Configuration for reg_bus.
  output logic [31:0]                         bus_timeout_o,
  // Counter events, one pulse per event.
  input  logic                                ev_instruction_i,
  input  logic                                ev_spike_to_chip_i,
  input  logic                                ev_spike_from_chip_i,
  input  logic                                ev_response_i,
  input  logic                                ev_error_i,
  input  logic                                ev_bus_timeout_i,
  input  logic                                ev_late_wait_i,
  input  logic                                ev_stale_ack_i,
  input  logic                                ev_chip_link_drop_i,
  // ARQ engine events, bit i for register arq_rx_frames + i (see arq_engine).
  input  logic [9:0]                          ev_arq_i
);
  // Counter slots, in the order of the event inputs.
  localparam int NCNT = 19;
  localparam logic [NCNT*8-1:0] CNT_ADDR = {
    nmtwin_pkg::REG_ARQ_DROP_RESET, nmtwin_pkg::REG_ARQ_RESETS, nmtwin_pkg::REG_ARQ_DROP_WINDOW,
    nmtwin_pkg::REG_ARQ_DROP_PTYPE, nmtwin_pkg::REG_ARQ_DROP_LENGTH, nmtwin_pkg::REG_ARQ_DROP_SHORT,
    nmtwin_pkg::REG_ARQ_DUPLICATES, nmtwin_pkg::REG_ARQ_RETRANSMITS, nmtwin_pkg::REG_ARQ_TX_FRAMES,
    nmtwin_pkg::REG_ARQ_RX_FRAMES,
    nmtwin_pkg::REG_CHIP_LINK_DROPS, nmtwin_pkg::REG_STALE_ACKS, nmtwin_pkg::REG_LATE_WAITS, nmtwin_pkg::REG_BUS_TIMEOUTS,
    nmtwin_pkg::REG_ERRORS, nmtwin_pkg::REG_RESPONSES, nmtwin_pkg::REG_SPIKES_FROM_CHIP,
    nmtwin_pkg::REG_SPIKES_TO_CHIP, nmtwin_pkg::REG_INSTRUCTIONS
  };

  logic [31:0]     scratch_q, timeout_q;
  logic [10:0]     systime_hi_q;
  logic [NCNT*32-1:0] cnt_q;  // packed: cheaper to simulate than an array
  logic [NCNT-1:0] ev;
  logic [31:0]     be_mask, rdata;
  logic            known, read_only, wr, clear;

  assign ev = {ev_arq_i, ev_chip_link_drop_i, ev_stale_ack_i, ev_late_wait_i, ev_bus_timeout_i, ev_error_i,
               ev_response_i, ev_spike_from_chip_i, ev_spike_to_chip_i, ev_instruction_i};
  assign be_mask = {{8{req_be_i[3]}}, {8{req_be_i[2]}}, {8{req_be_i[1]}}, {8{req_be_i[0]}}};
  assign bus_timeout_o = timeout_q;

  always_comb begin
    known     = 1'b1;
    read_only = 1'b1;
    rdata     = '0;
    // Decoded only for an access; this keeps idle cycles cheap to simulate.
    if (req_valid_i) begin
      unique case (req_offset_i)
        nmtwin_pkg::REG_ID:          rdata = nmtwin_pkg::REG_ID_RESET;
        nmtwin_pkg::REG_VERSION:     rdata = nmtwin_pkg::SPEC_VERSION;
        nmtwin_pkg::REG_SYSTIME_LO:  rdata = systime_i[31:0];
        nmtwin_pkg::REG_SYSTIME_HI:  rdata = 32'(systime_hi_q);
        nmtwin_pkg::REG_TIMER_BASE_LO: rdata = timer_base_i[31:0];
        nmtwin_pkg::REG_TIMER_BASE_HI: rdata = 32'(timer_base_i[42:32]);
        nmtwin_pkg::REG_SCRATCH:     begin rdata = scratch_q; read_only = 1'b0; end
        nmtwin_pkg::REG_BUS_TIMEOUT: begin rdata = timeout_q; read_only = 1'b0; end
        nmtwin_pkg::REG_COUNTER_CLEAR: read_only = 1'b0;
        default: begin
          known = 1'b0;
          for (int i = 0; i < NCNT; i++) begin
            if (req_offset_i == CNT_ADDR[i*8 +: 8]) begin
              known = 1'b1;
              rdata = cnt_q[i*32 +: 32];
            end
          end
        end
      endcase
    end
  end

  assign wr    = req_valid_i && req_write_i && known && !read_only;
  assign clear = wr && req_offset_i == nmtwin_pkg::REG_COUNTER_CLEAR && req_be_i[0] && req_wdata_i[0];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      scratch_q    <= nmtwin_pkg::REG_SCRATCH_RESET;
      timeout_q    <= nmtwin_pkg::REG_BUS_TIMEOUT_RESET;
      systime_hi_q <= '0;
      rsp_rdata_o  <= '0;
      rsp_error_o  <= 1'b0;
      rsp_reason_o <= '0;
      cnt_q        <= '0;
    end else begin
      if (clear) cnt_q <= '0;
      else if (ev != '0) begin
        for (int i = 0; i < NCNT; i++) begin
          if (ev[i]) cnt_q[i*32 +: 32] <= cnt_q[i*32 +: 32] + 1'b1;
        end
      end
      if (wr && req_offset_i == nmtwin_pkg::REG_SCRATCH)
        scratch_q <= (scratch_q & ~be_mask) | (req_wdata_i & be_mask);
      if (wr && req_offset_i == nmtwin_pkg::REG_BUS_TIMEOUT)
        timeout_q <= (timeout_q & ~be_mask) | (req_wdata_i & be_mask);
      if (req_valid_i) begin
        // The hi half is latched with the lo half so a lo-then-hi read pair is consistent.
        if (!req_write_i && req_offset_i == nmtwin_pkg::REG_SYSTIME_LO) systime_hi_q <= systime_i[42:32];
        rsp_rdata_o  <= req_write_i ? '0 : rdata;
        rsp_error_o  <= !known || (req_write_i && read_only);
        rsp_reason_o <= !known ? nmtwin_pkg::ERROR_REASON_UNMAPPED_ADDRESS : nmtwin_pkg::ERROR_REASON_READ_ONLY;
      end
    end
  end
endmodule
