/* Firmware's view of the spec: the C99 header compiles on its own and its
 * accessors and X-macro tables expand to valid C. */
#include "nmtwin/nmtwin_regs.h"

#define NMTWIN_ADDR_OF(reg, REG, addr, count, stride) (void)(addr + count * stride);
#define NMTWIN_FIELD_OF(reg, field, REG, FIELD) (void)nmtwin_##reg##_##field##_set(0u, 1u);

nmtwin_u32 nmtwin_regs_compiles(void);
nmtwin_u32 nmtwin_regs_compiles(void) {
  NMTWIN_FPGA_REGISTERS(NMTWIN_ADDR_OF)
  NMTWIN_FPGA_FIELDS(NMTWIN_FIELD_OF)
  return nmtwin_bucket_dest_dest_set(0u, 7u) | nmtwin_reg_bucket_dest(3u) |
         nmtwin_chip_neuron_output_enable_set(0u, 1u);
}
