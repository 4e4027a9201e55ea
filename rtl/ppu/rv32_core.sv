// RV32IM machine-mode core: a multi-cycle machine with one outstanding request
// on each bus (request/grant, then a response with rvalid, as OBI).
//
// An instruction executes in the cycle its word arrives (from ibus_rdata_i);
// loads and stores issue their request in that cycle and retire on the
// response; mul takes one more cycle (its product is registered), div and rem
// 33 more (rv32_div).  Traps and interrupts enter mtvec; with mtvec == 0 the
// core halts instead (bare tests end there).  halt_req_i stops the core before
// its next fetch (or a data request not yet granted); only a reset restarts it.
//
// The commit port reports, combinationally in the cycle it happens, every
// retired instruction and every trap: an interrupt is a trap with insn 0 at
// the interrupted pc; a fetch fault a trap with insn 0.  Fields count only
// with their flag: rd_wdata with rd != 0, mem_* with mem_we (a store's
// address, its data and byte enables in word lanes), cause/tval with trap.
module rv32_core (
  input  logic        clk_i,
  input  logic        rst_ni,
  output logic        ibus_req_o,
  output logic [31:0] ibus_addr_o,  // always the pc of the current (or next) instruction
  input  logic        ibus_gnt_i,
  input  logic        ibus_rvalid_i,
  input  logic [31:0] ibus_rdata_i,
  input  logic        ibus_err_i,
  output logic        dbus_req_o,
  output logic        dbus_we_o,
  output logic [3:0]  dbus_be_o,
  output logic [31:0] dbus_addr_o,
  output logic [31:0] dbus_wdata_o,
  input  logic        dbus_gnt_i,
  input  logic        dbus_rvalid_i,
  input  logic [31:0] dbus_rdata_i,
  input  logic        dbus_err_i,
  input  logic        irq_timer_i,
  input  logic        irq_soft_i,
  output logic        wfi_o,
  input  logic        halt_req_i,
  output logic        halted_o,
  output logic [31:0] mcycle_o,     // mcycle and minstret bits 31:0 (the host's counters)
  output logic [31:0] minstret_o,
  output logic        commit_valid_o,
  output logic [31:0] commit_pc_o,
  output logic [31:0] commit_insn_o,
  output logic [4:0]  commit_rd_o,
  output logic [31:0] commit_rd_wdata_o,
  output logic        commit_mem_we_o,
  output logic [31:0] commit_mem_addr_o,
  output logic [31:0] commit_mem_wdata_o,
  output logic [3:0]  commit_mem_be_o,
  output logic        commit_trap_o,
  output logic [31:0] commit_cause_o,
  output logic [31:0] commit_tval_o
);
  localparam logic [2:0] S_FETCH = 3'd0, S_EXEC = 3'd1, S_DREQ = 3'd2, S_DWAIT = 3'd3,
                         S_MUL = 3'd4, S_DIV = 3'd5, S_WFI = 3'd6, S_HALT = 3'd7;

  logic [2:0]  state_q, state_d;
  logic [31:0] pc_q, pc_d, insn_q, mul_q;
  logic [31:0] insn, rs1, rs2, imm_i, imm_s, imm_b, imm_u, imm_j, pc4;
  logic        exec;

  // In S_EXEC the instruction comes straight from the bus; later states keep it.  insn_q
  // is 0 between instructions (cleared when one retires or traps), so the instruction of
  // an interrupt or a fetch fault (the commit port's 0) needs no gate of its own.
  assign exec      = state_q == S_EXEC && ibus_rvalid_i;
  assign insn      = state_q == S_EXEC && !ibus_err_i ? ibus_rdata_i : insn_q;

  logic d_lui, d_auipc, d_jal, d_jalr, d_branch, d_load, d_store, d_alu_imm;
  logic d_mul, d_div, d_csr, d_ecall, d_ebreak, d_mret, d_wfi, d_illegal, d_writes_rd;
  rv32_decode u_decode (
    .insn_i(insn), .lui_o(d_lui), .auipc_o(d_auipc), .jal_o(d_jal), .jalr_o(d_jalr),
    .branch_o(d_branch), .load_o(d_load), .store_o(d_store),
    .alu_imm_o(d_alu_imm), .mul_o(d_mul), .div_o(d_div), .csr_o(d_csr), .ecall_o(d_ecall),
    .ebreak_o(d_ebreak), .mret_o(d_mret), .wfi_o(d_wfi), .illegal_o(d_illegal),
    .writes_rd_o(d_writes_rd)
  );

  assign imm_i = {{20{insn[31]}}, insn[31:20]};
  assign imm_s = {{20{insn[31]}}, insn[31:25], insn[11:7]};
  assign imm_b = {{19{insn[31]}}, insn[31], insn[7], insn[30:25], insn[11:8], 1'b0};
  assign imm_u = {insn[31:12], 12'd0};
  assign imm_j = {{11{insn[31]}}, insn[31], insn[19:12], insn[20], insn[30:21], 1'b0};
  assign pc4   = pc_q + 32'd4;

  logic        rf_we;
  logic [31:0] rf_wdata;
  rv32_regfile u_regfile (
    .clk_i, .rst_ni, .raddr_a_i(insn[19:15]), .rdata_a_o(rs1), .raddr_b_i(insn[24:20]),
    .rdata_b_o(rs2), .we_i(rf_we), .waddr_i(insn[11:7]), .wdata_i(rf_wdata)
  );

  logic [31:0] alu_result;
  logic        taken;
  rv32_alu u_alu (
    .funct3_i(insn[14:12]),
    .alt_i(insn[30] && (!d_alu_imm || insn[14:12] == 3'b101)), .branch_i(d_branch),
    .a_i(rs1), .b_i(d_alu_imm ? imm_i : rs2), .result_o(alu_result), .branch_taken_o(taken)
  );

  // One adder for the jump and branch targets, the data address and lui/auipc.  Its
  // operands hold until the instruction retires (pc, insn_q, and rs1 as nothing writes
  // the register file before), so it gives the data address in every state.
  logic [31:0] sum, target, maddr;
  logic        jump;
  assign sum    = ((d_jalr || d_load || d_store) ? rs1 : d_lui ? '0 : pc_q) +
                  (d_jal ? imm_j : d_branch ? imm_b : (d_lui || d_auipc) ? imm_u :
                   d_store ? imm_s : imm_i);
  assign target = sum & {31'h7FFF_FFFF, !d_jalr};
  assign jump   = d_jal || d_jalr || (d_branch && taken);
  assign maddr  = sum;

  // Load/store lanes: funct3[1:0] is the size (byte, half, word), funct3[2] unsigned.
  logic [1:0]  size;
  logic        misaligned;
  logic [15:0] load_shifted;
  logic [31:0] load_value;
  assign size       = insn[13:12];
  assign misaligned = (size == 2'b01 && maddr[0]) || (size == 2'b10 && maddr[1:0] != 2'b00);
  assign dbus_be_o  = (size == 2'b00 ? 4'b0001 : size == 2'b01 ? 4'b0011 : 4'b1111)
                      << maddr[1:0];
  assign dbus_wdata_o = (size == 2'b00 ? {24'd0, rs2[7:0]} : size == 2'b01 ? {16'd0, rs2[15:0]}
                         : rs2) << {maddr[1:0], 3'b000};
  assign load_shifted = 16'(dbus_rdata_i >> {maddr[1:0], 3'b000});
  always_comb begin
    unique case (insn[14:12])
      3'b000:  load_value = {{24{load_shifted[7]}}, load_shifted[7:0]};
      3'b001:  load_value = {{16{load_shifted[15]}}, load_shifted[15:0]};
      3'b100:  load_value = {24'd0, load_shifted[7:0]};
      3'b101:  load_value = {16'd0, load_shifted[15:0]};
      default: load_value = dbus_rdata_i;
    endcase
  end
  assign dbus_addr_o = maddr;
  assign dbus_we_o   = d_store;

  // Multiplier: 33 x 33 signed covers mul, mulh (s x s), mulhsu (s x u), mulhu (u x u).
  logic signed [32:0] mul_a, mul_b;
  logic signed [63:0] product;  // the low 64 bits of the 66-bit product
  assign mul_a   = $signed({insn[13] ^ insn[12] && rs1[31], rs1});
  assign mul_b   = $signed({insn[13:12] == 2'b01 && rs2[31], rs2});
  assign product = 64'(mul_a * mul_b);
  always_ff @(posedge clk_i) begin
    if (exec) mul_q <= insn[13:12] == 2'b00 ? product[31:0] : product[63:32];
  end

  logic        div_done;
  logic [31:0] div_result;
  rv32_div u_div (
    .clk_i, .rst_ni, .start_i(exec && !ibus_err_i && d_div), .op_i(insn[13:12]), .a_i(rs1),
    .b_i(rs2), .done_o(div_done), .result_o(div_result)
  );

  // CSRs
  logic        csr_illegal, irq_take, wake, trap, retire;
  logic [31:0] csr_rdata, irq_cause, mtvec, mepc, cause, tval;
  rv32_csr u_csr (
    .clk_i, .rst_ni, .access_i(exec && !ibus_err_i && d_csr), .addr_i(insn[31:20]),
    .op_i(insn[13:12]), .write_i(insn[13:12] == 2'b01 || insn[19:15] != 5'd0),
    .wsrc_i(insn[14] ? {27'd0, insn[19:15]} : rs1), .rdata_o(csr_rdata),
    .illegal_o(csr_illegal), .trap_i(trap), .trap_cause_i(cause), .trap_pc_i(pc_q[31:2]),
    .trap_tval_i(tval), .mret_i(exec && !trap && d_mret), .retire_i(retire),
    .count_i(state_q != S_WFI && state_q != S_HALT), .irq_timer_i, .irq_soft_i,
    .irq_take_o(irq_take), .irq_cause_o(irq_cause), .wake_o(wake), .mtvec_o(mtvec),
    .mepc_o(mepc), .mcycle_o, .minstret_o
  );

  // Exceptions of the executing instruction, highest priority first.
  logic        exc;
  logic [31:0] exc_cause, exc_tval;
  always_comb begin
    exc = 1'b1;
    exc_tval = '0;
    if (ibus_err_i) begin
      exc_cause = 32'd1; exc_tval = pc_q;
    end else if (d_illegal || (d_csr && csr_illegal)) begin
      exc_cause = 32'd2; exc_tval = insn;
    end else if (d_ecall) begin
      exc_cause = 32'd11;
    end else if (d_ebreak) begin
      exc_cause = 32'd3; exc_tval = pc_q;
    end else if (jump && target[1]) begin
      exc_cause = 32'd0; exc_tval = target;
    end else if ((d_load || d_store) && misaligned) begin
      exc_cause = d_store ? 32'd6 : 32'd4; exc_tval = target;  // = maddr (not jalr)
    end else begin
      exc = 1'b0; exc_cause = '0;
    end
  end

  // Data bus response: the access fault of a load or store.
  logic derr;
  assign derr = state_q == S_DWAIT && dbus_rvalid_i && dbus_err_i;

  logic irq_now;
  assign irq_now = state_q == S_FETCH && !halt_req_i && irq_take;

  always_comb begin
    trap  = 1'b0;
    cause = exc_cause;
    tval  = exc_tval;
    if (irq_now) begin
      trap = 1'b1; cause = irq_cause; tval = '0;
    end else if (exec && exc) begin
      trap = 1'b1;
    end else if (derr) begin
      trap = 1'b1; cause = d_store ? 32'd7 : 32'd5; tval = maddr;
    end
  end

  // Retirement: where each instruction class completes.
  logic exec_done;
  assign exec_done = exec && !exc && !d_load && !d_store && !d_mul && !d_div;
  assign retire    = exec_done || (state_q == S_DWAIT && dbus_rvalid_i && !dbus_err_i) ||
                     state_q == S_MUL || (state_q == S_DIV && div_done);

  always_comb begin
    unique case (state_q)
      S_DWAIT: rf_wdata = load_value;
      S_MUL:   rf_wdata = mul_q;
      S_DIV:   rf_wdata = div_result;
      // The opcode bits that tell the register-writing classes apart (rf_wdata counts only
      // for one of them): insn[2] lui/auipc/jal/jalr, then insn[4] lui/auipc, else insn[6]
      // system (csr) against op/op-imm.
      default: begin
        if (insn[2])      rf_wdata = insn[4] ? sum : pc4;
        else              rf_wdata = insn[6] ? csr_rdata : alu_result;
      end
    endcase
  end
  assign rf_we = retire && d_writes_rd;

  assign ibus_req_o = state_q == S_FETCH && !halt_req_i && !irq_take;
  assign ibus_addr_o = pc_q;
  assign dbus_req_o = (exec && !exc && (d_load || d_store)) || state_q == S_DREQ;

  always_comb begin
    state_d = state_q;
    pc_d    = pc_q;
    if (trap) begin
      pc_d    = mtvec;
      state_d = mtvec == '0 ? S_HALT : S_FETCH;
    end else begin
      unique case (state_q)
        S_FETCH: begin
          if (halt_req_i)      state_d = S_HALT;
          else if (ibus_gnt_i) state_d = S_EXEC;
        end
        S_EXEC: begin
          if (exec) begin
            if (exec_done)         pc_d = d_mret ? mepc : jump ? target : pc4;
            if (d_load || d_store) state_d = dbus_gnt_i ? S_DWAIT : S_DREQ;
            else if (d_mul)        state_d = S_MUL;
            else if (d_div)        state_d = S_DIV;
            else if (d_wfi)        state_d = S_WFI;
            else                   state_d = S_FETCH;
          end
        end
        S_DREQ: begin
          if (dbus_gnt_i)      state_d = S_DWAIT;
          else if (halt_req_i) state_d = S_HALT;
        end
        S_DWAIT: if (dbus_rvalid_i) begin
          state_d = S_FETCH;
          pc_d    = pc4;
        end
        S_MUL: begin
          state_d = S_FETCH;
          pc_d    = pc4;
        end
        S_DIV: if (div_done) begin
          state_d = S_FETCH;
          pc_d    = pc4;
        end
        S_WFI: begin
          if (halt_req_i) state_d = S_HALT;
          else if (wake)  state_d = S_FETCH;
        end
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= S_FETCH;
      pc_q    <= '0;
    end else begin
      // pc_q stays the executing instruction's pc until it retires (loads, mul, div).
      state_q <= state_d;
      pc_q    <= pc_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || retire || trap) insn_q <= '0;
    else if (exec)                 insn_q <= ibus_rdata_i;
  end

  // Asleep until an enabled interrupt is pending: a gated clock must run again from then on.
  assign wfi_o    = state_q == S_WFI && !wake;
  assign halted_o = state_q == S_HALT;

  assign commit_valid_o     = trap || retire;
  assign commit_pc_o        = pc_q;
  assign commit_insn_o      = insn;
  assign commit_rd_o        = rf_we ? insn[11:7] : 5'd0;
  assign commit_rd_wdata_o  = rf_wdata;
  assign commit_mem_we_o    = retire && d_store;
  assign commit_mem_addr_o  = maddr;
  assign commit_mem_wdata_o = dbus_wdata_o;
  assign commit_mem_be_o    = dbus_be_o;
  assign commit_trap_o      = trap;
  assign commit_cause_o     = cause;
  assign commit_tval_o      = tval;
endmodule
