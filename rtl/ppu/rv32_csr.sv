// Machine-mode CSRs, trap entry and mret, and the cycle/instret counters.
//
// Implemented: mstatus (MIE, MPIE; MPP reads 3, M-mode only), misa, mie and
// mip (MSIE/MSIP bit 3, MTIE/MTIP bit 7; mip is read-only), mtvec (direct
// mode: bits 1:0 read 0), mscratch, mepc (bits 1:0 read 0), mcause, mtval,
// mcycle[h], minstret[h] (writable; a write wins over the same cycle's
// increment), the read-only shadows cycle[h]/instret[h], and mvendorid,
// marchid, mimpid, mhartid (read 0).  Any other number, or a write to a
// read-only CSR, is an illegal instruction.
module rv32_csr (
  input  logic        clk_i,
  input  logic        rst_ni,
  // CSR instruction executing this cycle (and not trapping for another reason)
  input  logic        access_i,
  input  logic [11:0] addr_i,
  input  logic [1:0]  op_i,     // funct3[1:0]: 01 write, 10 set, 11 clear
  input  logic        write_i,  // csrrw[i], or csrrs/c[i] with rs1/uimm != 0
  input  logic [31:0] wsrc_i,
  output logic [31:0] rdata_o,
  output logic        illegal_o,
  // trap entry, mret, retirement, cycle counting
  input  logic        trap_i,
  input  logic [31:0] trap_cause_i,
  input  logic [31:2] trap_pc_i,
  input  logic [31:0] trap_tval_i,
  input  logic        mret_i,
  input  logic        retire_i,
  input  logic        count_i,
  // interrupts
  input  logic        irq_timer_i,
  input  logic        irq_soft_i,
  output logic        irq_take_o,     // an enabled interrupt is pending and mstatus.MIE is set
  output logic [31:0] irq_cause_o,
  output logic        wake_o,         // an enabled interrupt is pending (ends wfi)
  output logic [31:0] mtvec_o,
  output logic [31:0] mepc_o,
  output logic [31:0] mcycle_o,
  output logic [31:0] minstret_o
);
  logic        mie_q, mpie_q, msie_q, mtie_q;
  logic [31:0] mtvec_q, mscratch_q, mepc_q, mcause_q, mtval_q;
  logic [63:0] mcycle_q, minstret_q;
  logic [31:0] mstatus, mip, mie, wdata;
  logic        known, read_only, we;

  assign mstatus = {19'd0, 2'b11, 3'd0, mpie_q, 3'd0, mie_q, 3'd0};
  assign mip     = {24'd0, irq_timer_i, 3'd0, irq_soft_i, 3'd0};
  assign mie     = {24'd0, mtie_q, 3'd0, msie_q, 3'd0};

  always_comb begin
    unique case (addr_i)
      12'h300, 12'h301, 12'h304, 12'h305, 12'h340, 12'h341, 12'h342, 12'h343, 12'h344,
      12'hB00, 12'hB80, 12'hB02, 12'hB82, 12'hC00, 12'hC80, 12'hC02, 12'hC82,
      12'hF11, 12'hF12, 12'hF13, 12'hF14: known = 1'b1;
      default:                            known = 1'b0;
    endcase
  end

  // The read value of a known number, decoded from the few bits that tell the known
  // numbers apart (an unknown one traps, so its value does not matter): 0x3xx by bits
  // 6 and 2:0, the counters (0xBxx, 0xCxx) by bits 7 (high half) and 1 (instret), the
  // 0xF1x ids read 0.
  logic [31:0] rdata_30x, rdata_34x, rdata_cnt;
  always_comb begin
    unique case (addr_i[2:0])
      3'd0:    rdata_30x = mstatus;
      3'd1:    rdata_30x = 32'h4000_1100;  // RV32, I and M
      3'd4:    rdata_30x = mie;
      default: rdata_30x = mtvec_q;
    endcase
    unique case (addr_i[2:0])
      3'd0:    rdata_34x = mscratch_q;
      3'd1:    rdata_34x = mepc_q;
      3'd2:    rdata_34x = mcause_q;
      3'd3:    rdata_34x = mtval_q;
      default: rdata_34x = mip;
    endcase
    unique case ({addr_i[1], addr_i[7]})
      2'b00:   rdata_cnt = mcycle_q[31:0];
      2'b01:   rdata_cnt = mcycle_q[63:32];
      2'b10:   rdata_cnt = minstret_q[31:0];
      default: rdata_cnt = minstret_q[63:32];
    endcase
    if (!addr_i[11])                rdata_o = addr_i[6] ? rdata_34x : rdata_30x;
    else if (addr_i[10:9] != 2'b11) rdata_o = rdata_cnt;
    else                            rdata_o = '0;
  end
  assign read_only = addr_i[11:10] == 2'b11;
  assign illegal_o = !known || (read_only && write_i);
  assign we        = access_i && write_i && !illegal_o;

  always_comb begin
    unique case (op_i)
      2'b01:   wdata = wsrc_i;
      2'b10:   wdata = rdata_o | wsrc_i;
      default: wdata = rdata_o & ~wsrc_i;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      mie_q <= 1'b0; mpie_q <= 1'b0; msie_q <= 1'b0; mtie_q <= 1'b0;
      mtvec_q <= '0; mscratch_q <= '0; mepc_q <= '0; mcause_q <= '0; mtval_q <= '0;
    end else if (trap_i) begin
      mepc_q   <= {trap_pc_i, 2'b00};
      mcause_q <= trap_cause_i;
      mtval_q  <= trap_tval_i;
      mpie_q   <= mie_q;
      mie_q    <= 1'b0;
    end else if (mret_i) begin
      mie_q  <= mpie_q;
      mpie_q <= 1'b1;
    end else if (we) begin
      unique case (addr_i)
        12'h300: begin
          mie_q  <= wdata[3];
          mpie_q <= wdata[7];
        end
        12'h304: begin
          msie_q <= wdata[3];
          mtie_q <= wdata[7];
        end
        12'h305: mtvec_q    <= {wdata[31:2], 2'b00};
        12'h340: mscratch_q <= wdata;
        12'h341: mepc_q     <= {wdata[31:2], 2'b00};
        12'h342: mcause_q   <= wdata;
        12'h343: mtval_q    <= wdata;
        default: ;
      endcase
    end
  end

  // A counter's next value is (its value with the written half replaced) + the increment,
  // which the increment takes only without a write: the half select folds into the adder's
  // input LUTs (one LUT a bit, not a mux behind the adder).
  logic [63:0] mcycle_base, minstret_base;
  logic        mcycle_w, minstret_w;
  assign mcycle_w      = we && addr_i[11:8] == 4'hB && addr_i[6:0] == 7'h00;
  assign minstret_w    = we && addr_i[11:8] == 4'hB && addr_i[6:0] == 7'h02;
  assign mcycle_base   = {mcycle_w && addr_i[7] ? wdata : mcycle_q[63:32],
                          mcycle_w && !addr_i[7] ? wdata : mcycle_q[31:0]};
  assign minstret_base = {minstret_w && addr_i[7] ? wdata : minstret_q[63:32],
                          minstret_w && !addr_i[7] ? wdata : minstret_q[31:0]};

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      mcycle_q   <= '0;
      minstret_q <= '0;
    end else begin
      mcycle_q   <= mcycle_base + 64'(count_i && !mcycle_w);
      minstret_q <= minstret_base + 64'(retire_i && !minstret_w);
    end
  end

  // Priority among pending interrupts as the privileged spec orders them: MSI before MTI.
  assign wake_o      = (mip & mie) != '0;
  assign irq_take_o  = wake_o && mie_q;
  assign irq_cause_o = (irq_soft_i && msie_q) ? 32'h8000_0003 : 32'h8000_0007;
  assign mtvec_o     = mtvec_q;
  assign mepc_o      = mepc_q;
  assign mcycle_o    = mcycle_q[31:0];
  assign minstret_o  = minstret_q[31:0];
endmodule
