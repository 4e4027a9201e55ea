// Timestamp delay buffer of one split (docs/multichip.md).
//
// An event (destination label, 16-bit deadline) arriving on cycle t with
// d = deadline - systime[15:0] (16-bit signed):
//   - d < 1: expired, dropped and counted (it must arrive a cycle before its deadline);
//   - no free entry: dropped and counted;
//   - else kept, and offered to the chip on the cycle systime[15:0] == deadline.
// With forward-immediately set the deadline is ignored: the event is offered on
// t + 1.  One event leaves a cycle; of several due on one cycle the lowest entry
// goes first and the others follow on the next cycles.
module delay_buffer #(
  parameter int DEPTH = nmtwin_pkg::NET_DELAY_BUFFER_DEPTH
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [nmtwin_pkg::NET_DEADLINE_BITS-1:0] systime_i,
  input  logic        forward_i,        // forward immediately
  input  logic        in_valid_i,       // always taken: kept or dropped and counted
  input  logic [nmtwin_pkg::NET_EVENT_LABEL_WIDTH-1:0] in_label_i,
  input  logic [nmtwin_pkg::NET_DEADLINE_BITS-1:0] in_deadline_i,
  output logic        out_valid_o,
  input  logic        out_ready_i,
  output logic [nmtwin_pkg::NET_EVENT_LABEL_WIDTH-1:0] out_label_o,
  // Counter events and status.
  output logic        released_o,
  output logic        expired_o,
  output logic        full_o,
  output logic        idle_o
);
  localparam int IW = $clog2(DEPTH);

  logic [DEPTH-1:0] valid_q;
  logic [nmtwin_pkg::NET_EVENT_LABEL_WIDTH-1:0] label_q [0:DEPTH-1];
  logic [nmtwin_pkg::NET_DEADLINE_BITS-1:0] deadline_q [0:DEPTH-1];

  logic          have_free, have_due, insert, expired;
  logic [IW-1:0] free_idx, due_idx;
  logic [nmtwin_pkg::NET_DEADLINE_BITS-1:0] ahead, deadline;

  assign deadline = forward_i ? systime_i + 1'b1 : in_deadline_i;
  assign ahead    = deadline - systime_i;
  assign expired  = ahead == '0 || ahead[15];
  assign insert   = in_valid_i && !expired && have_free;
  assign expired_o = in_valid_i && expired;
  assign full_o    = in_valid_i && !expired && !have_free;

  // Lowest free and lowest due entry; the scan is skipped while the buffer is empty.
  always_comb begin
    have_free = 1'b0;
    free_idx  = '0;
    have_due  = 1'b0;
    due_idx   = '0;
    // The scans run only when they can matter: they cost simulation time every cycle.
    if (in_valid_i) begin
      for (int i = DEPTH - 1; i >= 0; i--) begin
        if (!valid_q[i]) begin
          have_free = 1'b1;
          free_idx  = IW'(i);
        end
      end
    end
    if (valid_q != '0) begin
      for (int i = DEPTH - 1; i >= 0; i--) begin
        // Due: the deadline is now or (after a busy cycle) just past.
        if (valid_q[i] && $signed(systime_i - deadline_q[i]) >= 0) begin
          have_due = 1'b1;
          due_idx  = IW'(i);
        end
      end
    end
  end

  assign out_valid_o = have_due;
  assign out_label_o = label_q[due_idx];
  assign released_o  = have_due && out_ready_i;
  assign idle_o      = valid_q == '0;

  always_ff @(posedge clk_i) begin
    if (insert) begin
      label_q[free_idx]    <= in_label_i;
      deadline_q[free_idx] <= deadline;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) valid_q <= '0;
    else begin
      if (released_o) valid_q[due_idx] <= 1'b0;
      if (insert) valid_q[free_idx] <= 1'b1;
    end
  end
endmodule
