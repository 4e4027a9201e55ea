// Event switch (docs/multichip.md): the chip input and the router input of the
// inter-chip spike path, both gated by the executor's spike instructions.
//
// Router input: chip output spikes (event_source bit chip) and the labels of an
// executor spike instruction (bit executor), one a cycle, chip spikes first.  A
// chip spike goes to the router and to the response merger in the same cycle; it
// waits while the router cannot take it, but never for the host: when the
// merger's spike queue is full (the host takes no responses: gone, or its ARQ
// window full) the host's copy is dropped and reported on host_drop_o (counter
// spikes_to_host_dropped), so a stalled host neither holds back the network nor
// the chip's register answers queued behind its spikes.  The labels of an
// instruction are queued on the cycle the chip takes it and offered from the
// next cycle in the order label0, label1, label2; label bit 15 is not routed.
//
// Chip input: the executor's spikes and syncs first, then network events.  An
// executor instruction waits while the labels of the previous one are still
// queued (the queue holds one instruction); network events go meanwhile.
module event_switch (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [nmtwin_pkg::REG_EVENT_SOURCE_BITS-1:0] event_source_i,
  // Spike and sync instructions from the executor.
  input  logic        ex_spikes_valid_i,
  input  logic [1:0]  ex_spikes_count_i,
  input  logic [47:0] ex_spikes_labels_i,
  input  logic        ex_sync_valid_i,
  output logic        ex_ready_o,
  // Network events from the receive path.
  input  logic        net_valid_i,
  output logic        net_ready_o,
  input  logic [15:0] net_label_i,
  // Chip input (chip_link events).
  output logic        chip_spikes_valid_o,
  output logic [1:0]  chip_spikes_count_o,
  output logic [47:0] chip_spikes_labels_o,
  output logic        chip_sync_valid_o,
  input  logic        chip_ready_i,
  // Chip output spikes (chip_link) on their way to the response merger.
  input  logic        spike_valid_i,
  input  logic [63:0] spike_data_i,
  output logic        spike_ready_o,
  output logic        resp_valid_o,
  output logic [63:0] resp_data_o,
  input  logic        resp_ready_i,
  output logic        host_drop_o,
  // Events to the router.
  output logic        evt_valid_o,
  output logic [14:0] evt_label_o,
  input  logic        evt_ready_i,
  // No labels queued or offered.
  output logic        idle_o
);
  localparam int CHIP     = nmtwin_pkg::REG_EVENT_SOURCE_CHIP_LSB;
  localparam int EXECUTOR = nmtwin_pkg::REG_EVENT_SOURCE_EXECUTOR_LSB;

  logic [1:0]  count_q;      // labels still queued behind label0_q
  logic [29:0] labels_q;     // labels 1 and 2 of the instruction, bits 14:0 each
  logic [14:0] label0_q;     // the label offered next
  logic        pending_q;
  logic        ex_present, ex_take, spike_gate, chip_spike_taken;

  assign ex_present           = (ex_spikes_valid_i || ex_sync_valid_i) && !pending_q;
  assign chip_spikes_valid_o  = ex_present ? ex_spikes_valid_i : net_valid_i;
  assign chip_spikes_count_o  = ex_present ? ex_spikes_count_i : 2'd1;
  assign chip_spikes_labels_o = ex_present ? ex_spikes_labels_i : {32'd0, net_label_i};
  assign chip_sync_valid_o    = ex_present && ex_sync_valid_i;
  assign ex_ready_o           = chip_ready_i && !pending_q;
  assign net_ready_o          = chip_ready_i && !ex_present;
  assign ex_take              = ex_spikes_valid_i && ex_ready_o && event_source_i[EXECUTOR];

  assign spike_gate       = !event_source_i[CHIP] || evt_ready_i;
  assign resp_valid_o     = spike_valid_i && spike_gate;
  assign resp_data_o      = spike_data_i;
  assign spike_ready_o    = spike_gate;
  assign host_drop_o      = resp_valid_o && !resp_ready_i;
  assign chip_spike_taken = spike_valid_i && spike_ready_o && event_source_i[CHIP];

  assign evt_valid_o = chip_spike_taken || pending_q;
  assign evt_label_o = chip_spike_taken ? spike_data_i[nmtwin_pkg::RESP_SPIKE_LABEL_LSB +: 15] : label0_q;
  assign idle_o      = !evt_valid_o;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      pending_q <= 1'b0;
      count_q   <= '0;
      labels_q  <= '0;
      label0_q  <= '0;
    end else if (ex_take) begin
      pending_q <= 1'b1;
      label0_q  <= ex_spikes_labels_i[14:0];
      labels_q  <= {ex_spikes_labels_i[46:32], ex_spikes_labels_i[30:16]};
      count_q   <= ex_spikes_count_i - 1'b1;
    end else if (pending_q && !chip_spike_taken && evt_ready_i) begin
      pending_q <= count_q != '0;
      label0_q  <= labels_q[14:0];
      labels_q  <= {15'd0, labels_q[29:15]};
      count_q   <= count_q - 1'b1;
    end
  end
endmodule
