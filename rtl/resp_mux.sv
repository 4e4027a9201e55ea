// Merges the four response sources into the host response stream.
//
// Each source has its own FIFO, so a stalled host stalls the executor and the
// register bus instead of losing words (the spike source, event_switch, drops
// and counts a spike its full queue cannot take; a sample its queue cannot take
// is dropped, counted by the core); words of one source leave in order.  The
// executor, the register bus and the spikes take turns (round robin) for the
// registered output; samples go only when none of them has a word, so spikes
// and answers never wait for samples and an overloaded path drops samples
// first.  A halt echo additionally waits until every spike and every sample
// that was queued or offered when the halt arrived has left, so spikes and
// samples already inside the FPGA precede the end-of-program marker without a
// steady stream being able to hold the halt back forever; and since it then
// goes before any sample, every sample ahead of a halt echo was taken before
// the halt executed (the host extends sample systimes on that, docs/protocol.md).
module resp_mux #(
  parameter int EXEC_DEPTH  = 4,
  parameter int BUS_DEPTH   = 8,
  parameter int SPIKE_DEPTH = 16,
  parameter int SAMPLE_DEPTH = 32
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        exec_valid_i,
  input  logic [63:0] exec_data_i,
  output logic        exec_ready_o,
  input  logic        bus_valid_i,
  input  logic [63:0] bus_data_i,
  output logic        bus_ready_o,
  input  logic        spike_valid_i,
  input  logic [63:0] spike_data_i,
  output logic        spike_ready_o,
  input  logic        sample_valid_i,
  input  logic [63:0] sample_data_i,
  output logic        sample_ready_o,
  output logic        resp_valid_o,
  output logic [63:0] resp_data_o,
  input  logic        resp_ready_i,
  // Status for the executor's halt rule and the top-level idle flag.
  output logic        exec_empty_o,
  output logic        bus_empty_o,
  output logic        idle_o,
  // Counter events.
  output logic        sent_o,
  output logic        error_o
);
  localparam int SCW = $clog2(SPIKE_DEPTH + 1);
  localparam int MCW = $clog2(SAMPLE_DEPTH + 1);

  logic [3:0]  head_valid, eligible, grant, pop;
  logic [63:0] exec_head, bus_head, spike_head, sample_head;
  logic [$clog2(EXEC_DEPTH + 1)-1:0] exec_count;
  logic [$clog2(BUS_DEPTH + 1)-1:0]  bus_count;
  logic [SCW-1:0] spike_count, halt_wait_q;
  logic [MCW-1:0] sample_count, halt_samples_q;
  logic [1:0]  last_q;
  logic        load, exec_halt;

  sync_fifo #(.WIDTH(64), .DEPTH(EXEC_DEPTH)) u_exec (
    .clk_i, .rst_ni,
    .in_valid_i(exec_valid_i), .in_data_i(exec_data_i), .in_ready_o(exec_ready_o),
    .out_valid_o(head_valid[0]), .out_data_o(exec_head), .out_ready_i(pop[0]),
    .count_o(exec_count)
  );
  sync_fifo #(.WIDTH(64), .DEPTH(BUS_DEPTH)) u_bus (
    .clk_i, .rst_ni,
    .in_valid_i(bus_valid_i), .in_data_i(bus_data_i), .in_ready_o(bus_ready_o),
    .out_valid_o(head_valid[1]), .out_data_o(bus_head), .out_ready_i(pop[1]),
    .count_o(bus_count)
  );
  sync_fifo #(.WIDTH(64), .DEPTH(SPIKE_DEPTH)) u_spike (
    .clk_i, .rst_ni,
    .in_valid_i(spike_valid_i), .in_data_i(spike_data_i), .in_ready_o(spike_ready_o),
    .out_valid_o(head_valid[2]), .out_data_o(spike_head), .out_ready_i(pop[2]),
    .count_o(spike_count)
  );
  sync_fifo #(.WIDTH(64), .DEPTH(SAMPLE_DEPTH)) u_sample (
    .clk_i, .rst_ni,
    .in_valid_i(sample_valid_i), .in_data_i(sample_data_i), .in_ready_o(sample_ready_o),
    .out_valid_o(head_valid[3]), .out_data_o(sample_head), .out_ready_i(pop[3]),
    .count_o(sample_count)
  );

  assign load = !resp_valid_o || resp_ready_i;

  // Round robin: the source after the last one granted goes first; samples
  // when no other source is eligible.  A queued halt echo is not eligible while
  // earlier spikes or samples are still queued.
  assign eligible = {head_valid[3:1], head_valid[0] && halt_wait_q == '0 && halt_samples_q == '0};
  always_comb begin
    grant = '0;
    unique case (last_q)
      2'd0:    if (eligible[1]) grant[1] = 1'b1; else if (eligible[2]) grant[2] = 1'b1; else grant[0] = eligible[0];
      2'd1:    if (eligible[2]) grant[2] = 1'b1; else if (eligible[0]) grant[0] = 1'b1; else grant[1] = eligible[1];
      default: if (eligible[0]) grant[0] = 1'b1; else if (eligible[1]) grant[1] = 1'b1; else grant[2] = eligible[2];
    endcase
    grant[3] = eligible[3] && eligible[2:0] == '0;
  end
  assign pop = load ? grant : 4'b0000;

  assign exec_halt = exec_valid_i && exec_ready_o &&
      exec_data_i[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] == nmtwin_pkg::RESP_HALT;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      resp_valid_o <= 1'b0;
      resp_data_o  <= '0;
      last_q       <= 2'd2;
      halt_wait_q  <= '0;
      halt_samples_q <= '0;
    end else begin
      if (load) begin
        resp_valid_o <= grant != '0;
        if (grant[0]) begin resp_data_o <= exec_head;  last_q <= 2'd0; end
        if (grant[1]) begin resp_data_o <= bus_head;   last_q <= 2'd1; end
        if (grant[2]) begin resp_data_o <= spike_head; last_q <= 2'd2; end
        if (grant[3]) resp_data_o <= sample_head;
      end
      // The executor only sends a halt once its queue is empty, so one count
      // suffices.  A spike pushed in the halt's cycle is counted too (one
      // offered to a full queue is dropped by the source, not waited for).
      if (exec_halt)
        halt_wait_q <= spike_count - SCW'(pop[2]) + SCW'(spike_valid_i && spike_ready_o);
      else if (pop[2] && halt_wait_q != '0)
        halt_wait_q <= halt_wait_q - 1'b1;
      if (exec_halt)
        halt_samples_q <= sample_count - MCW'(pop[3]) + MCW'(sample_valid_i && sample_ready_o);
      else if (pop[3] && halt_samples_q != '0)
        halt_samples_q <= halt_samples_q - 1'b1;
    end
  end

  assign exec_empty_o = exec_count == '0;
  assign bus_empty_o  = bus_count == '0;
  assign idle_o       = exec_empty_o && bus_empty_o && spike_count == '0 && sample_count == '0 && !resp_valid_o;
  assign sent_o  = resp_valid_o && resp_ready_i;
  assign error_o = sent_o &&
      resp_data_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] == nmtwin_pkg::RESP_ERROR;
endmodule
