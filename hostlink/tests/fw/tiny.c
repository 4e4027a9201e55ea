/* A small freestanding program for test_elf: code, read-only data, initialised data,
   .bss and a mailbox variable, linked by tiny.ld into the core's memories. */
int counter = 0x1234567;
const int table[4] = {11, 22, 33, 44};
int zeros[64];
volatile int mailbox_word __attribute__((section(".mailbox")));

__asm__(
    ".section .text.start, \"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "  li sp, 0x14000\n"
    "  call main\n"
    "halt:\n"
    "  j halt\n");

static int __attribute__((noinline)) scale(int x) { return x * table[x & 3] + counter; }

int main(void) {
  for (int i = 0; i < 64; ++i) zeros[i] += scale(i);
  mailbox_word = zeros[3];
  return 0;
}
