"""The C++ header (nmtwin/spec.hpp): word formats, enums and constants.  Registers: cpp_regs.py."""
from . import ppu
from .cpp_regs import register_tables
from .model import FAMILIES, arq_version_string, version_word


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
        "#include <span>",
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
        f"constexpr std::uint64_t cycle_ps = {m['cycle_ps']};  ///< picoseconds per FPGA cycle (waveform time unit)",
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
    out += ppu.cpp_lines(spec)
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
    out.append(f"/// Half the link sequence space: a sequence number this far or further behind the")
    out.append(f"/// newest one is an old one (modular comparison).")
    out.append(f"constexpr std::uint32_t link_seq_half = {net['link_seq_space'] // 2};")
    out.append("enum class Kind : std::uint8_t {")
    for kd in net["kind"]:
        out.append(f"  {kd['name']} = {kd['value']},  ///< {kd['doc']}")
    out.append("};")
    out.append("}  // namespace net")
    out.append("")
    out.append("/// Plain bit layouts: registers, table entries, packet words.")
    out.append("namespace layout {")
    for lay in layouts(spec):
        out += cpp_word_struct("layout", None, None, lay, True)
        out.append("")
    out += ["}  // namespace layout", ""]
    return out




def layouts(spec):
    """Plain layouts, the fields of FPGA registers that have several or narrow ones, and the chip layouts."""
    out = list(spec.get("layout", []))
    out += [{"name": r["name"], "fields": r["fields_"], "doc": f"Register {r['name']}."}
            for r in spec["fpga_register"] if r.get("fields")]
    out += [{"name": c["name"].replace(".", "_"), "fields": c["fields"], "doc": c["doc"]}
            for c in spec.get("chip_layout", [])]
    return out
