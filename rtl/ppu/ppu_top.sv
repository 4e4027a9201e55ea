// The embedded plasticity processor (PPU): an RV32IM core (rv32_core) with its
// instruction, data and mailbox memories in block RAM, I/O registers
// (ppu_io), the chip window to the behavioural chip, and the host port by
// which the chip link loads, starts and reads it (chip registers ppu_*).
//
// Core-side memory map: nmtwin_pkg::PPU_*.  Host port: word addresses
// relative to the chip register nmtwin_pkg::PPU_HOST_BASE, answered two cycles
// later (host_req_ready_o is always 1; inputs are registered).  ppu_ctrl.run = 0 holds the core
// and everything but the memories and the watchdog limit in reset; the
// instruction memory takes host accesses only then.
//
// The core's clock may be gated: clock_needed_o is 0 while the core is held,
// halted or asleep and no host access is in flight, and nothing changes then
// but systime_i (wake-up from wfi: at timecmp_o, or by a host access).  The
// driver clocks the cycle in which it offers a host access, and gives systime_i
// the time of the next cycle (it is registered like every input).
module ppu_top #(
  parameter int IMEM_BYTES = 16384,
  parameter int DMEM_BYTES = 16384,
  parameter int MAILBOX_BYTES = 1024
) (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_i,
  // host port (chip registers ppu_*)
  input  logic                                host_req_valid_i,
  output logic                                host_req_ready_o,
  input  logic                                host_we_i,
  input  logic [19:0]                         host_addr_i,
  input  logic [31:0]                         host_wdata_i,
  output logic                                host_rsp_valid_o,
  output logic                                host_rsp_err_o,
  output logic [31:0]                         host_rsp_rdata_o,
  // chip window (byte address in chip_addr_o; data and byte enables in word lanes)
  output logic                                chip_req_valid_o,
  input  logic                                chip_req_ready_i,
  output logic                                chip_we_o,
  output logic [3:0]                          chip_be_o,
  output logic [19:0]                         chip_addr_o,
  output logic [31:0]                         chip_wdata_o,
  input  logic                                chip_rsp_valid_i,
  input  logic                                chip_rsp_err_i,
  input  logic [31:0]                         chip_rsp_rdata_i,
  // state for the simulator's clock gating
  output logic                                clock_needed_o,
  output logic                                sleeping_o,
  output logic [63:0]                         timecmp_o,
  output logic [5:0]                          status_o,
  // commit port of the core
  output logic                                commit_valid_o,
  output logic [31:0]                         commit_pc_o,
  output logic [31:0]                         commit_insn_o,
  output logic [4:0]                          commit_rd_o,
  output logic [31:0]                         commit_rd_wdata_o,
  output logic                                commit_mem_we_o,
  output logic [31:0]                         commit_mem_addr_o,
  output logic [31:0]                         commit_mem_wdata_o,
  output logic [3:0]                          commit_mem_be_o,
  output logic                                commit_trap_o,
  output logic [31:0]                         commit_cause_o,
  output logic [31:0]                         commit_tval_o
);

  // Every input enters through a flip-flop: no logic inside depends combinationally on a
  // port, so the boundary closes timing and the Verilated model's per-evaluation input
  // logic is empty (the simulator evaluates it twice a cycle). The driver gives systime_i
  // the time of the next cycle (sim/ppu/ppu.cpp), so systime_q is the current cycle's.
  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_q;
  logic        host_valid_q, host_we_q, chip_rsp_valid_q, chip_rsp_err_q;
  logic [19:0] host_addr_q;
  logic [31:0] host_wdata_q, chip_rsp_rdata_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      host_valid_q     <= 1'b0;
      chip_rsp_valid_q <= 1'b0;
    end else begin
      host_valid_q     <= host_req_valid_i;
      chip_rsp_valid_q <= chip_rsp_valid_i;
    end
    systime_q        <= systime_i;
    host_we_q        <= host_we_i;
    host_addr_q      <= host_addr_i;
    host_wdata_q     <= host_wdata_i;
    chip_rsp_err_q   <= chip_rsp_err_i;
    chip_rsp_rdata_q <= chip_rsp_rdata_i;
  end
  // Host word offsets of the chip registers ppu_* from PPU_HOST_BASE (the SV
  // package carries their fields, not chip register addresses).
  localparam logic [19:0] H_IMEM = 20'h00000, H_DMEM = 20'h10000, H_MAILBOX = 20'h20000,
                          H_REGS = 20'h30000;
  localparam logic [3:0] R_CTRL = 4'h0, R_STATUS = 4'h1, R_EXIT_CODE = 4'h2, R_TRAP_CAUSE = 4'h3,
                         R_TRAP_PC = 4'h4, R_TRAP_TVAL = 4'h5, R_TRAP_INSN = 4'h6,
                         R_WATCHDOG = 4'h7, R_CONSOLE = 4'h8, R_CYCLES = 4'h9, R_INSTRET = 4'hA;

  localparam int IAW = $clog2(IMEM_BYTES / 4);
  localparam int DAW = $clog2(DMEM_BYTES / 4);
  localparam int MAW = $clog2(MAILBOX_BYTES / 4);

  logic run_q, sub_rst_n;
  assign sub_rst_n = rst_ni && run_q;

  // ---- core and its instruction bus (imem port A, always reading at the pc)
  logic        ibus_req, ibus_rvalid_q, ibus_err_q, pc_in_imem;
  logic [31:0] ibus_addr, imem_a_rdata;
  logic        dbus_req, dbus_we, dbus_gnt, dbus_rvalid, dbus_err;
  logic [3:0]  dbus_be;
  logic [31:0] dbus_addr, dbus_wdata, dbus_rdata;
  logic        irq_timer, doorbell, core_wfi, core_halted, halt_req;
  logic [31:0] cycles, instret;

  ppu_region #(.BYTES(33'(IMEM_BYTES))) u_pc_in_imem (.addr_i(ibus_addr), .hit_o(pc_in_imem));
  always_ff @(posedge clk_i) begin
    if (!sub_rst_n) begin
      ibus_rvalid_q <= 1'b0;
      ibus_err_q    <= 1'b0;
    end else begin
      ibus_rvalid_q <= ibus_req;
      ibus_err_q    <= !pc_in_imem;
    end
  end

  rv32_core u_core (
    .clk_i, .rst_ni(sub_rst_n),
    .ibus_req_o(ibus_req), .ibus_addr_o(ibus_addr), .ibus_gnt_i(1'b1),
    .ibus_rvalid_i(ibus_rvalid_q), .ibus_rdata_i(imem_a_rdata), .ibus_err_i(ibus_err_q),
    .dbus_req_o(dbus_req), .dbus_we_o(dbus_we), .dbus_be_o(dbus_be), .dbus_addr_o(dbus_addr),
    .dbus_wdata_o(dbus_wdata), .dbus_gnt_i(dbus_gnt), .dbus_rvalid_i(dbus_rvalid),
    .dbus_rdata_i(dbus_rdata), .dbus_err_i(dbus_err),
    .irq_timer_i(irq_timer), .irq_soft_i(doorbell), .wfi_o(core_wfi), .halt_req_i(halt_req),
    .halted_o(core_halted), .mcycle_o(cycles), .minstret_o(instret),
    .commit_valid_o, .commit_pc_o, .commit_insn_o, .commit_rd_o, .commit_rd_wdata_o,
    .commit_mem_we_o, .commit_mem_addr_o, .commit_mem_wdata_o, .commit_mem_be_o,
    .commit_trap_o, .commit_cause_o, .commit_tval_o
  );

  // ---- core data bus
  logic           d_imem_en, d_dmem_en, d_mbox_en, io_req, io_gnt, io_err;
  logic [IAW-1:0] d_imem_addr;
  logic [DAW-1:0] d_dmem_addr;
  logic [MAW-1:0] d_mbox_addr;
  logic [3:0]     d_dmem_we, d_mbox_we;
  logic [7:0]     io_off;
  logic [31:0]    imem_b_rdata, dmem_b_rdata, mbox_b_rdata, io_rdata, dmem_a_rdata, mbox_a_rdata;
  ppu_dbus #(.IMEM_BYTES(IMEM_BYTES), .DMEM_BYTES(DMEM_BYTES), .MAILBOX_BYTES(MAILBOX_BYTES)) u_dbus (
    .clk_i, .rst_ni(sub_rst_n), .req_i(dbus_req), .we_i(dbus_we), .be_i(dbus_be),
    .addr_i(dbus_addr), .gnt_o(dbus_gnt), .rvalid_o(dbus_rvalid),
    .rdata_o(dbus_rdata), .err_o(dbus_err),
    .imem_en_o(d_imem_en), .imem_addr_o(d_imem_addr), .imem_rdata_i(imem_b_rdata),
    .dmem_en_o(d_dmem_en), .dmem_we_o(d_dmem_we), .dmem_addr_o(d_dmem_addr),
    .dmem_rdata_i(dmem_b_rdata), .mbox_en_o(d_mbox_en), .mbox_we_o(d_mbox_we),
    .mbox_addr_o(d_mbox_addr), .mbox_rdata_i(mbox_b_rdata),
    .io_req_o(io_req), .io_off_o(io_off), .io_gnt_i(io_gnt), .io_err_i(io_err),
    .io_rdata_i(io_rdata), .chip_req_valid_o, .chip_req_ready_i, .chip_addr_o,
    .chip_rsp_valid_i(chip_rsp_valid_q), .chip_rsp_err_i(chip_rsp_err_q),
    .chip_rsp_rdata_i(chip_rsp_rdata_q)
  );
  assign chip_we_o    = dbus_we;
  assign chip_be_o    = dbus_be;
  assign chip_wdata_o = dbus_wdata;

  // ---- host port decode
  logic        h_imem, h_dmem, h_mbox, h_regs, h_err, h_pop, doorbell_set;
  logic [3:0]  h_reg;
  logic [31:0] h_reg_rdata, reg_rdata_q;
  logic [1:0]  h_src, rsp_src_q;
  logic        rsp_valid_q, rsp_err_q;
  assign host_req_ready_o = 1'b1;
  assign h_reg  = host_addr_q[3:0];
  logic in_imem, in_dmem, in_mbox, in_regs;
  ppu_region #(.AW(20), .BASE(21'(H_IMEM)), .BYTES(21'(IMEM_BYTES / 4))) u_h_imem (
    .addr_i(host_addr_q), .hit_o(in_imem));
  ppu_region #(.AW(20), .BASE(21'(H_DMEM)), .BYTES(21'(DMEM_BYTES / 4))) u_h_dmem (
    .addr_i(host_addr_q), .hit_o(in_dmem));
  ppu_region #(.AW(20), .BASE(21'(H_MAILBOX)), .BYTES(21'(MAILBOX_BYTES / 4))) u_h_mbox (
    .addr_i(host_addr_q), .hit_o(in_mbox));
  ppu_region #(.AW(20), .BASE(21'(H_REGS)), .BYTES(21'(R_INSTRET) + 21'd1)) u_h_regs (
    .addr_i(host_addr_q), .hit_o(in_regs));
  assign h_imem = host_valid_q && in_imem && !run_q;
  assign h_dmem = host_valid_q && in_dmem;
  assign h_mbox = host_valid_q && in_mbox;
  assign h_regs = host_valid_q && in_regs;
  assign h_pop  = h_regs && !host_we_q && h_reg == R_CONSOLE;
  assign h_src  = h_imem ? 2'd0 : h_dmem ? 2'd1 : h_mbox ? 2'd2 : 2'd3;
  assign h_err  = !(h_imem || h_dmem || h_mbox || h_regs) ||
                  (h_regs && host_we_q && h_reg != R_CTRL && h_reg != R_WATCHDOG);
  assign doorbell_set = h_regs && host_we_q && h_reg == R_CTRL &&
                        host_wdata_q[nmtwin_pkg::CHIP_REG_PPU_CTRL_DOORBELL_LSB];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      run_q       <= 1'b0;
      rsp_valid_q <= 1'b0;
    end else begin
      if (h_regs && host_we_q && h_reg == R_CTRL)
        run_q <= host_wdata_q[nmtwin_pkg::CHIP_REG_PPU_CTRL_RUN_LSB];
      rsp_valid_q <= host_valid_q;
    end
  end
  always_ff @(posedge clk_i) begin
    if (host_valid_q) begin
      rsp_err_q   <= h_err;
      rsp_src_q   <= h_src;
      reg_rdata_q <= h_reg_rdata;
    end
  end
  assign host_rsp_valid_o = rsp_valid_q;
  assign host_rsp_err_o   = rsp_err_q;
  always_comb begin
    unique case (rsp_src_q)
      2'd0:    host_rsp_rdata_o = imem_b_rdata;
      2'd1:    host_rsp_rdata_o = dmem_a_rdata;
      2'd2:    host_rsp_rdata_o = mbox_a_rdata;
      default: host_rsp_rdata_o = reg_rdata_q;
    endcase
  end

  // ---- memories: imem port B is the host's while held, the core's data port otherwise
  logic [3:0]  h_we;
  assign h_we = host_we_q ? 4'hF : 4'h0;
  ppu_ram #(.WORDS(IMEM_BYTES / 4)) u_imem (
    .clk_i, .a_en_i(1'b1), .a_we_i(4'h0), .a_addr_i(ibus_addr[IAW+1:2]), .a_wdata_i('0),
    .a_rdata_o(imem_a_rdata),
    .b_en_i(run_q ? d_imem_en : h_imem), .b_we_i(run_q ? 4'h0 : h_we),
    .b_addr_i(run_q ? d_imem_addr : host_addr_q[IAW-1:0]), .b_wdata_i(host_wdata_q),
    .b_rdata_o(imem_b_rdata)
  );
  ppu_ram #(.WORDS(DMEM_BYTES / 4)) u_dmem (
    .clk_i, .a_en_i(h_dmem), .a_we_i(h_we), .a_addr_i(host_addr_q[DAW-1:0]),
    .a_wdata_i(host_wdata_q), .a_rdata_o(dmem_a_rdata),
    .b_en_i(d_dmem_en), .b_we_i(d_dmem_we), .b_addr_i(d_dmem_addr), .b_wdata_i(dbus_wdata),
    .b_rdata_o(dmem_b_rdata)
  );
  ppu_ram #(.WORDS(MAILBOX_BYTES / 4)) u_mbox (
    .clk_i, .a_en_i(h_mbox), .a_we_i(h_we), .a_addr_i(host_addr_q[MAW-1:0]),
    .a_wdata_i(host_wdata_q), .a_rdata_o(mbox_a_rdata),
    .b_en_i(d_mbox_en), .b_we_i(d_mbox_we), .b_addr_i(d_mbox_addr), .b_wdata_i(dbus_wdata),
    .b_rdata_o(mbox_b_rdata)
  );

  // ---- I/O registers and control
  logic       exit_ev, fatal_ev, kick_ev, console_valid;
  logic [7:0] console_byte;
  ppu_io u_io (
    .clk_i, .rst_ni(sub_rst_n), .systime_i(systime_q), .req_i(io_req), .we_i(dbus_we), .off_i(io_off),
    .wdata_i(dbus_wdata), .gnt_o(io_gnt), .err_o(io_err), .rdata_o(io_rdata),
    .exit_o(exit_ev), .fatal_o(fatal_ev), .kick_o(kick_ev), .doorbell_set_i(doorbell_set),
    .doorbell_o(doorbell), .irq_timer_o(irq_timer), .timecmp_o,
    .console_pop_i(h_pop), .console_valid_o(console_valid), .console_byte_o(console_byte)
  );

  logic        exited, trapped, wd_expired, halt_capture;
  logic [31:0] watchdog, exit_code, trap_cause, trap_pc, trap_tval, trap_insn;
  ppu_ctrl u_ctrl (
    .clk_i, .rst_ni, .sub_rst_ni(sub_rst_n),
    .watchdog_we_i(h_regs && host_we_q && h_reg == R_WATCHDOG), .watchdog_wdata_i(host_wdata_q),
    .watchdog_o(watchdog), .exit_i(exit_ev), .exit_code_i(dbus_wdata), .fatal_i(fatal_ev),
    .kick_i(kick_ev), .core_halted_i(core_halted), .core_wfi_i(core_wfi),
    .core_pc_i(ibus_addr), .imem_at_pc_i(imem_a_rdata), .pc_in_imem_i(pc_in_imem),
    .commit_valid_i(commit_valid_o), .commit_trap_i(commit_trap_o), .commit_pc_i(commit_pc_o),
    .commit_insn_i(commit_insn_o), .commit_cause_i(commit_cause_o),
    .commit_tval_i(commit_tval_o), .halt_req_o(halt_req), .exited_o(exited),
    .trapped_o(trapped), .watchdog_expired_o(wd_expired), .halt_capture_o(halt_capture),
    .exit_code_o(exit_code), .trap_cause_o(trap_cause), .trap_pc_o(trap_pc),
    .trap_tval_o(trap_tval), .trap_insn_o(trap_insn)
  );

  always_comb begin
    status_o = '0;
    status_o[nmtwin_pkg::CHIP_REG_PPU_STATUS_RUNNING_LSB]  = run_q && !halt_req && !core_halted;
    status_o[nmtwin_pkg::CHIP_REG_PPU_STATUS_SLEEPING_LSB] = sleeping_o;
    status_o[nmtwin_pkg::CHIP_REG_PPU_STATUS_EXITED_LSB]   = exited;
    status_o[nmtwin_pkg::CHIP_REG_PPU_STATUS_TRAPPED_LSB]  = trapped;
    status_o[nmtwin_pkg::CHIP_REG_PPU_STATUS_WATCHDOG_LSB] = wd_expired;
    status_o[nmtwin_pkg::CHIP_REG_PPU_STATUS_CONSOLE_LSB]  = console_valid;
  end

  always_comb begin
    unique case (h_reg)
      R_CTRL: begin
        h_reg_rdata = '0;
        h_reg_rdata[nmtwin_pkg::CHIP_REG_PPU_CTRL_RUN_LSB]      = run_q;
        h_reg_rdata[nmtwin_pkg::CHIP_REG_PPU_CTRL_DOORBELL_LSB] = doorbell;
      end
      R_STATUS:     h_reg_rdata = 32'(status_o);
      R_EXIT_CODE:  h_reg_rdata = exit_code;
      R_TRAP_CAUSE: h_reg_rdata = trap_cause;
      R_TRAP_PC:    h_reg_rdata = trap_pc;
      R_TRAP_TVAL:  h_reg_rdata = trap_tval;
      R_TRAP_INSN:  h_reg_rdata = trap_insn;
      R_WATCHDOG:   h_reg_rdata = watchdog;
      R_CONSOLE: begin
        h_reg_rdata = '0;
        h_reg_rdata[nmtwin_pkg::CHIP_REG_PPU_CONSOLE_VALID_LSB] = console_valid;
        h_reg_rdata[nmtwin_pkg::CHIP_REG_PPU_CONSOLE_BYTE_LSB +: 8] = console_valid ? console_byte : 8'd0;
      end
      R_CYCLES:     h_reg_rdata = cycles;
      R_INSTRET:    h_reg_rdata = instret;
      default:      h_reg_rdata = '0;
    endcase
  end

  assign sleeping_o     = run_q && core_wfi;
  assign clock_needed_o = (run_q && !core_halted && !core_wfi) || host_valid_q ||
                          rsp_valid_q || halt_capture;
endmodule
