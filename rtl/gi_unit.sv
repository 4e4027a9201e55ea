// Global interrupt unit (docs/multichip.md "Global interrupt and systime sync").
//
// An interrupt reaches this FPGA on cycle t, from the network (gi_i) or, on the root,
// by the register write that sends it (send_i, which also drives gi_o on t).  It
// fires on cycle t + 1 + gi_delay: fire_o pulses, and with gi_mode bit 0 systime is
// loaded with the preset, so that systime_o reads preset on t + 2 + gi_delay.  A new
// interrupt before the firing restarts the count.
//
// Latency measurement: measure_i starts it and sends a pulse to the link partner
// (meas_o); the cycles until the partner's reflection returns (meas_i) are the
// result (16 bit, saturating).  A measurement pulse from the partner while none of
// ours runs is reflected on the next cycle.
module gi_unit (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        send_i,
  input  logic        measure_i,
  input  logic [nmtwin_pkg::REG_GI_DELAY_BITS-1:0] delay_i,
  input  logic        mode_i,
  // Network side.
  input  logic        gi_i,
  output logic        gi_o,
  input  logic        meas_i,
  output logic        meas_o,
  // Effects.
  output logic        fire_o,
  output logic        load_o,            // load systime with the preset this cycle
  output logic [nmtwin_pkg::REG_GI_MEASURE_BITS-1:0] measured_o,
  output logic        idle_o
);
  logic        counting_q, measuring_q, reflect_q;
  logic [nmtwin_pkg::REG_GI_DELAY_BITS-1:0] count_q;
  logic [nmtwin_pkg::REG_GI_MEASURE_BITS-1:0] meas_q;

  assign gi_o   = send_i;
  assign fire_o = counting_q && count_q == '0;
  assign load_o = fire_o && mode_i;
  assign meas_o = (measure_i && !measuring_q) || reflect_q;
  assign idle_o = !counting_q && !measuring_q && !reflect_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      counting_q  <= 1'b0;
      count_q     <= '0;
      measuring_q <= 1'b0;
      meas_q      <= '0;
      measured_o  <= '0;
      reflect_q   <= 1'b0;
    end else begin
      if (gi_i || send_i) begin
        counting_q <= 1'b1;
        count_q    <= delay_i;
      end else if (counting_q) begin
        if (count_q == '0) counting_q <= 1'b0;
        else count_q <= count_q - 1'b1;
      end
      reflect_q <= meas_i && !measuring_q;
      if (measure_i && !measuring_q) begin
        measuring_q <= 1'b1;
        meas_q      <= 1;
      end else if (measuring_q) begin
        if (meas_i) begin
          measuring_q <= 1'b0;
          measured_o  <= meas_q;
        end else if (meas_q != '1) begin
          meas_q <= meas_q + 1'b1;
        end
      end
    end
  end
endmodule
