"""Writes an assembly file of random 32-bit words for test_riscv: objdump disassembles
them at build time and the test compares nmtwin::riscv::disassemble word by word.

The fields are biased towards the encodings the core implements (its opcodes, funct7
values, system words and CSR addresses) so that most words are instructions and the
rest probe the edges of the decoder. CSR addresses are the core's or custom ones
(0x7c0..0x7ff) that objdump prints as numbers, as the disassembler does for any CSR
the core does not implement. usage: random_words.py OUT.S COUNT SEED
"""
import random
import sys

OPCODES = [0x37, 0x17, 0x6F, 0x67, 0x63, 0x03, 0x23, 0x13, 0x33, 0x0F, 0x73]
CSRS = [0x300, 0x301, 0x304, 0x305, 0x340, 0x341, 0x342, 0x343, 0x344, 0xB00, 0xB02, 0xB80, 0xB82, 0xF11, 0xF12,
        0xF13, 0xF14, 0xC00, 0xC02, 0xC80, 0xC82]
SYSTEM = [0x000, 0x001, 0x302, 0x105]


def word(r: random.Random) -> int:
    opcode = r.choice(OPCODES)
    w = (r.getrandbits(25) << 7) | opcode
    if opcode in (0x13, 0x33) and r.random() < 0.8:
        w = (w & 0x01FFFFFF) | (r.choice([0x00, 0x01, 0x20]) << 25)
    elif opcode == 0x73:
        if r.random() < 0.3:  # ecall, ebreak, mret, wfi, mostly well-formed
            fields = 0 if r.random() < 0.8 else w & 0x000F8F80  # rd, rs1; funct3 stays 0
            w = (r.choice(SYSTEM) << 20) | fields | 0x73
        else:
            csr = r.choice(CSRS) if r.random() < 0.8 else r.randrange(0x7C0, 0x800)
            w = (csr << 20) | (w & 0x000FFF80) | 0x73
    elif opcode == 0x0F and r.random() < 0.8:
        w = (r.choice([0x0, 0x8]) << 28) | (r.getrandbits(8) << 20) | (r.choice([0, 1]) << 12) | 0x0F
    return w


def main() -> None:
    out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(seed)
    with open(out, "w", encoding="ascii") as f:
        f.write("  .text\n")
        for _ in range(count):
            f.write(f"  .insn 4, 0x{word(r):08x}\n")


if __name__ == "__main__":
    main()
