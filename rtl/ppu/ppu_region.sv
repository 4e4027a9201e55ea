// Whether an address lies in [BASE, BASE + BYTES), decoded from the bits that
// matter: when BASE is aligned to the power of two that holds BYTES (as every
// region of the PPU's maps is), the bits above it compare for equality with
// BASE and, for a size that is not a power of two, the bits below with BYTES;
// a misaligned BASE falls back to the two full comparisons.  (Full-width
// comparisons against constants cost a carry chain and a LUT a bit each.)
module ppu_region #(
  parameter int          AW = 32,
  parameter logic [AW:0] BASE = '0,
  parameter logic [AW:0] BYTES = 1,
  localparam int         SPAN_BITS = $clog2(BYTES)
) (
  input  logic [AW-1:0] addr_i,
  output logic          hit_o
);
  localparam logic [AW:0] SPAN = (AW+1)'(1) << SPAN_BITS;
  localparam logic [AW:0] LOW = SPAN - 1'b1;
  localparam bit ALIGNED = (BASE & LOW) == '0;
  localparam bit POWER_OF_TWO = BYTES == SPAN;

  if (ALIGNED) begin : g_aligned
    logic high_ok, low_ok;
    assign high_ok = ({1'b0, addr_i} & ~LOW) == BASE;
    assign low_ok  = POWER_OF_TWO || ({1'b0, addr_i} & LOW) < BYTES;
    assign hit_o   = high_ok && low_ok;
  end else begin : g_full
    assign hit_o = {1'b0, addr_i} >= BASE && {1'b0, addr_i} < BASE + BYTES;
  end
endmodule
