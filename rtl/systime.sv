// Free-running system time in FPGA clock cycles (8 ns at 125 MHz).
module systime (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  output logic [nmtwin_pkg::SYSTIME_BITS-1:0] systime_o
);
  always_ff @(posedge clk_i) begin
    if (!rst_ni) systime_o <= '0;
    else         systime_o <= systime_o + 1'b1;
  end
endmodule
