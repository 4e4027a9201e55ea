// System time in FPGA clock cycles (8 ns at 125 MHz): counts up, and is loaded
// with a preset when the global interrupt fires (systime sync, see gi_unit).
module systime (
  input  logic                                clk_i,
  input  logic                                rst_ni,
`ifndef SYNTHESIS
  /*verilator tracing_off*/  // warp signals stay out of waveforms
  input  logic [31:0]                         warp_i,     // simulation only: see nmtwin_top
  /*verilator tracing_on*/
`endif
  input  logic                                load_i,
  input  logic [nmtwin_pkg::SYSTIME_BITS-1:0] preset_i,
  output logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_o
);
  always_ff @(posedge clk_i) begin
    if (!rst_ni)     systime_o <= '0;
    else if (load_i) systime_o <= preset_i;
`ifdef SYNTHESIS
    else             systime_o <= systime_o + 1'b1;
`else
    else             systime_o <= systime_o + nmtwin_pkg::SYSTIME_BITS'(warp_i) + 1'b1;
`endif
  end
endmodule
