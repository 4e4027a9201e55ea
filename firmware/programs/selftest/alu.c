/* Integer and M-extension instructions on edge values. The operations run in inline
 * assembly, so the compiler cannot fold them. */
#include "selftest.h"

#define RR(op)                                                                   \
  static uint32_t op##_(uint32_t a, uint32_t b)                                  \
  {                                                                              \
    uint32_t r;                                                                  \
    __asm__ volatile(#op " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));             \
    return r;                                                                    \
  }
RR(add) RR(sub) RR(sll) RR(srl) RR(sra) RR(slt) RR(sltu) RR(xor) RR(or) RR(and)
RR(mul) RR(mulh) RR(mulhsu) RR(mulhu) RR(div) RR(divu) RR(rem) RR(remu)

#define MIN 0x80000000u
#define MAX 0x7FFFFFFFu
#define NEG(x) ((uint32_t)0 - (uint32_t)(x))

void test_alu(void)
{
  check("add wraps", add_(MAX, 1), MIN);
  check("sub wraps", sub_(MIN, 1), MAX);
  check("sll by 31", sll_(3, 31), MIN);
  check("sll uses 5 bits", sll_(1, 33), 2);
  check("srl", srl_(MIN, 31), 1);
  check("sra sign", sra_(MIN, 31), 0xFFFFFFFFu);
  check("slt signed", slt_(MIN, 0), 1);
  check("sltu unsigned", sltu_(MIN, 0), 0);
  check("xor/or/and", xor_(0xF0F0F0F0u, 0xFF00FF00u) ^ or_(1, 2) ^ and_(6, 3), 0x0FF00FF0u ^ 3u ^ 2u);
  uint32_t r;
  __asm__ volatile("lui %0, 0xFFFFF" : "=r"(r));
  check("lui", r, 0xFFFFF000u);
  __asm__ volatile("addi %0, zero, -1\n\tsrai %0, %0, 4\n\tsrli %0, %0, 28" : "=r"(r));
  check("addi/srai/srli", r, 0xFu);
  __asm__ volatile("li %0, -5\n\tsltiu %0, %0, -1" : "=r"(r));
  check("sltiu sign-extends", r, 1);
  __asm__ volatile("addi %0, zero, 7\n\tmv t0, %0\n\tadd zero, %0, t0\n\tmv %0, zero" : "=r"(r) : : "t0");
  check("x0 stays 0", r, 0);
  uint32_t here, there;
  __asm__ volatile("1: auipc %0, 0\n\tla %1, 1b" : "=r"(here), "=r"(there));
  check("auipc", here, there);
}

void test_muldiv(void)
{
  check("mul low", mul_(0x12345678u, 0x9ABCDEF0u), 0x242D2080u);
  check("mulh min*min", mulh_(MIN, MIN), 0x40000000u);
  check("mulh -1*-1", mulh_(NEG(1), NEG(1)), 0);
  check("mulhsu -1*max_u", mulhsu_(NEG(1), 0xFFFFFFFFu), 0xFFFFFFFFu);
  check("mulhu max*max", mulhu_(0xFFFFFFFFu, 0xFFFFFFFFu), 0xFFFFFFFEu);
  check("div rounds to 0", div_(NEG(7), 2), NEG(3));
  check("rem sign of dividend", rem_(NEG(7), 2), NEG(1));
  check("divu", divu_(0xFFFFFFFFu, 16), 0x0FFFFFFFu);
  check("remu", remu_(0xFFFFFFFFu, 16), 15);
  check("div by 0", div_(5, 0), 0xFFFFFFFFu);
  check("divu by 0", divu_(5, 0), 0xFFFFFFFFu);
  check("rem by 0", rem_(NEG(5), 0), NEG(5));
  check("remu by 0", remu_(7, 0), 7);
  check("div overflow", div_(MIN, NEG(1)), MIN);
  check("rem overflow", rem_(MIN, NEG(1)), 0);
}
