// Control and status of the PPU: why the core stopped (exit, trap, watchdog),
// the trap registers and the watchdog.  Everything here except the watchdog
// limit restarts while the core is held (sub_rst_ni low).
//
// Until the core stops, the trap registers follow every trap the commit port
// reports, so they hold the trap that stopped it when it halts on a trap by
// itself (mtvec == 0) or the firmware writes `fatal`.
// On a watchdog expiry the pc and instruction registers take the pc the core
// halted at and the instruction there (cause and tval keep the last trap); the core halts at its next
// instruction boundary, or on a data request not yet granted (a console
// store waiting for room).
module ppu_ctrl (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        sub_rst_ni,
  // host
  input  logic        watchdog_we_i,
  input  logic [31:0] watchdog_wdata_i,
  output logic [31:0] watchdog_o,
  // I/O events
  input  logic        exit_i,
  input  logic [31:0] exit_code_i,
  input  logic        fatal_i,
  input  logic        kick_i,
  // core
  input  logic        core_halted_i,
  input  logic        core_wfi_i,
  input  logic [31:0] core_pc_i,
  input  logic [31:0] imem_at_pc_i,  // instruction memory at core_pc_i of the last cycle
  input  logic        pc_in_imem_i,
  input  logic        commit_valid_i,
  input  logic        commit_trap_i,
  input  logic [31:0] commit_pc_i,
  input  logic [31:0] commit_insn_i,
  input  logic [31:0] commit_cause_i,
  input  logic [31:0] commit_tval_i,
  // status
  output logic        halt_req_o,
  output logic        exited_o,
  output logic        trapped_o,
  output logic        watchdog_expired_o,
  output logic        halt_capture_o,  // the first cycle halted: state still to take
  output logic [31:0] exit_code_o,
  output logic [31:0] trap_cause_o,
  output logic [31:0] trap_pc_o,
  output logic [31:0] trap_tval_o,
  output logic [31:0] trap_insn_o
);
  logic [31:0] limit_q, count_q;
  logic        exited_q, trapped_q, watchdog_q, halted_seen_q, stopped, active;

  assign stopped = exited_q || trapped_q || watchdog_q;
  assign active  = !core_halted_i && !core_wfi_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni)            limit_q <= '0;
    else if (watchdog_we_i) limit_q <= watchdog_wdata_i;
  end

  always_ff @(posedge clk_i) begin
    if (!sub_rst_ni) begin
      exited_q <= 1'b0; trapped_q <= 1'b0; watchdog_q <= 1'b0; halted_seen_q <= 1'b0;
      count_q <= '0; exit_code_o <= '0;
      trap_cause_o <= '0; trap_pc_o <= '0; trap_tval_o <= '0; trap_insn_o <= '0;
    end else begin
      if (kick_i)      count_q <= '0;
      else if (active) count_q <= count_q + 1'b1;
      halted_seen_q <= core_halted_i;
      if (!stopped) begin
        if (exit_i) begin
          exited_q    <= 1'b1;
          exit_code_o <= exit_code_i;
        end else if (fatal_i || (core_halted_i && !halted_seen_q)) begin
          trapped_q <= 1'b1;
        end else if (limit_q != '0 && count_q >= limit_q) begin
          watchdog_q <= 1'b1;
        end
        if (commit_valid_i && commit_trap_i) begin
          trap_cause_o <= commit_cause_i;
          trap_pc_o    <= commit_pc_i;
          trap_tval_o  <= commit_tval_i;
          trap_insn_o  <= commit_insn_i;
        end
      end else if (watchdog_q && halt_capture_o) begin
        trap_pc_o   <= core_pc_i;
        trap_insn_o <= pc_in_imem_i ? imem_at_pc_i : '0;
      end
    end
  end

  assign halt_req_o         = stopped;
  assign halt_capture_o     = core_halted_i && !halted_seen_q;
  assign exited_o           = exited_q;
  assign trapped_o          = trapped_q;
  assign watchdog_expired_o = watchdog_q;
  assign watchdog_o         = limit_q;
endmodule
