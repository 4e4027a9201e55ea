// First-word-fall-through FIFO with valid/ready on both sides.
//
// The storage has a registered read port and no reset, so it maps onto block
// RAM (or LUT RAM when small).  The read address is the head after this
// cycle's pop, so a popped word is replaced by its successor on the next edge
// and a full FIFO streams one word per cycle.  A word written into an empty
// FIFO appears on the output two edges later: the read port samples the
// address on the same edge as the write and returns the old contents.
// DEPTH need not be a power of two.
module sync_fifo #(
  parameter int WIDTH = 64,
  parameter int DEPTH = 4,
  localparam int CW = $clog2(DEPTH + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             in_valid_i,
  input  logic [WIDTH-1:0] in_data_i,
  output logic             in_ready_o,
  output logic             out_valid_o,
  output logic [WIDTH-1:0] out_data_o,
  input  logic             out_ready_i,
  output logic [CW-1:0]    count_o
);
  localparam int AW = DEPTH > 1 ? $clog2(DEPTH) : 1;
  localparam logic [AW-1:0] LAST = AW'(DEPTH - 1);

  logic [WIDTH-1:0] mem [0:DEPTH-1];
  logic [WIDTH-1:0] rdata_q;
  logic [AW-1:0]    wr_ptr_q, rd_ptr_q, rd_ptr_d;
  logic [CW-1:0]    count_q;
  logic             fresh_q;
  logic             push, pop;

  assign in_ready_o  = count_q != CW'(DEPTH);
  assign out_valid_o = count_q != '0 && fresh_q;
  assign out_data_o  = rdata_q;
  assign count_o     = count_q;
  assign push        = in_valid_i && in_ready_o;
  assign pop         = out_valid_o && out_ready_i;
  assign rd_ptr_d    = pop ? (rd_ptr_q == LAST ? '0 : rd_ptr_q + 1'b1) : rd_ptr_q;

  always_ff @(posedge clk_i) begin
    if (push) mem[wr_ptr_q] <= in_data_i;
    rdata_q <= mem[rd_ptr_d];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      count_q  <= '0;
      fresh_q  <= 1'b0;
    end else begin
      if (push) wr_ptr_q <= wr_ptr_q == LAST ? '0 : wr_ptr_q + 1'b1;
      rd_ptr_q <= rd_ptr_d;
      count_q  <= count_q + CW'(push) - CW'(pop);
      // The read port returned stale data if it read the slot being written.
      fresh_q  <= !(push && wr_ptr_q == rd_ptr_d);
    end
  end
endmodule
