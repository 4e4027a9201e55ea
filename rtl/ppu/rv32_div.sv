// Iterative RV32M divider (div, divu, rem, remu): restoring division of the
// magnitudes, one quotient bit per cycle, 32 cycles after start_i, then done_o
// holds the result until the next start.  Division by zero gives quotient -1
// and remainder = dividend; -2^31 / -1 gives -2^31 remainder 0 (the ISA's
// results, without a trap).
module rv32_div (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,
  input  logic [1:0]  op_i,  // funct3[1:0]: 00 div, 01 divu, 10 rem, 11 remu
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic        done_o,
  output logic [31:0] result_o
);
  logic [31:0] q_q, r_q, b_q;
  logic [5:0]  count_q;
  logic        busy_q, rem_q, neg_q_q, neg_r_q, neg_b_q, by_zero_q;
  logic        is_signed;
  logic [32:0] shifted;
  logic [32:0] trial;  // shifted - |b|; bit 32: shifted < |b| (r < |b| holds, so it is the borrow)

  assign is_signed = !op_i[0];
  assign shifted   = {r_q, q_q[31]};
  // b_q keeps the divisor as given: a negative one is added (no negator for |b|).
  assign trial     = neg_b_q ? shifted + {1'b1, b_q} : shifted - {1'b0, b_q};

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      count_q <= '0;
    end else if (start_i) begin
      busy_q  <= 1'b1;
      count_q <= 6'd32;
    end else if (count_q != '0) begin
      count_q <= count_q - 1'b1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      q_q       <= (is_signed && a_i[31]) ? -a_i : a_i;
      b_q       <= b_i;
      neg_b_q   <= is_signed && b_i[31];
      r_q       <= '0;
      rem_q     <= op_i[1];
      by_zero_q <= b_i == '0;
      neg_q_q   <= is_signed && (a_i[31] != b_i[31]);
      neg_r_q   <= is_signed && a_i[31];
    end else if (count_q != '0) begin
      q_q <= {q_q[30:0], !trial[32]};
      r_q <= trial[32] ? shifted[31:0] : trial[31:0];
    end
  end

  assign done_o = busy_q && count_q == '0;
  logic [31:0] magnitude;
  logic        negate;
  assign magnitude = rem_q ? r_q : q_q;
  assign negate    = rem_q ? neg_r_q : neg_q_q && !by_zero_q;
  assign result_o  = negate ? -magnitude : magnitude;
endmodule
