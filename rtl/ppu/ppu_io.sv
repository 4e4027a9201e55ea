// The PPU's I/O registers (core side, word access only; offsets
// nmtwin_pkg::PPU_IO_*): console FIFO, systime with its latched high part,
// timer compare and interrupt, exit, fatal, watchdog kick and doorbell.
//
// The console FIFO reads asynchronously (distributed RAM), so a byte is
// visible to the host on the edge after the store, even if the core goes to
// sleep at once (its clock is then gated).  A console store waits (no grant)
// while the FIFO is full.  Reading a write-only register, writing a
// read-only one, or an undecoded offset is an access error.
module ppu_io (
  input  logic                                clk_i,
  input  logic                                rst_ni,  // held with the core
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_i,
  // core access (one word)
  input  logic                                req_i,
  input  logic                                we_i,
  input  logic [7:0]                          off_i,
  input  logic [31:0]                         wdata_i,
  output logic                                gnt_o,
  output logic                                err_o,
  output logic [31:0]                         rdata_o,
  // events of granted writes
  output logic                                exit_o,
  output logic                                fatal_o,
  output logic                                kick_o,
  // interrupts
  input  logic                                doorbell_set_i,
  output logic                                doorbell_o,
  output logic                                irq_timer_o,
  output logic [63:0]                         timecmp_o,
  // console, host side
  input  logic                                console_pop_i,
  output logic                                console_valid_o,
  output logic [7:0]                          console_byte_o
);
  localparam int DEPTH = 32'(nmtwin_pkg::PPU_CONSOLE_DEPTH);
  localparam int PW = $clog2(DEPTH);
  localparam int SB = nmtwin_pkg::SYSTIME_BITS;

  logic [7:0]    fifo [0:DEPTH-1];
  logic [PW-1:0] wr_q, rd_q;
  logic [PW:0]   count_q;
  logic          full, push, pop;
  logic [63:0]   timecmp_q;
  logic [SB-33:0] systime_hi_q;
  logic          doorbell_q;

  assign full = count_q == (PW+1)'(DEPTH);
  assign push = req_i && we_i && off_i == 8'(nmtwin_pkg::PPU_IO_CONSOLE) && !full;
  assign pop  = console_pop_i && count_q != '0;

  always_ff @(posedge clk_i) begin
    if (push) fifo[wr_q] <= wdata_i[7:0];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_q    <= '0;
      rd_q    <= '0;
      count_q <= '0;
    end else begin
      if (push) wr_q <= wr_q + 1'b1;
      if (pop)  rd_q <= rd_q + 1'b1;
      count_q <= count_q + (PW+1)'(push) - (PW+1)'(pop);
    end
  end
  assign console_valid_o = count_q != '0;
  assign console_byte_o  = fifo[rd_q];

  // Decode: read value, and whether this direction exists at this offset.
  logic readable, writable;
  always_comb begin
    readable = 1'b0;
    writable = 1'b0;
    rdata_o  = '0;
    unique case (32'(off_i))
      nmtwin_pkg::PPU_IO_CONSOLE:       writable = 1'b1;
      nmtwin_pkg::PPU_IO_CONSOLE_FREE: begin
        readable = 1'b1;
        rdata_o  = 32'(DEPTH) - 32'(count_q);
      end
      nmtwin_pkg::PPU_IO_SYSTIME_LO: begin
        readable = 1'b1;
        rdata_o  = systime_i[31:0];
      end
      nmtwin_pkg::PPU_IO_SYSTIME_HI: begin
        readable = 1'b1;
        rdata_o  = 32'(systime_hi_q);
      end
      nmtwin_pkg::PPU_IO_TIMECMP_LO: begin
        readable = 1'b1;
        writable = 1'b1;
        rdata_o  = timecmp_q[31:0];
      end
      nmtwin_pkg::PPU_IO_TIMECMP_HI: begin
        readable = 1'b1;
        writable = 1'b1;
        rdata_o  = timecmp_q[63:32];
      end
      nmtwin_pkg::PPU_IO_EXIT, nmtwin_pkg::PPU_IO_FATAL, nmtwin_pkg::PPU_IO_WATCHDOG_KICK:
        writable = 1'b1;
      nmtwin_pkg::PPU_IO_DOORBELL: begin
        readable = 1'b1;
        writable = 1'b1;
        rdata_o  = {31'd0, doorbell_q};
      end
      default: ;
    endcase
  end
  assign err_o = we_i ? !writable : !readable;
  assign gnt_o = !(we_i && off_i == 8'(nmtwin_pkg::PPU_IO_CONSOLE) && full);

  logic wr;
  assign wr      = req_i && we_i && gnt_o && writable;
  assign exit_o  = wr && 32'(off_i) == nmtwin_pkg::PPU_IO_EXIT;
  assign fatal_o = wr && 32'(off_i) == nmtwin_pkg::PPU_IO_FATAL;
  assign kick_o  = wr && 32'(off_i) == nmtwin_pkg::PPU_IO_WATCHDOG_KICK;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      timecmp_q    <= '1;
      systime_hi_q <= '0;
      doorbell_q   <= 1'b0;
    end else begin
      if (wr && 32'(off_i) == nmtwin_pkg::PPU_IO_TIMECMP_LO) timecmp_q[31:0] <= wdata_i;
      if (wr && 32'(off_i) == nmtwin_pkg::PPU_IO_TIMECMP_HI) timecmp_q[63:32] <= wdata_i;
      if (req_i && !we_i && 32'(off_i) == nmtwin_pkg::PPU_IO_SYSTIME_LO)
        systime_hi_q <= systime_i[SB-1:32];
      if (doorbell_set_i)                                      doorbell_q <= 1'b1;
      else if (wr && 32'(off_i) == nmtwin_pkg::PPU_IO_DOORBELL) doorbell_q <= wdata_i[0];
    end
  end

  assign doorbell_o  = doorbell_q;
  // systime has SB bits: timecmp above them is never reached.
  assign irq_timer_o = timecmp_q[63:SB] == '0 && systime_i >= timecmp_q[SB-1:0];
  assign timecmp_o   = timecmp_q;
endmodule
