// Event router (docs/multichip.md): looks every event up in the routing table of
// its split and hands hits to the buckets; misses are dropped and counted.
//
// Label bit 14 selects the split, bits 13:0 the table entry (layout router_entry:
// valid, bucket, destination label).  The table is one block RAM of
// splits x router_entries entries of router_entry (valid its top bit), two ports: lookups read on port A, the register bus
// reads and writes on port B (answer on the next cycle, held until the next bus
// access).  It starts all zero, i.e. every entry invalid.
//
// Timing: an event accepted on cycle t is looked up on t; on t + 1 it is offered
// to the buckets (hit) or dropped and counted (miss).  An event of a disabled
// split is dropped and counted on t without a lookup.  One event a cycle.
module event_router (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [1:0]  enable_i,       // router_enable: bit s for split s
  // Events from the event switch.
  input  logic        evt_valid_i,
  output logic        evt_ready_o,
  input  logic [14:0] evt_label_i,    // chip label bits 14:0 (bit 15 is not routed)
  // Routed events to the buckets.
  output logic        out_valid_o,
  input  logic        out_ready_i,
  output logic [2:0]  out_bucket_o,
  output logic        out_split_o,
  output logic [13:0] out_label_o,
  // Table access from the register bus.
  input  logic        tbl_valid_i,
  input  logic        tbl_write_i,
  input  logic [$clog2(nmtwin_pkg::BUS_TABLE_SIZE)-1:0] tbl_index_i,    // split * router_entries + source label
  input  logic [nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0] tbl_wdata_i,
  output logic [nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0] tbl_rdata_o,
  // Counter events.
  output logic        routed_o,
  output logic        loss_disabled_o,
  output logic        loss_invalid_o
);
  localparam int VALID  = nmtwin_pkg::ROUTER_ENTRY_VALID_LSB;
  localparam int BUCKET = nmtwin_pkg::ROUTER_ENTRY_BUCKET_LSB;
  localparam int LABEL  = nmtwin_pkg::ROUTER_ENTRY_LABEL_LSB;

  logic [nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0] table_q [0:nmtwin_pkg::NET_SPLITS*nmtwin_pkg::NET_ROUTER_ENTRIES-1];
  logic [nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0] entry_q;
  logic        s1_valid_q, s1_split_q;
  logic        split, lookup, take, hit;

  assign split = evt_label_i[14];
  assign hit   = s1_valid_q && entry_q[VALID];
  // Stage 1 frees up when its event leaves (a miss leaves at once).
  assign evt_ready_o = !s1_valid_q || !hit || out_ready_i;
  assign take   = evt_valid_i && evt_ready_o;
  assign lookup = take && enable_i[split];

  assign out_valid_o  = hit;
  assign out_bucket_o = entry_q[BUCKET +: 3];
  assign out_label_o  = entry_q[LABEL +: 14];
  assign out_split_o  = s1_split_q;

  assign routed_o        = hit && out_ready_i;
  assign loss_invalid_o  = s1_valid_q && !entry_q[VALID];
  assign loss_disabled_o = take && !enable_i[split];

  // Port A: lookups.  The read register holds while the event waits for the buckets.
  always_ff @(posedge clk_i) begin
    if (lookup) entry_q <= table_q[{split, evt_label_i[13:0]}];
  end

  // Port B: the register bus.
  always_ff @(posedge clk_i) begin
    if (tbl_valid_i) begin
      if (tbl_write_i) table_q[tbl_index_i] <= tbl_wdata_i;
      tbl_rdata_o <= table_q[tbl_index_i];
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s1_split_q <= 1'b0;
    end else if (evt_ready_o) begin
      s1_valid_q <= lookup;
      s1_split_q <= split;
    end
  end
endmodule
