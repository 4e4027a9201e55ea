"""The SystemVerilog package rtl/ is compiled with (nmtwin_pkg)."""
from . import ppu
from .model import FAMILIES, arq_version_string, clog2, counter_blocks, version_word


def ident(name):
    return name.replace(".", "_").replace("[", "_").replace("]", "").upper()


def fields(prefix, fs):
    out = []
    for f in fs:
        out.append(f"  localparam int {prefix}_{ident(f['name'])}_LSB = {f['lsb']};")
        out.append(f"  localparam int {prefix}_{ident(f['name'])}_WIDTH = {f['width']};")
    return out


def words(spec):
    out = []
    for key, prefix, _, _ in FAMILIES:
        fam = spec[key]
        sel = fam["selector"]
        out.append(f"  // {key} words")
        out.append(f"  localparam int {prefix}_SEL_LSB = {sel['lsb']};")
        out.append(f"  localparam int {prefix}_SEL_WIDTH = {sel['width']};")
        for w in fam["word"]:
            out.append(f"  localparam logic [{sel['width'] - 1}:0] {prefix}_{ident(w['name'])} = "
                       f"{sel['width']}'h{w['code']:X};")
        for w in fam["word"] + fam.get("data", []):
            out += fields(f"{prefix}_{ident(w['name'])}", w["fields"])
        out.append("")
    return out


def registers(spec):
    bits = clog2(spec["bus"]["fpga_size"])
    out = [f"  localparam int FPGA_OFFSET_BITS = {bits};"]
    for r in spec["fpga_register"]:
        n = ident(r["name"])
        out.append(f"  localparam logic [{bits - 1}:0] REG_{n} = {bits}'h{r['addr']:02X};")
        if "count" in r:
            out.append(f"  localparam int REG_{n}_COUNT = {r['count']};")
            out.append(f"  localparam int REG_{n}_STRIDE = {r['stride']};")
            out.append(f"  localparam int REG_{n}_INDEX_BITS = {clog2(r['count'])};")
        if "reset" in r:
            out.append(f"  localparam logic [31:0] REG_{n}_RESET = 32'h{r['reset'] & 0xFFFFFFFF:08X};")
        out.append(f"  localparam int REG_{n}_BITS = {r['bits_used']};")
        if r.get("fields"):
            out += fields(f"REG_{n}", r["fields_"])
    c32, c48 = spec["counters32"], spec["counters48"]
    out.append("  // Counters: index i of the 32-bit ones is bit i of fpga_regs' event vector;")
    out.append("  // 48-bit counter i sits at REG_<first> + 2 i and is bit i of its 48-bit event vector.")
    out.append(f"  localparam int COUNT32_N = {len(c32)};")
    out.append(f"  localparam int COUNT48_N = {len(c48)};")
    addrs = ", ".join(f"{bits}'h{e['addr']:02X}" for e in reversed(c32))
    out.append(f"  localparam logic [COUNT32_N*{bits}-1:0] COUNT32_ADDRS = {{{addrs}}};  // index 0 in the low bits")
    for e in c32:
        out.append(f"  localparam int CNT32_{ident(e['name'])} = {e['index']};")
    for e in c48:
        out.append(f"  localparam int CNT48_{ident(e['name'])} = {e['index']};")
    for block, (first, n) in counter_blocks(c32).items():
        out.append(f"  localparam int COUNT32_{ident(block)}_FIRST = {first};")
        out.append(f"  localparam int COUNT32_{ident(block)}_N = {n};")
    loss = sum(1 << e["index"] for e in c48 if e["loss"])
    out.append(f"  localparam logic [COUNT48_N-1:0] COUNT48_LOSS_MASK = {len(c48)}'h{loss:X};")
    return out


def sv_package(spec):
    out = ["// Generated from spec/nmtwin.toml by spec/gen.py. Do not edit.",
           "// Not every constant is used by every module.",
           "/* verilator lint_off UNUSEDPARAM */",
           "package nmtwin_pkg;", ""]
    m = spec["meta"]
    out.append(f"  localparam int SYSTIME_BITS = {m['systime_bits']};")
    out.append(f"  localparam logic [31:0] SPEC_VERSION = 32'h{version_word(m['version']):08X};")
    for k, v in spec["timing"].items():
        out.append(f"  localparam int {k.upper()} = {v};")
    for k, v in spec["chip"].items():
        out.append(f"  localparam int CHIP_{k.upper()} = {v};")
    for k, v in spec["bus"].items():
        out.append(f"  localparam logic [31:0] BUS_{k.upper()} = 32'h{v:08X};")
    out.append("")
    out += words(spec)
    for e in spec["enum"]:
        for v in e["values"]:
            out.append(f"  localparam logic [{e['width'] - 1}:0] {e['name'].upper()}_{v['name'].upper()} = "
                       f"{e['width']}'d{v['value']};")
    out.append("")
    arq = spec["arq"]
    for k, v in arq.items():
        if not isinstance(v, list):
            out.append(f"  localparam logic [31:0] ARQ_{k.upper()} = 32'h{v:08X};")
    for t in arq["ptype"]:
        out.append(f"  localparam logic [15:0] ARQ_PTYPE_{t['name'].upper()} = 16'h{t['value']:04X};")
    vs = arq_version_string(spec)
    out.append(f"  localparam int ARQ_VERSION_BYTES = {len(vs)};")
    out.append(f"  localparam logic [{8 * len(vs) - 1}:0] ARQ_VERSION_STRING = \"{vs}\";")
    out.append("")
    for k, v in spec["net"].items():
        if not isinstance(v, list):
            out.append(f"  localparam int NET_{k.upper()} = {v};")
    out.append(f"  localparam int NET_LINK_SEQ_HALF = {spec['net']['link_seq_space'] // 2};")
    for kd in spec["net"]["kind"]:
        out.append(f"  localparam logic [2:0] NET_KIND_{kd['name'].upper()} = 3'd{kd['value']};")
    for lay in spec.get("layout", []):
        out += fields(ident(lay["name"]), lay["fields"])
    for c in spec.get("chip_layout", []):
        out += fields(f"CHIP_{ident(c['name'])}", c["fields"])
    for r in spec["chip_register"]:
        if r.get("fields"):
            out += fields(f"CHIP_REG_{ident(r['name'])}", r["fields_"])
    out.append("")
    out += registers(spec)
    out += ppu.sv_lines(spec)
    out += ["", "endpackage", "/* verilator lint_on UNUSEDPARAM */", ""]
    return "\n".join(out)
