/* Doubles every weight of row 0 (saturating at 63) and reports the sum in the mailbox. */
#include <nmtwin/fw.h>

static uint8_t row[512] __attribute__((aligned(4)));

int main(void)
{
  uint32_t sum = 0;
  nmtwin_weights_read_row(0, row);
  for (uint32_t n = 0; n < 512; ++n) {
    uint32_t w = row[n] * 2u;
    row[n] = (uint8_t)(w > 63u ? 63u : w);
    sum += row[n];
  }
  nmtwin_weights_write_row(0, row);
  nmtwin_mailbox[0] = sum;
  return 0;
}
