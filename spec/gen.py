#!/usr/bin/env python3
"""Generate the SystemVerilog package and the C++ header from spec/nmtwin.toml.

usage: gen.py SPEC.toml OUT_SV OUT_HPP

Both outputs are written only when their text changes, so the build does not
recompile what did not change.
"""
import pathlib
import sys
import tomllib

FAMILIES = [
    # (toml key, SV prefix, C++ namespace, C++ selector enum)
    ("instruction", "INSTR", "instr", "Opcode"),
    ("response", "RESP", "resp", "ResponseType"),
    ("chip_down", "CHIP_DOWN", "chip_down", "ChipDownType"),
    ("chip_up", "CHIP_UP", "chip_up", "ChipUpType"),
]


class SpecError(Exception):
    pass


def check_fields(where, selector, fields):
    """Fields must fit in 64 bits and overlap neither each other nor the selector."""
    used = 0
    for f in ([selector] if selector else []) + fields:
        lo, w = f["lsb"], f["width"]
        if w < 1 or lo < 0 or lo + w > 64:
            raise SpecError(f"{where}: field {f['name']} [{lo + w - 1}:{lo}] does not fit in 64 bits")
        mask = ((1 << w) - 1) << lo
        if used & mask:
            raise SpecError(f"{where}: field {f['name']} overlaps another field")
        used |= mask


def load(path):
    with open(path, "rb") as fh:
        spec = tomllib.load(fh)
    for key, _, _, _ in FAMILIES:
        fam = spec[key]
        codes = set()
        for w in fam["word"]:
            check_fields(f"{key}.{w['name']}", fam["selector"], w["fields"])
            if w["code"] in codes:
                raise SpecError(f"{key}.{w['name']}: code {w['code']} used twice")
            codes.add(w["code"])
            if w["code"] >= 1 << fam["selector"]["width"]:
                raise SpecError(f"{key}.{w['name']}: code does not fit the selector")
        for w in fam.get("data", []):
            check_fields(f"{key}.{w['name']}", None, w["fields"])
    for lay in spec.get("layout", []):
        check_fields(f"layout.{lay['name']}", None, lay["fields"])
        if any(f["lsb"] + f["width"] > lay["width"] for f in lay["fields"]):
            raise SpecError(f"layout.{lay['name']}: a field does not fit in {lay['width']} bits")
    used = {}
    for r in spec["fpga_register"]:
        for a in register_addrs(r):
            if a in used:
                raise SpecError(f"fpga_register.{r['name']}: address {a:#x} already used by {used[a]}")
            if a >= spec["bus"]["fpga_size"]:
                raise SpecError(f"fpga_register.{r['name']}: address {a:#x} beyond bus.fpga_size")
            used[a] = r["name"]
    return spec


def register_addrs(r):
    """Every address a register (array, 48-bit pair) occupies."""
    words = 2 if r.get("bits", 32) == 48 else 1
    stride = r.get("stride", words)
    return [r["addr"] + i * stride + k for i in range(r.get("count", 1)) for k in range(words)]


def version_word(v):
    major, minor, patch = (int(x) for x in v.split("."))
    return (major << 16) | (minor << 8) | patch


# ----------------------------------------------------------------------------- SystemVerilog
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
    for key, prefix, _, _ in FAMILIES:
        fam = spec[key]
        sel = fam["selector"]
        out.append(f"  // {key} words")
        out.append(f"  localparam int {prefix}_SEL_LSB = {sel['lsb']};")
        out.append(f"  localparam int {prefix}_SEL_WIDTH = {sel['width']};")
        for w in fam["word"]:
            name = w["name"].upper()
            out.append(f"  localparam logic [{sel['width'] - 1}:0] {prefix}_{name} = {sel['width']}'h{w['code']:X};")
        for w in fam["word"] + fam.get("data", []):
            name = w["name"].upper()
            for f in w["fields"]:
                fname = f["name"].upper()
                out.append(f"  localparam int {prefix}_{name}_{fname}_LSB = {f['lsb']};")
                out.append(f"  localparam int {prefix}_{name}_{fname}_WIDTH = {f['width']};")
        out.append("")
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
    for kd in spec["net"]["kind"]:
        out.append(f"  localparam logic [2:0] NET_KIND_{kd['name'].upper()} = 3'd{kd['value']};")
    for lay in spec.get("layout", []):
        for f in lay["fields"]:
            base = f"{lay['name'].upper()}_{f['name'].upper()}"
            out.append(f"  localparam int {base}_LSB = {f['lsb']};")
            out.append(f"  localparam int {base}_WIDTH = {f['width']};")
    out.append("")
    for r in spec["fpga_register"]:
        out.append(f"  localparam logic [7:0] REG_{r['name'].upper()} = 8'h{r['addr']:02X};")
        if "count" in r:
            out.append(f"  localparam int REG_{r['name'].upper()}_COUNT = {r['count']};")
            out.append(f"  localparam int REG_{r['name'].upper()}_STRIDE = {r['stride']};")
        if "reset" in r:
            out.append(f"  localparam logic [31:0] REG_{r['name'].upper()}_RESET = 32'h{r['reset'] & 0xFFFFFFFF:08X};")
    out += ["", "endpackage", "/* verilator lint_on UNUSEDPARAM */", ""]
    return "\n".join(out)


def arq_version_string(spec):
    m = spec["meta"]
    return f"{m['version']}/{m['compatible_until']}"


# ----------------------------------------------------------------------------- C++
def cpp_ident(name):
    return {"error": "error", "delete": "delete_"}.get(name, name)


def camel(name):
    return "".join(p.capitalize() for p in name.split("_"))


def cpp_word_struct(key, enum, sel, w, is_data):
    cls = camel(w["name"])
    lines = [f"/// {w.get('doc', '')}", f"struct {cls} {{"]
    lines.append(f"  static constexpr std::string_view name = \"{w['name']}\";")
    if not is_data:
        lines.append(f"  static constexpr {enum} code = {enum}::{cpp_ident(w['name'])};")
    for f in w["fields"]:
        lines.append(f"  static constexpr unsigned {f['name']}_lsb = {f['lsb']};")
        lines.append(f"  static constexpr unsigned {f['name']}_width = {f['width']};")
        lines.append(f"  static constexpr std::uint64_t {f['name']}_max = {hex((1 << f['width']) - 1)}ULL;")
    for f in w["fields"]:
        lines.append(f"  std::uint64_t {f['name']} = 0;")
    lines.append("  /// Packs the fields; a value wider than its field throws std::out_of_range.")
    lines.append("  [[nodiscard]] std::uint64_t encode() const {")
    lines.append("    std::uint64_t w = 0;")
    if not is_data:
        lines.append(f"    w |= static_cast<std::uint64_t>(code) << {sel['lsb']};")
    for f in w["fields"]:
        n = f["name"]
        lines.append(f"    w |= detail::put({n}, {n}_lsb, {n}_width, \"{w['name']}.{n}\");")
    lines.append("    return w;")
    lines.append("  }")
    lines.append(f"  [[nodiscard]] static constexpr {cls} decode([[maybe_unused]] std::uint64_t w) {{")
    lines.append(f"    {cls} v;")
    for f in w["fields"]:
        n = f["name"]
        lines.append(f"    v.{n} = detail::get(w, {n}_lsb, {n}_width);")
    lines.append("    return v;")
    lines.append("  }")
    lines.append(f"  friend constexpr bool operator==(const {cls}&, const {cls}&) = default;")
    lines.append("};")
    return lines


def cpp_family(key, ns, enum, fam):
    sel = fam["selector"]
    out = [f"namespace {ns} {{", ""]
    out.append(f"enum class {enum} : std::uint8_t {{")
    for w in fam["word"]:
        out.append(f"  {cpp_ident(w['name'])} = {w['code']},")
    out.append("};")
    out.append(f"constexpr unsigned selector_lsb = {sel['lsb']};")
    out.append(f"constexpr unsigned selector_width = {sel['width']};")
    out.append(f"constexpr {enum} selector(std::uint64_t w) {{")
    out.append(f"  return static_cast<{enum}>(detail::get(w, selector_lsb, selector_width));")
    out.append("}")
    out.append(f"/// Name of a selector value, or an empty view when it is not in the spec.")
    out.append(f"constexpr std::string_view name_of({enum} c) {{")
    out.append("  switch (c) {")
    for w in fam["word"]:
        out.append(f"    case {enum}::{cpp_ident(w['name'])}: return \"{w['name']}\";")
    out.append("  }")
    out.append("  return {};")
    out.append("}")
    out.append(f"inline std::ostream& operator<<(std::ostream& os, {enum} c) {{")
    out.append("  const auto n = name_of(c);")
    out.append("  return n.empty() ? os << static_cast<unsigned>(c) : os << n;")
    out.append("}")
    out.append("")
    for w in fam["word"]:
        out += cpp_word_struct(key, enum, sel, w, False)
        out.append("")
    for w in fam.get("data", []):
        out += cpp_word_struct(key, enum, sel, w, True)
        out.append("")
    out.append(f"}}  // namespace {ns}")
    out.append("")
    return out


def cpp_header(spec):
    m = spec["meta"]
    out = [
        "// Generated from spec/nmtwin.toml by spec/gen.py. Do not edit.",
        "#pragma once",
        "#include <array>",
        "#include <cstdint>",
        "#include <ostream>",
        "#include <stdexcept>",
        "#include <string>",
        "#include <string_view>",
        "",
        "namespace nmtwin::spec {",
        "",
        f"constexpr std::string_view version = \"{m['version']}\";",
        f"constexpr std::string_view compatible_until = \"{m['compatible_until']}\";",
        f"constexpr std::uint32_t version_word = {hex(version_word(m['version']))};",
        f"constexpr unsigned clock_mhz = {m['clock_mhz']};",
        f"constexpr unsigned cycle_ns = {m['cycle_ns']};",
        f"constexpr unsigned systime_bits = {m['systime_bits']};",
        f"constexpr std::uint64_t systime_mask = (std::uint64_t{{1}} << systime_bits) - 1;",
        f"constexpr unsigned speedup = {m['speedup']};",
        "",
        "namespace timing {",
    ]
    for k, v in spec["timing"].items():
        out.append(f"constexpr unsigned {k} = {v};")
    out += ["}  // namespace timing", "", "namespace detail {",
            "inline std::uint64_t put(std::uint64_t v, unsigned lsb, unsigned width, const char* what) {",
            "  const std::uint64_t max = width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;",
            "  if (v > max)",
            "    throw std::out_of_range(std::string(what) + \" = \" + std::to_string(v) + \" does not fit in \" +",
            "                            std::to_string(width) + \" bits (max \" + std::to_string(max) + \")\");",
            "  return v << lsb;",
            "}",
            "constexpr std::uint64_t get(std::uint64_t w, unsigned lsb, unsigned width) {",
            "  return width >= 64 ? w : (w >> lsb) & ((std::uint64_t{1} << width) - 1);",
            "}",
            "}  // namespace detail", ""]
    for key, _, ns, enum in FAMILIES:
        out += cpp_family(key, ns, enum, spec[key])
    for e in spec["enum"]:
        ename = camel(e["name"])
        out.append(f"enum class {ename} : std::uint8_t {{")
        for v in e["values"]:
            out.append(f"  {v['name']} = {v['value']},  ///< {v['doc']}")
        out.append("};")
        out.append(f"constexpr std::string_view describe({ename} v) {{")
        out.append("  switch (v) {")
        for v in e["values"]:
            out.append(f"    case {ename}::{v['name']}: return \"{v['doc']}\";")
        out.append("  }")
        out.append("  return \"unknown reason\";")
        out.append("}")
        out.append(f"/// Name as the spec spells it, or an empty view for a value the spec does not define.")
        out.append(f"constexpr std::string_view name_of({ename} v) {{")
        out.append("  switch (v) {")
        for v in e["values"]:
            out.append(f"    case {ename}::{v['name']}: return \"{v['name']}\";")
        out.append("  }")
        out.append("  return {};")
        out.append("}")
        out.append(f"inline std::ostream& operator<<(std::ostream& os, {ename} v) {{")
        out.append("  const auto n = name_of(v);")
        out.append("  return n.empty() ? os << static_cast<unsigned>(v) : os << n;")
        out.append("}")
        out.append("")
    b = spec["bus"]
    out += ["namespace bus {"] + [f"constexpr std::uint32_t {k} = {hex(v)};" for k, v in b.items()]
    out += ["}  // namespace bus", ""]
    out += arq_constants(spec)
    out += net_constants(spec)
    out += register_tables(spec)
    out += ["}  // namespace nmtwin::spec", ""]
    return "\n".join(out)


def arq_constants(spec):
    arq = spec["arq"]
    out = ["/// Host transport: ARQ frames in UDP datagrams (see docs/protocol.md).", "namespace arq {"]
    for k, v in arq.items():
        if not isinstance(v, list):
            out.append(f"constexpr std::uint32_t {k} = {hex(v)};")
    out.append("enum class Ptype : std::uint16_t {")
    for t in arq["ptype"]:
        out.append(f"  {t['name']} = {hex(t['value'])},  ///< {t['doc']}")
    out.append("};")
    out.append(f"constexpr std::string_view version_string = \"{arq_version_string(spec)}\";")
    out += ["}  // namespace arq", ""]
    return out


def net_constants(spec):
    net = spec["net"]
    out = ["/// Inter-chip spike path: packet formats and sizes (see docs/multichip.md).", "namespace net {"]
    for k, v in net.items():
        if not isinstance(v, list):
            out.append(f"constexpr std::uint32_t {k} = {hex(v) if k == 'crc_polynomial' else v};")
    out.append("enum class Kind : std::uint8_t {")
    for kd in net["kind"]:
        out.append(f"  {kd['name']} = {kd['value']},  ///< {kd['doc']}")
    out.append("};")
    out.append("}  // namespace net")
    out.append("")
    out.append("/// Plain bit layouts: registers, table entries, packet words.")
    out.append("namespace layout {")
    for lay in spec.get("layout", []):
        out += cpp_word_struct("layout", None, None, lay, True)
        out.append("")
    out += ["}  // namespace layout", ""]
    return out


def register_tables(spec):
    out = ["enum class Access : std::uint8_t { ro, rw, wo };", "",
           "struct FpgaRegister {",
           "  std::string_view name;",
           "  std::uint32_t addr;",
           "  Access access;",
           "  bool counter;",
           "  std::string_view doc;",
           "  unsigned bits = 32;  ///< 48: bits 31:0 here, bits 47:32 at addr + 1 (latched by reading addr)",
           "};", "",
           "namespace fpga_reg {"]
    regs = spec["fpga_register"]
    entries = []
    for r in regs:
        bits = r.get("bits", 32)
        entry = lambda name, addr: (f"    {{\"{name}\", {addr}, Access::{r['access']}, "
                                    f"{str(r.get('counter', False)).lower()}, \"{r['doc']}\", {bits}}},")
        if "count" in r:
            out.append(f"/// {r['count']} registers: element i at {hex(r['addr'])} + i * {r['stride']}.")
            out.append(f"constexpr std::uint32_t {r['name']}_count = {r['count']};")
            out.append(f"constexpr std::uint32_t {r['name']}(std::uint32_t i) {{ "
                       f"return bus::fpga_base + {hex(r['addr'])} + i * {r['stride']}; }}")
            for i in range(r["count"]):
                entries.append(entry(f"{r['name']}[{i}]", f"bus::fpga_base + {hex(r['addr'] + i * r['stride'])}"))
        else:
            out.append(f"constexpr std::uint32_t {r['name']} = bus::fpga_base + {hex(r['addr'])};")
            entries.append(entry(r["name"], r["name"]))
    out.append(f"constexpr std::array<FpgaRegister, {len(entries)}> all{{{{")
    out += entries
    out.append("}};")
    out += ["}  // namespace fpga_reg", ""]
    c = spec["chip"]
    out.append("namespace chip {")
    for k, v in c.items():
        out.append(f"constexpr unsigned {k} = {v};")
    out += ["", "struct Field {", "  std::string_view name;", "  std::uint32_t offset;", "  std::int64_t reset;",
            "  std::int64_t min;", "  std::int64_t max;", "  std::string_view doc;", "};", "",
            "struct Register {", "  std::string_view name;", "  std::uint32_t addr;", "  Access access;",
            "  std::uint32_t reset;", "  std::string_view doc;", "};", ""]
    for r in spec["chip_register"]:
        out.append(f"constexpr std::uint32_t {r['name']} = {hex(r['addr'])};")
    out.append(f"constexpr std::array<Register, {len(spec['chip_register'])}> registers{{{{")
    for r in spec["chip_register"]:
        out.append(f"    {{\"{r['name']}\", {hex(r['addr'])}, Access::{r['access']}, {hex(r.get('reset', 0))}, "
                   f"\"{r['doc']}\"}},")
    out.append("}};")
    out.append("")
    for a in spec["chip_array"]:
        ns = a["name"]
        out.append(f"/// {a['doc']}")
        out.append(f"namespace {ns} {{")
        out.append(f"constexpr std::uint32_t base = {hex(a['base'])};")
        out.append(f"constexpr std::uint32_t count = {a['count']};")
        out.append(f"constexpr std::uint32_t stride = {a['stride']};")
        for f in a["fields"]:
            out.append(f"constexpr std::uint32_t {f['name']} = {f['offset']};")
        out.append(f"constexpr std::array<Field, {len(a['fields'])}> fields{{{{")
        for f in a["fields"]:
            out.append(f"    {{\"{f['name']}\", {f['offset']}, {f['reset']}, {f['min']}, {f['max']}, \"{f['doc']}\"}},")
        out.append("}};")
        out.append("/// Chip address of element `index`, field `offset`.")
        out.append("constexpr std::uint32_t addr(std::uint32_t index, std::uint32_t offset) {")
        out.append("  return base + index * stride + offset;")
        out.append("}")
        out.append(f"}}  // namespace {ns}")
        out.append("")
    out.append("/// Chip address seen from the FPGA register bus.")
    out.append("constexpr std::uint32_t bus_addr(std::uint32_t chip_addr) { return bus::chip_base + chip_addr; }")
    out += ["}  // namespace chip", ""]
    return out


def write_if_changed(path, text):
    p = pathlib.Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    if not p.exists() or p.read_text() != text:
        p.write_text(text)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        spec = load(argv[1])
    except (SpecError, KeyError, tomllib.TOMLDecodeError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1
    write_if_changed(argv[2], sv_package(spec))
    write_if_changed(argv[3], cpp_header(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
