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
    known = 1'b1;
    unique case (addr_i)
      12'h300: rdata_o = mstatus;
      12'h301: rdata_o = 32'h4000_1100;  // RV32, I and M
      12'h304: rdata_o = mie;
      12'h305: rdata_o = mtvec_q;
      12'h340: rdata_o = mscratch_q;
      12'h341: rdata_o = mepc_q;
      12'h342: rdata_o = mcause_q;
      12'h343: rdata_o = mtval_q;
      12'h344: rdata_o = mip;
      12'hB00, 12'hC00: rdata_o = mcycle_q[31:0];
      12'hB80, 12'hC80: rdata_o = mcycle_q[63:32];
      12'hB02, 12'hC02: rdata_o = minstret_q[31:0];
      12'hB82, 12'hC82: rdata_o = minstret_q[63:32];
      12'hF11, 12'hF12, 12'hF13, 12'hF14: rdata_o = '0;
      default: begin
        rdata_o = '0;
        known   = 1'b0;
      end
    endcase
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

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      mcycle_q   <= '0;
      minstret_q <= '0;
    end else begin
      if (we && addr_i == 12'hB00)      mcycle_q[31:0]  <= wdata;
      else if (we && addr_i == 12'hB80) mcycle_q[63:32] <= wdata;
      else if (count_i)                 mcycle_q <= mcycle_q + 1'b1;
      if (we && addr_i == 12'hB02)      minstret_q[31:0]  <= wdata;
      else if (we && addr_i == 12'hB82) minstret_q[63:32] <= wdata;
      else if (retire_i)                minstret_q <= minstret_q + 1'b1;
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
