"""The C99 header for firmware (nmtwin/nmtwin_regs.h): #defines and static inline
accessors, no C++.  X-macro tables (NMTWIN_FPGA_FIELDS and friends) list every
register field and counter so a program can walk them without data in the header."""
from .model import FAMILIES, clog2, counter_blocks
from .sv import ident
from . import ppu


def u(v):
    return f"{v:#x}u" if v > 9 else f"{v}u"


def accessors(prefix, fn, fields, word_bits=32):
    """LSB / WIDTH / MASK defines and get / set functions of the fields of one word."""
    t = "nmtwin_u32" if word_bits <= 32 else "nmtwin_u64"
    suffix = "u" if word_bits <= 32 else "ull"
    out = []
    for f in fields:
        P, n = f"{prefix}_{ident(f['name'])}", f"{fn}_{f['name']}"
        m = ((1 << f["width"]) - 1) << f["lsb"]
        out.append(f"#define {P}_LSB {f['lsb']}u")
        out.append(f"#define {P}_WIDTH {f['width']}u")
        out.append(f"#define {P}_MASK {m:#x}{suffix}")
        if "reset" in f:
            out.append(f"#define {P}_RESET {u(f['reset'])}")
        out.append(f"static inline {t} {n}_get({t} word) {{ return (word & {P}_MASK) >> {P}_LSB; }}")
        out.append(f"static inline {t} {n}_set({t} word, {t} v) {{ "
                   f"return (word & ~({t}){P}_MASK) | ((v << {P}_LSB) & {P}_MASK); }}")
    return out


def c_header(spec):
    m, bus, net = spec["meta"], spec["bus"], spec["net"]
    out = ["/* Generated from spec/nmtwin.toml by spec/gen.py. Do not edit.",
           " * Registers, word formats and constants of nmtwin for C99 firmware. */",
           "#ifndef NMTWIN_REGS_H", "#define NMTWIN_REGS_H", "",
           "/* Fixed-width types without a C library (firmware is built with -nostdlib): the",
           " * compiler's own names, the same types as <stdint.h>'s uint32_t and uint64_t. */",
           "#if !defined(__UINT32_TYPE__) || !defined(__UINT64_TYPE__)",
           "#error \"nmtwin_regs.h needs GCC or Clang (__UINT32_TYPE__); define nmtwin_u32/nmtwin_u64 for another compiler\"",
           "#endif",
           "typedef __UINT32_TYPE__ nmtwin_u32;", "typedef __UINT64_TYPE__ nmtwin_u64;", "",
           f"#define NMTWIN_SPEC_VERSION \"{m['version']}\"",
           f"#define NMTWIN_CLOCK_MHZ {m['clock_mhz']}u",
           f"#define NMTWIN_CYCLE_NS {m['cycle_ns']}u",
           f"#define NMTWIN_CYCLE_PS {m['cycle_ps']}u",
           f"#define NMTWIN_SYSTIME_BITS {m['systime_bits']}u",
           f"#define NMTWIN_SPEEDUP {m['speedup']}u"]
    for k, v in spec["timing"].items():
        out.append(f"#define NMTWIN_TIMING_{k.upper()} {u(v)}")
    for k, v in bus.items():
        out.append(f"#define NMTWIN_BUS_{k.upper()} {v:#010x}u")
    for k, v in net.items():
        if not isinstance(v, list):
            out.append(f"#define NMTWIN_NET_{k.upper()} {u(v)}")
    out.append(f"#define NMTWIN_NET_LINK_SEQ_HALF {u(net['link_seq_space'] // 2)}")
    for k, v in spec["arq"].items():
        if not isinstance(v, list):
            out.append(f"#define NMTWIN_ARQ_{k.upper()} {u(v)}")
    out.append("")
    for e in spec["enum"]:
        for v in e["values"]:
            out.append(f"#define NMTWIN_{e['name'].upper()}_{v['name'].upper()} {v['value']}u")
    out.append("")
    for key, prefix, _, _ in FAMILIES:
        fam = spec[key]
        out.append(f"/* {key} words */")
        out += accessors(f"NMTWIN_{prefix}", f"nmtwin_{key}", [dict(fam["selector"], name="sel")], 64)
        for w in fam["word"]:
            out.append(f"#define NMTWIN_{prefix}_{ident(w['name'])} {u(w['code'])}")
        for w in fam["word"] + fam.get("data", []):
            out += accessors(f"NMTWIN_{prefix}_{ident(w['name'])}", f"nmtwin_{key}_{w['name']}", w["fields"], 64)
        out.append("")
    for lay in spec.get("layout", []):
        out.append(f"/* layout {lay['name']} */")
        out += accessors(f"NMTWIN_{ident(lay['name'])}", f"nmtwin_{lay['name']}", lay["fields"], lay["width"])
    out.append("")
    out += registers(spec)
    out += chip(spec)
    out += [""] + ppu.c_lines(spec, u, ident)
    out += ["#endif /* NMTWIN_REGS_H */", ""]
    return "\n".join(out)


def registers(spec):
    out = ["/* FPGA registers: word addresses on the register bus. */"]
    xf, xr = [], []
    for r in spec["fpga_register"]:
        R = f"NMTWIN_REG_{ident(r['name'])}"
        out.append(f"/* {r['name']} ({r['access']}): {r['doc']} */")
        if "count" in r:
            out.append(f"#define {R}_COUNT {r['count']}u")
            out.append(f"#define {R}_STRIDE {r['stride']}u")
            out.append(f"static inline nmtwin_u32 nmtwin_reg_{r['name']}(nmtwin_u32 i) "
                       f"{{ return NMTWIN_BUS_FPGA_BASE + {u(r['addr'])} + i * {R}_STRIDE; }}")
        out.append(f"#define {R} (NMTWIN_BUS_FPGA_BASE + {u(r['addr'])})")
        if "reset" in r:
            out.append(f"#define {R}_RESET {r['reset'] & 0xFFFFFFFF:#x}u")
        out += accessors(R, f"nmtwin_{r['name']}", r["fields_"])
        xr.append(f"  X({r['name']}, {ident(r['name'])}, {u(r['addr'])}, {r.get('count', 1)}u, {r.get('stride', 1)}u) \\")
        for f in r["fields_"]:
            xf.append(f"  X({r['name']}, {f['name']}, {ident(r['name'])}, {ident(f['name'])}) \\")
    out.append("/* X(name, NAME, addr, count, stride) for every FPGA register. */")
    out += ["#define NMTWIN_FPGA_REGISTERS(X) \\"] + xr + ["  /* end */"]
    out.append("/* X(register, field, REGISTER, FIELD) for every FPGA register field. */")
    out += ["#define NMTWIN_FPGA_FIELDS(X) \\"] + xf + ["  /* end */", ""]
    c32, c48 = spec["counters32"], spec["counters48"]
    out.append("/* Counters by index (see docs/registers.md). */")
    out.append(f"#define NMTWIN_COUNT32_N {len(c32)}u")
    out.append(f"#define NMTWIN_COUNT48_N {len(c48)}u")
    for tag, lst in (("32", c32), ("48", c48)):
        for e in lst:
            out.append(f"#define NMTWIN_CNT{tag}_{ident(e['name'])} {e['index']}u")
        out.append(f"/* X(index, address) of every {tag}-bit counter. */")
        out += [f"#define NMTWIN_COUNTERS{tag}(X) \\"] + [f"  X({e['index']}u, {u(e['addr'])}) \\" for e in lst]
        out.append("  /* end */")
    for block, (first, n) in counter_blocks(c32).items():
        out.append(f"#define NMTWIN_COUNT32_{ident(block)}_FIRST {first}u")
        out.append(f"#define NMTWIN_COUNT32_{ident(block)}_N {n}u")
    loss = sum(1 << e["index"] for e in c48 if e["loss"])
    out.append(f"#define NMTWIN_COUNT48_LOSS_MASK {loss:#x}ull")
    out.append(f"#define NMTWIN_FPGA_OFFSET_BITS {clog2(spec['bus']['fpga_size'])}u")
    out.append("")
    return out


def chip(spec):
    out = ["/* Chip registers: chip word addresses (bus address = NMTWIN_BUS_CHIP_BASE + address). */"]
    for k, v in spec["chip"].items():
        out.append(f"#define NMTWIN_CHIP_{k.upper()} {u(v)}")
    for r in spec["chip_register"]:
        out.append(f"#define NMTWIN_CHIP_REG_{ident(r['name'])} {u(r['addr'])}")
        if "reset" in r:
            out.append(f"#define NMTWIN_CHIP_REG_{ident(r['name'])}_RESET {r['reset']:#x}u")
        if r.get("fields"):
            out += accessors(f"NMTWIN_CHIP_REG_{ident(r['name'])}", f"nmtwin_chip_{r['name']}", r["fields_"])
    for a in spec["chip_array"]:
        A = f"NMTWIN_CHIP_{ident(a['name'])}"
        out.append(f"#define {A}_BASE {u(a['base'])}")
        out.append(f"#define {A}_COUNT {u(a['count'])}")
        out.append(f"#define {A}_STRIDE {u(a['stride'])}")
        for f in a["fields"]:
            out.append(f"#define {A}_{ident(f['name'])} {u(f['offset'])}")
        out.append(f"static inline nmtwin_u32 nmtwin_chip_{a['name']}_addr(nmtwin_u32 index, nmtwin_u32 offset) "
                   f"{{ return {A}_BASE + index * {A}_STRIDE + offset; }}")
    for c in spec.get("chip_layout", []):
        out += accessors(f"NMTWIN_CHIP_{ident(c['name'])}", f"nmtwin_chip_{c['name'].replace('.', '_')}", c["fields"])
    return out
