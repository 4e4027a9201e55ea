// FPGA register block (spec [[fpga_register]]) behind the register bus.
//
// Every access is answered on the next cycle: read data, or an error reason
// for an unknown offset or a write to a read-only register.  The answer stays
// on the outputs until the next access, so reg_bus may retire it later.
//
// The 48-bit counters of the inter-chip spike path sit at REG_PACKETS_SENT +
// 2 * i, i in the order of ev_net_i (the spec lays them out that way and
// spec/gen.py checks it): bits 31:0 at the even offset, 47:32 at the odd one.  Reading the
// even offset latches the high half of that counter into one shared register,
// which the odd offset returns, so a low-then-high read pair is one snapshot.
module fpga_regs #(
  // Widths and positions of the spec (named short: they appear in every bucket access).
  localparam int OB = nmtwin_pkg::FPGA_OFFSET_BITS,
  localparam int NB = nmtwin_pkg::NET_BUCKETS,
  localparam int BI = nmtwin_pkg::REG_BUCKET_DEST_INDEX_BITS,
  localparam int DB = nmtwin_pkg::REG_BUCKET_DEST_BITS,
  localparam int DL = nmtwin_pkg::REG_BUCKET_DELAY_BITS,
  localparam int TO = nmtwin_pkg::REG_BUCKET_TIMEOUT_BITS,
  localparam int CLEAR = nmtwin_pkg::REG_COUNTER_CLEAR_CLEAR_LSB,
  localparam int SEND = nmtwin_pkg::REG_GI_CONTROL_SEND_LSB,
  localparam int MEASURE = nmtwin_pkg::REG_GI_CONTROL_MEASURE_LSB,
  parameter int NNET = nmtwin_pkg::COUNT48_N  // 48-bit counters: packets_sent[8] .. link_credit_stalls
) (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_i,
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] timer_base_i,
  // Access from reg_bus; offset is the word address inside the FPGA window.
  input  logic                                req_valid_i,
  input  logic                                req_write_i,
  input  logic [nmtwin_pkg::FPGA_OFFSET_BITS-1:0] req_offset_i,
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
  input  logic                                ev_spike_to_host_drop_i,
  input  logic                                ev_sample_from_chip_i,
  input  logic                                ev_sample_to_host_drop_i,
  // ARQ engine events, bit i for register arq_rx_frames + i (see arq_engine).
  input  logic [nmtwin_pkg::COUNT32_ARQ_ENGINE_N-1:0] ev_arq_i,
  // Inter-chip spike path (docs/multichip.md).
  output logic [nmtwin_pkg::REG_NODE_ID_BITS-1:0] node_id_o,
  output logic [nmtwin_pkg::REG_EVENT_SOURCE_BITS-1:0] event_source_o,
  output logic [nmtwin_pkg::REG_ROUTER_ENABLE_BITS-1:0] router_enable_o,
  output logic [nmtwin_pkg::REG_DELAY_CONTROL_BITS-1:0] delay_control_o,
  output logic [NB*DB-1:0]                    bucket_dest_o,     // bucket b at [DB*b +: DB]
  output logic [NB*DL-1:0]                    bucket_delay_o,    // [DL*b +: DL]
  output logic [NB*TO-1:0]                    bucket_timeout_o,  // [TO*b +: TO]
  output logic [nmtwin_pkg::REG_GI_DELAY_BITS-1:0] gi_delay_o,
  output logic                                gi_mode_o,
  output logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_preset_o,
  output logic                                gi_send_o,         // pulse: gi_control bit 0 written
  output logic                                gi_measure_o,      // pulse: gi_control bit 1 written
  input  logic [nmtwin_pkg::REG_GI_MEASURE_BITS-1:0] gi_measure_i,
  // 48-bit counter events, see the header for the order.
  input  logic [NNET-1:0]                     ev_net_i
);
  // Counter slots, in the order of the event inputs (spec counter indices).
  localparam int NCNT = nmtwin_pkg::COUNT32_N;
  localparam logic [NCNT*OB-1:0] CNT_ADDR = nmtwin_pkg::COUNT32_ADDRS;

  localparam logic [OB-1:0] NET_BASE = nmtwin_pkg::REG_PACKETS_SENT;
  localparam int HI_BITS = nmtwin_pkg::SYSTIME_BITS - 32;  // systime bits held by the *_hi registers

  logic [31:0]     scratch_q, timeout_q;
  logic [nmtwin_pkg::REG_NODE_ID_BITS-1:0] node_id_q;
  logic [nmtwin_pkg::REG_GI_DELAY_BITS-1:0] gi_delay_q;
  logic [15:0]     hi_latch_q;  // bits 47:32 of a 48-bit counter
  logic [nmtwin_pkg::REG_EVENT_SOURCE_BITS-1:0] event_source_q;
  logic [nmtwin_pkg::REG_ROUTER_ENABLE_BITS-1:0] router_enable_q;
  logic [nmtwin_pkg::REG_DELAY_CONTROL_BITS-1:0] delay_control_q;
  logic [NB*DB-1:0] bucket_dest_q;
  logic [NB*DL-1:0] bucket_delay_q;
  logic [NB*TO-1:0] bucket_timeout_q;
  logic            gi_mode_q;
  logic [31:0]     preset_lo_q;
  logic [HI_BITS-1:0] preset_hi_q;
  logic [NNET*48-1:0] net_q;
  logic [OB-1:0]   net_off;
  logic            in_net;
  logic [BI-1:0]   bidx;
  logic [HI_BITS-1:0] systime_hi_q;
  logic [NCNT*32-1:0] cnt_q;  // packed: cheaper to simulate than an array
  logic [NCNT-1:0] ev;
  logic [31:0]     be_mask, rdata;
  logic            known, read_only, wr, clear;

  assign ev = {ev_arq_i, ev_sample_to_host_drop_i, ev_sample_from_chip_i, ev_spike_to_host_drop_i, ev_chip_link_drop_i, ev_stale_ack_i, ev_late_wait_i, ev_bus_timeout_i, ev_error_i,
               ev_response_i, ev_spike_from_chip_i, ev_spike_to_chip_i, ev_instruction_i};
  assign be_mask = {{8{req_be_i[3]}}, {8{req_be_i[2]}}, {8{req_be_i[1]}}, {8{req_be_i[0]}}};
  assign bus_timeout_o = timeout_q;
  assign node_id_o        = node_id_q;
  assign event_source_o   = event_source_q;
  assign router_enable_o  = router_enable_q;
  assign delay_control_o  = delay_control_q;
  assign bucket_dest_o    = bucket_dest_q;
  assign bucket_delay_o   = bucket_delay_q;
  assign bucket_timeout_o = bucket_timeout_q;
  assign gi_delay_o       = gi_delay_q;
  assign gi_mode_o        = gi_mode_q;
  assign systime_preset_o = {preset_hi_q, preset_lo_q};
  assign net_off = req_offset_i - NET_BASE;
  assign in_net  = req_offset_i >= NET_BASE && net_off < OB'(2 * NNET);
  assign bidx    = req_offset_i[BI-1:0];

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
        nmtwin_pkg::REG_TIMER_BASE_HI: rdata = 32'(timer_base_i[nmtwin_pkg::SYSTIME_BITS-1:32]);
        nmtwin_pkg::REG_SCRATCH:     begin rdata = scratch_q; read_only = 1'b0; end
        nmtwin_pkg::REG_BUS_TIMEOUT: begin rdata = timeout_q; read_only = 1'b0; end
        nmtwin_pkg::REG_COUNTER_CLEAR: read_only = 1'b0;
        nmtwin_pkg::REG_NODE_ID:       begin rdata = 32'(node_id_q); read_only = 1'b0; end
        nmtwin_pkg::REG_EVENT_SOURCE:  begin rdata = 32'(event_source_q); read_only = 1'b0; end
        nmtwin_pkg::REG_ROUTER_ENABLE: begin rdata = 32'(router_enable_q); read_only = 1'b0; end
        nmtwin_pkg::REG_DELAY_CONTROL: begin rdata = 32'(delay_control_q); read_only = 1'b0; end
        nmtwin_pkg::REG_GI_CONTROL:    read_only = 1'b0;
        nmtwin_pkg::REG_GI_DELAY:      begin rdata = 32'(gi_delay_q); read_only = 1'b0; end
        nmtwin_pkg::REG_GI_MEASURE:    rdata = 32'(gi_measure_i);
        nmtwin_pkg::REG_GI_MODE:       begin rdata = 32'(gi_mode_q); read_only = 1'b0; end
        nmtwin_pkg::REG_SYSTIME_PRESET_LO: begin rdata = preset_lo_q; read_only = 1'b0; end
        nmtwin_pkg::REG_SYSTIME_PRESET_HI: begin rdata = 32'(preset_hi_q); read_only = 1'b0; end
        default: begin
          known = 1'b0;
          if (req_offset_i[OB-1:BI] == nmtwin_pkg::REG_BUCKET_DEST[OB-1:BI]) begin
            known = 1'b1; read_only = 1'b0; rdata = 32'(bucket_dest_q[DB*bidx +: DB]);
          end
          if (req_offset_i[OB-1:BI] == nmtwin_pkg::REG_BUCKET_DELAY[OB-1:BI]) begin
            known = 1'b1; read_only = 1'b0; rdata = 32'(bucket_delay_q[DL*bidx +: DL]);
          end
          if (req_offset_i[OB-1:BI] == nmtwin_pkg::REG_BUCKET_TIMEOUT[OB-1:BI]) begin
            known = 1'b1; read_only = 1'b0; rdata = 32'(bucket_timeout_q[TO*bidx +: TO]);
          end
          if (in_net) begin
            known = 1'b1;
            rdata = net_off[0] ? 32'(hi_latch_q) : net_q[48*net_off[OB-1:1] +: 32];
          end
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
  assign clear = wr && req_offset_i == nmtwin_pkg::REG_COUNTER_CLEAR && req_be_i[CLEAR / 8] && req_wdata_i[CLEAR];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      scratch_q    <= nmtwin_pkg::REG_SCRATCH_RESET;
      timeout_q    <= nmtwin_pkg::REG_BUS_TIMEOUT_RESET;
      systime_hi_q <= '0;
      rsp_rdata_o  <= '0;
      rsp_error_o  <= 1'b0;
      rsp_reason_o <= '0;
      cnt_q        <= '0;
      net_q        <= '0;
      hi_latch_q   <= '0;
      node_id_q    <= '0;
      event_source_q  <= '0;
      router_enable_q <= '0;
      delay_control_q <= '0;
      bucket_dest_q   <= '0;
      bucket_delay_q  <= '0;
      bucket_timeout_q <= '0;
      gi_delay_q   <= '0;
      gi_mode_q    <= 1'b0;
      preset_lo_q  <= '0;
      preset_hi_q  <= '0;
      gi_send_o    <= 1'b0;
      gi_measure_o <= 1'b0;
    end else begin
      if (clear) net_q <= '0;
      else if (ev_net_i != '0) begin
        for (int i = 0; i < NNET; i++) begin
          if (ev_net_i[i]) net_q[48*i +: 48] <= net_q[48*i +: 48] + 1'b1;
        end
      end
      gi_send_o    <= wr && req_offset_i == nmtwin_pkg::REG_GI_CONTROL && req_be_i[SEND / 8] && req_wdata_i[SEND];
      gi_measure_o <= wr && req_offset_i == nmtwin_pkg::REG_GI_CONTROL && req_be_i[MEASURE / 8] && req_wdata_i[MEASURE];
      if (wr) begin
        // The new registers take whole words (byte enables of the low bytes that hold them).
        unique case (req_offset_i)
          nmtwin_pkg::REG_NODE_ID:       node_id_q <= req_wdata_i[nmtwin_pkg::REG_NODE_ID_BITS-1:0];
          nmtwin_pkg::REG_EVENT_SOURCE:  event_source_q <= req_wdata_i[nmtwin_pkg::REG_EVENT_SOURCE_BITS-1:0];
          nmtwin_pkg::REG_ROUTER_ENABLE: router_enable_q <= req_wdata_i[nmtwin_pkg::REG_ROUTER_ENABLE_BITS-1:0];
          nmtwin_pkg::REG_DELAY_CONTROL: delay_control_q <= req_wdata_i[nmtwin_pkg::REG_DELAY_CONTROL_BITS-1:0];
          nmtwin_pkg::REG_GI_DELAY:      gi_delay_q <= req_wdata_i[nmtwin_pkg::REG_GI_DELAY_BITS-1:0];
          nmtwin_pkg::REG_GI_MODE:       gi_mode_q <= req_wdata_i[nmtwin_pkg::REG_GI_MODE_SYSTIME_SYNC_LSB];
          nmtwin_pkg::REG_SYSTIME_PRESET_LO: preset_lo_q <= req_wdata_i;
          nmtwin_pkg::REG_SYSTIME_PRESET_HI: preset_hi_q <= req_wdata_i[HI_BITS-1:0];
          default: begin
            if (req_offset_i[OB-1:BI] == nmtwin_pkg::REG_BUCKET_DEST[OB-1:BI]) bucket_dest_q[DB*bidx +: DB] <= req_wdata_i[DB-1:0];
            if (req_offset_i[OB-1:BI] == nmtwin_pkg::REG_BUCKET_DELAY[OB-1:BI]) bucket_delay_q[DL*bidx +: DL] <= req_wdata_i[DL-1:0];
            if (req_offset_i[OB-1:BI] == nmtwin_pkg::REG_BUCKET_TIMEOUT[OB-1:BI])
              bucket_timeout_q[TO*bidx +: TO] <= req_wdata_i[TO-1:0];
          end
        endcase
      end
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
        if (!req_write_i && req_offset_i == nmtwin_pkg::REG_SYSTIME_LO) systime_hi_q <= systime_i[nmtwin_pkg::SYSTIME_BITS-1:32];
        if (!req_write_i && in_net && !net_off[0]) hi_latch_q <= net_q[48*net_off[OB-1:1] + 32 +: 16];
        rsp_rdata_o  <= req_write_i ? '0 : rdata;
        rsp_error_o  <= !known || (req_write_i && read_only);
        rsp_reason_o <= !known ? nmtwin_pkg::ERROR_REASON_UNMAPPED_ADDRESS : nmtwin_pkg::ERROR_REASON_READ_ONLY;
      end
    end
  end
endmodule
