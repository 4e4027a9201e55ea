// The core's data bus in the PPU: decodes the address (nmtwin_pkg::PPU_*
// memory map), grants, and answers one cycle later (block RAMs, I/O, errors)
// or when the chip answers (chip window).  Instruction memory is read-only
// here; I/O takes whole aligned words only; anything unmapped is an access
// error, which the core turns into a load or store access fault.
module ppu_dbus #(
  parameter int IMEM_BYTES = 16384,
  parameter int DMEM_BYTES = 16384,
  parameter int MAILBOX_BYTES = 1024,
  localparam int IAW = $clog2(IMEM_BYTES / 4),
  localparam int DAW = $clog2(DMEM_BYTES / 4),
  localparam int MAW = $clog2(MAILBOX_BYTES / 4)
) (
  input  logic           clk_i,
  input  logic           rst_ni,
  // core
  input  logic           req_i,
  input  logic           we_i,
  input  logic [3:0]     be_i,
  input  logic [31:0]    addr_i,
  output logic           gnt_o,
  output logic           rvalid_o,
  output logic [31:0]    rdata_o,
  output logic           err_o,
  // memories (read data one cycle after the request)
  output logic           imem_en_o,
  output logic [IAW-1:0] imem_addr_o,
  input  logic [31:0]    imem_rdata_i,
  output logic           dmem_en_o,
  output logic [3:0]     dmem_we_o,
  output logic [DAW-1:0] dmem_addr_o,
  input  logic [31:0]    dmem_rdata_i,
  output logic           mbox_en_o,
  output logic [3:0]     mbox_we_o,
  output logic [MAW-1:0] mbox_addr_o,
  input  logic [31:0]    mbox_rdata_i,
  // I/O registers
  output logic           io_req_o,
  output logic [7:0]     io_off_o,
  input  logic           io_gnt_i,
  input  logic           io_err_i,
  input  logic [31:0]    io_rdata_i,
  // chip window
  output logic           chip_req_valid_o,
  input  logic           chip_req_ready_i,
  output logic [19:0]    chip_addr_o,
  input  logic           chip_rsp_valid_i,
  input  logic           chip_rsp_err_i,
  input  logic [31:0]    chip_rsp_rdata_i
);
  localparam logic [2:0] T_IMEM = 3'd0, T_DMEM = 3'd1, T_MBOX = 3'd2, T_IO = 3'd3,
                         T_CHIP = 3'd4, T_ERR = 3'd5;

  logic [2:0]  target, target_q;
  logic        pending_q, accepted;
  logic [31:0] io_rdata_q;
  logic        io_err_q;

  logic in_imem, in_dmem, in_mbox, in_io, in_chip;
  ppu_region #(.BASE(33'(nmtwin_pkg::PPU_IMEM_BASE)), .BYTES(33'(IMEM_BYTES))) u_imem (
    .addr_i, .hit_o(in_imem));
  ppu_region #(.BASE(33'(nmtwin_pkg::PPU_DMEM_BASE)), .BYTES(33'(DMEM_BYTES))) u_dmem (
    .addr_i, .hit_o(in_dmem));
  ppu_region #(.BASE(33'(nmtwin_pkg::PPU_MAILBOX_BASE)), .BYTES(33'(MAILBOX_BYTES))) u_mbox (
    .addr_i, .hit_o(in_mbox));
  ppu_region #(.BASE(33'(nmtwin_pkg::PPU_IO_BASE)), .BYTES(33'(nmtwin_pkg::PPU_IO_BYTES))) u_io (
    .addr_i, .hit_o(in_io));
  ppu_region #(.BASE(33'(nmtwin_pkg::PPU_CHIP_BASE)), .BYTES(33'(nmtwin_pkg::PPU_CHIP_BYTES))) u_chip (
    .addr_i, .hit_o(in_chip));

  always_comb begin
    if (in_imem && !we_i)              target = T_IMEM;
    else if (in_dmem)                  target = T_DMEM;
    else if (in_mbox)                  target = T_MBOX;
    else if (in_io && be_i == 4'hF)    target = T_IO;
    else if (in_chip)                  target = T_CHIP;
    else                               target = T_ERR;
  end

  always_comb begin
    unique case (target)
      T_IO:    gnt_o = io_gnt_i;
      T_CHIP:  gnt_o = chip_req_ready_i;
      default: gnt_o = 1'b1;
    endcase
  end
  assign accepted = req_i && gnt_o;

  assign imem_en_o   = req_i && target == T_IMEM;
  assign imem_addr_o = addr_i[IAW+1:2];
  assign dmem_en_o   = req_i && target == T_DMEM;
  assign dmem_we_o   = we_i ? be_i : 4'h0;
  assign dmem_addr_o = addr_i[DAW+1:2];
  assign mbox_en_o   = req_i && target == T_MBOX;
  assign mbox_we_o   = we_i ? be_i : 4'h0;
  assign mbox_addr_o = addr_i[MAW+1:2];
  assign io_req_o    = req_i && target == T_IO;
  assign io_off_o    = addr_i[7:0];
  assign chip_req_valid_o = req_i && target == T_CHIP;
  assign chip_addr_o      = addr_i[19:0];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      pending_q <= 1'b0;
      target_q  <= T_ERR;
    end else if (accepted) begin
      pending_q <= 1'b1;
      target_q  <= target;
    end else if (rvalid_o) begin
      pending_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (accepted) begin
      io_rdata_q <= io_rdata_i;
      io_err_q   <= io_err_i;
    end
  end

  assign rvalid_o = pending_q && (target_q != T_CHIP || chip_rsp_valid_i);
  always_comb begin
    err_o   = 1'b0;
    unique case (target_q)
      T_IMEM:  rdata_o = imem_rdata_i;
      T_DMEM:  rdata_o = dmem_rdata_i;
      T_MBOX:  rdata_o = mbox_rdata_i;
      T_IO: begin
        rdata_o = io_rdata_q;
        err_o   = io_err_q;
      end
      T_CHIP: begin
        rdata_o = chip_rsp_rdata_i;
        err_o   = chip_rsp_err_i;
      end
      default: begin
        rdata_o = '0;
        err_o   = 1'b1;
      end
    endcase
  end
endmodule
