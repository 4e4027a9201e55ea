// Register bus: routes executor accesses to the FPGA register block or, over
// the chip link, to the chip, and answers every access exactly once.
//
// Chip accesses occupy one of BUS_SLOTS slots; the slot number is the 4-bit
// id carried by cfg_write / cfg_read and returned by cfg_ack, so acks may come
// back in any order.  A slot that waits longer than bus_timeout cycles fails
// with bus_timeout and stops counting as outstanding, but its id stays "owed"
// until the late ack arrives: that ack is discarded (stale_o) and only then is
// the id reused, so a late answer can never complete a newer access.  If every
// id is owed to a silent chip, chip accesses fail at once with bus_timeout
// instead of blocking the executor.
//
// FPGA-register and routing-table accesses, and accesses that fail at decode
// (unmapped address, partial chip or table write) use a single local entry
// instead of a slot.  The routing table answers on the next cycle like fpga_regs.  Finished
// accesses retire one per cycle: a read or an error produces a response word,
// a successful write retires silently.
module reg_bus (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [31:0] now_i,
  // Accesses from the executor.
  input  logic        req_valid_i,
  output logic        req_ready_o,
  input  logic        req_write_i,
  input  logic [31:0] req_addr_i,
  input  logic [31:0] req_wdata_i,
  input  logic [3:0]  req_be_i,
  input  logic [15:0] req_tag_i,
  input  logic [31:0] req_index_i,
  output logic        busy_o,
  // FPGA register block: answers on the next cycle and holds the answer.
  output logic        fpga_valid_o,
  output logic        fpga_write_o,
  output logic [7:0]  fpga_offset_o,
  output logic [31:0] fpga_wdata_o,
  output logic [3:0]  fpga_be_o,
  input  logic [31:0] fpga_rdata_i,
  input  logic        fpga_error_i,
  input  logic [3:0]  fpga_reason_i,
  input  logic [31:0] timeout_i,
  // Routing table (event_router): answers on the next cycle and holds the answer.
  output logic        tbl_valid_o,
  output logic        tbl_write_o,
  output logic [$clog2(nmtwin_pkg::BUS_TABLE_SIZE)-1:0] tbl_index_o,
  output logic [nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0] tbl_wdata_o,
  input  logic [nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0] tbl_rdata_i,
  // Chip configuration accesses (chip_link).
  output logic        cfg_valid_o,
  input  logic        cfg_ready_i,
  output logic        cfg_write_o,
  output logic [3:0]  cfg_id_o,
  output logic [23:0] cfg_addr_o,
  output logic [31:0] cfg_data_o,
  input  logic        ack_valid_i,
  input  logic [3:0]  ack_id_i,
  input  logic        ack_error_i,
  input  logic [31:0] ack_data_i,
  // Responses (resp_mux).
  output logic        resp_valid_o,
  output logic [63:0] resp_data_o,
  input  logic        resp_ready_i,
  // Counter events.
  output logic        timeout_o,
  output logic        stale_o
);
  localparam int N = nmtwin_pkg::BUS_SLOTS;
  localparam int IW = $clog2(N);

  // Slot state: sent (waiting for the chip), done (answer waiting to retire),
  // owed (an ack with this id is still to come).
  logic [N-1:0]  sent_q, done_q, owed_q, read_q, err_q, tmo_q, free_mask;
  logic [15:0]   tag_q   [0:N-1];
  logic [31:0]   index_q [0:N-1];
  logic [31:0]   start_q [0:N-1];
  logic [31:0]   data_q  [0:N-1];

  // The local entry: an FPGA-register access or an access failed at decode.
  logic          loc_valid_q, loc_fpga_q, loc_tbl_q, loc_read_q;
  logic [3:0]    loc_reason_q;
  logic [15:0]   loc_tag_q;
  logic [31:0]   loc_index_q;

  logic          in_fpga, in_chip, in_tbl, bad_be, have_slot, accept, chip_go, loc_go;
  logic [IW-1:0] free_idx, tmo_idx, ret_idx;
  logic          tmo_any, ret_slot;
  logic          ret_any, ret_read, ret_err, need_out, retire, retire_loc;
  logic [3:0]    ret_reason, loc_fail_reason;
  logic [15:0]   ret_tag;
  logic [31:0]   ret_index, ret_data;
  logic          ack_match;

  assign in_fpga = req_addr_i - nmtwin_pkg::BUS_FPGA_BASE < nmtwin_pkg::BUS_FPGA_SIZE;
  assign in_chip = req_addr_i - nmtwin_pkg::BUS_CHIP_BASE < nmtwin_pkg::BUS_CHIP_SIZE;
  assign in_tbl  = req_addr_i - nmtwin_pkg::BUS_TABLE_BASE < nmtwin_pkg::BUS_TABLE_SIZE;
  // Chip registers and table entries are whole words: a partial write is refused.
  assign bad_be  = (in_chip || in_tbl) && req_write_i && req_be_i != 4'hF;

  // Lowest free slot.  Slot 0 is tested first only to keep the common case
  // cheap to simulate; the result is the same.
  assign free_mask = ~(sent_q | done_q | owed_q);
  always_comb begin
    have_slot = free_mask[0];
    free_idx  = '0;
    if (!free_mask[0]) begin
      for (int i = N - 1; i > 0; i--) begin
        if (free_mask[i]) begin
          have_slot = 1'b1;
          free_idx  = IW'(i);
        end
      end
    end
  end

  // Readiness does not depend on the access itself, only on free resources;
  // with no slot free and none outstanding, the chip is silent and a chip
  // access fails at decode.
  assign req_ready_o = (!loc_valid_q || retire_loc) && cfg_ready_i &&
                       (have_slot || (sent_q == '0 && done_q == '0));
  assign accept  = req_valid_i && req_ready_o;
  assign chip_go = accept && in_chip && !bad_be && have_slot;
  assign loc_go  = accept && !chip_go;

  // Read only for accesses that do not go to fpga_regs, which names its own reason.
  assign loc_fail_reason = !in_chip && !in_tbl ? nmtwin_pkg::ERROR_REASON_UNMAPPED_ADDRESS
                         : bad_be   ? nmtwin_pkg::ERROR_REASON_BAD_OPERAND
                                    : nmtwin_pkg::ERROR_REASON_BUS_TIMEOUT;

  assign fpga_valid_o  = accept && in_fpga;
  assign fpga_write_o  = req_write_i;
  assign fpga_offset_o = 8'(req_addr_i - nmtwin_pkg::BUS_FPGA_BASE);
  assign fpga_wdata_o  = req_wdata_i;
  assign fpga_be_o     = req_be_i;

  assign tbl_valid_o = accept && in_tbl && !bad_be;
  assign tbl_write_o = req_write_i;
  assign tbl_index_o = $bits(tbl_index_o)'(req_addr_i - nmtwin_pkg::BUS_TABLE_BASE);
  assign tbl_wdata_o = req_wdata_i[nmtwin_pkg::ROUTER_ENTRY_VALID_LSB:0];

  assign cfg_valid_o = chip_go;
  assign cfg_write_o = req_write_i;
  assign cfg_id_o    = free_idx;
  assign cfg_addr_o  = 24'(req_addr_i - nmtwin_pkg::BUS_CHIP_BASE);
  assign cfg_data_o  = req_wdata_i;

  // One timeout per cycle; others follow on later cycles.  An ack arriving in
  // the same cycle for the same slot wins (it is applied after the timeout).
  always_comb begin
    tmo_any = 1'b0;
    tmo_idx = '0;
    // The guard is logically redundant; it keeps an idle bus cheap to simulate.
    if (sent_q != '0) begin
      for (int i = N - 1; i >= 0; i--) begin
        if (sent_q[i] && now_i - start_q[i] >= timeout_i) begin
          tmo_any = 1'b1;
          tmo_idx = IW'(i);
        end
      end
    end
  end

  always_comb begin
    ret_slot = 1'b0;
    ret_idx  = '0;
    if (done_q != '0) begin
      for (int i = N - 1; i >= 0; i--) begin
        if (done_q[i]) begin
          ret_slot = 1'b1;
          ret_idx  = IW'(i);
        end
      end
    end
  end

  always_comb begin
    if (ret_slot) begin
      ret_read   = read_q[ret_idx];
      ret_err    = err_q[ret_idx];
      ret_reason = tmo_q[ret_idx] ? nmtwin_pkg::ERROR_REASON_BUS_TIMEOUT
                                  : nmtwin_pkg::ERROR_REASON_CHIP_REJECTED;
      ret_tag    = tag_q[ret_idx];
      ret_index  = index_q[ret_idx];
      ret_data   = data_q[ret_idx];
    end else begin
      ret_read   = loc_read_q;
      ret_err    = loc_fpga_q ? fpga_error_i : !loc_tbl_q;
      ret_reason = loc_fpga_q ? fpga_reason_i : loc_reason_q;
      ret_tag    = loc_tag_q;
      ret_index  = loc_index_q;
      ret_data   = loc_tbl_q ? 32'(tbl_rdata_i) : fpga_rdata_i;
    end
  end

  assign ret_any      = ret_slot || loc_valid_q;
  assign need_out     = ret_err || ret_read;
  assign resp_valid_o = ret_any && need_out;
  assign retire       = ret_any && (!need_out || resp_ready_i);
  assign retire_loc   = retire && !ret_slot;
  assign timeout_o    = retire && ret_err && ret_reason == nmtwin_pkg::ERROR_REASON_BUS_TIMEOUT;

  always_comb begin
    resp_data_o = '0;
    if (!ret_any) begin
      // Nothing to retire: leave the word at zero (and skip building it).
    end else if (ret_err) begin
      resp_data_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_ERROR;
      resp_data_o[nmtwin_pkg::RESP_ERROR_REASON_LSB +: nmtwin_pkg::RESP_ERROR_REASON_WIDTH] = ret_reason;
      resp_data_o[nmtwin_pkg::RESP_ERROR_DETAIL_LSB +: nmtwin_pkg::RESP_ERROR_DETAIL_WIDTH] =
          ret_read ? ret_tag : nmtwin_pkg::RESP_ERROR_DETAIL_WIDTH'(nmtwin_pkg::INSTR_WRITE);
      resp_data_o[nmtwin_pkg::RESP_ERROR_INDEX_LSB +: nmtwin_pkg::RESP_ERROR_INDEX_WIDTH] = ret_index;
    end else begin
      resp_data_o[nmtwin_pkg::RESP_SEL_LSB +: nmtwin_pkg::RESP_SEL_WIDTH] = nmtwin_pkg::RESP_READ_DATA;
      resp_data_o[nmtwin_pkg::RESP_READ_DATA_TAG_LSB +: nmtwin_pkg::RESP_READ_DATA_TAG_WIDTH] = ret_tag;
      resp_data_o[nmtwin_pkg::RESP_READ_DATA_DATA_LSB +: nmtwin_pkg::RESP_READ_DATA_DATA_WIDTH] = ret_data;
    end
  end

  assign ack_match = owed_q[ack_id_i] && sent_q[ack_id_i];
  assign stale_o   = ack_valid_i && !ack_match;
  assign busy_o    = sent_q != '0 || done_q != '0 || loc_valid_q;

  always_ff @(posedge clk_i) begin
    if (chip_go) begin
      tag_q[free_idx]   <= req_tag_i;
      index_q[free_idx] <= req_index_i;
      start_q[free_idx] <= now_i;
    end
    if (ack_valid_i && ack_match) data_q[ack_id_i] <= ack_data_i;
    if (loc_go) begin
      loc_fpga_q   <= in_fpga;
      loc_tbl_q    <= in_tbl && !bad_be;
      loc_read_q   <= !req_write_i;
      loc_reason_q <= loc_fail_reason;
      loc_tag_q    <= req_tag_i;
      loc_index_q  <= req_index_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sent_q      <= '0;
      done_q      <= '0;
      owed_q      <= '0;
      read_q      <= '0;
      err_q       <= '0;
      tmo_q       <= '0;
      loc_valid_q <= 1'b0;
    end else begin
      if (retire && ret_slot) done_q[ret_idx] <= 1'b0;
      if (tmo_any) begin
        sent_q[tmo_idx] <= 1'b0;
        done_q[tmo_idx] <= 1'b1;
        err_q[tmo_idx]  <= 1'b1;
        tmo_q[tmo_idx]  <= 1'b1;
      end
      if (ack_valid_i && owed_q[ack_id_i]) begin
        owed_q[ack_id_i] <= 1'b0;
        if (sent_q[ack_id_i]) begin
          sent_q[ack_id_i] <= 1'b0;
          done_q[ack_id_i] <= 1'b1;
          err_q[ack_id_i]  <= ack_error_i;
          tmo_q[ack_id_i]  <= 1'b0;
        end
      end
      if (chip_go) begin
        sent_q[free_idx] <= 1'b1;
        owed_q[free_idx] <= 1'b1;
        read_q[free_idx] <= !req_write_i;
      end
      if (loc_go)          loc_valid_q <= 1'b1;
      else if (retire_loc) loc_valid_q <= 1'b0;
    end
  end
endmodule
