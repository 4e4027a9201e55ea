"""The register part of the C++ header: field descriptors, register tables,
lookup by name, counters and the chip register map."""


def bool_(v):
    return "true" if v else "false"


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


FIELD_API = [
    "enum class Access : std::uint8_t { ro, rw, wo };",
    "",
    "/// A bit field of a 32-bit register or chip word: position, access, reset and meaning.",
    "struct RegField {",
    "  std::string_view name;",
    "  unsigned lsb;",
    "  unsigned width;",
    "  Access access;",
    "  std::uint32_t reset;",
    "  std::string_view doc;",
    "  [[nodiscard]] constexpr std::uint32_t max() const {",
    "    return static_cast<std::uint32_t>((std::uint64_t{1} << width) - 1);",
    "  }",
    "  [[nodiscard]] constexpr std::uint32_t mask() const { return max() << lsb; }",
    "  /// The field's value in register word `word`.",
    "  [[nodiscard]] constexpr std::uint32_t get(std::uint32_t word) const { return (word >> lsb) & max(); }",
    "  /// `word` with the field set to `v`; a value wider than the field throws std::out_of_range.",
    "  [[nodiscard]] constexpr std::uint32_t set(std::uint32_t word, std::uint64_t v) const {",
    "    if (v > max())",
    "      throw std::out_of_range(std::string(name) + \" = \" + std::to_string(v) + \" does not fit in \" +",
    "                              std::to_string(width) + \" bits (max \" + std::to_string(max()) + \")\");",
    "    return (word & ~mask()) | (static_cast<std::uint32_t>(v) << lsb);",
    "  }",
    "  /// A word holding only this field.",
    "  [[nodiscard]] constexpr std::uint32_t put(std::uint64_t v) const { return set(0, v); }",
    "};",
    "",
    "/// The field called `name`, or nullptr.",
    "constexpr const RegField* find_field(std::span<const RegField> fields, std::string_view name) {",
    "  for (const auto& f : fields)",
    "    if (f.name == name) return &f;",
    "  return nullptr;",
    "}",
    "",
]


def field_block(ns, fields, doc):
    """namespace ns { constexpr RegField <field>...; all } for one register or chip word."""
    out = [f"/// Fields of {doc}.", f"namespace {ns} {{"]
    for f in fields:
        out.append(f"constexpr RegField {f['name']}{{{q(f['name'])}, {f['lsb']}, {f['width']}, Access::{f['access']}, "
                   f"{hex(f.get('reset', 0))}, {q(f.get('doc', ''))}}};")
    out.append(f"constexpr std::array<RegField, {len(fields)}> all{{{{{', '.join(f['name'] for f in fields)}}}}};")
    out.append(f"}}  // namespace {ns}")
    return out


def fpga_registers(spec):
    out = ["struct FpgaRegister {",
           "  std::string_view name;  ///< array elements: name[i]",
           "  std::uint32_t addr;",
           "  Access access;",
           "  bool counter;",
           "  std::string_view doc;",
           "  unsigned bits = 32;  ///< 48: bits 31:0 here, bits 47:32 at addr + 1 (latched by reading addr)",
           "  std::span<const RegField> fields = {};",
           "  bool loss = false;  ///< a counter of lost events",
           "  std::uint32_t reset = 0;",
           "};", "",
           "namespace fpga_reg {"]
    entries = []
    for r in spec["fpga_register"]:
        out += field_block(f"{r['name']}_fields", r["fields_"], f"register {r['name']}")
        bits = r.get("bits", 32)

        def entry(name, addr):
            return (f"    {{{q(name)}, {addr}, Access::{r['access']}, {bool_(r.get('counter'))}, {q(r['doc'])}, {bits}, "
                    f"{r['name']}_fields::all, {bool_(r.get('loss'))}, {hex(r.get('reset', 0) & 0xFFFFFFFF)}}},")
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
    out += ["/// The register called `name` (an array element as name[i]), or nullptr.",
            "constexpr const FpgaRegister* find(std::string_view name) {",
            "  for (const auto& r : all)",
            "    if (r.name == name) return &r;",
            "  return nullptr;",
            "}",
            "}  // namespace fpga_reg", ""]
    return out


def counters(spec):
    c32, c48 = spec["counters32"], spec["counters48"]
    out = ["/// Counters by index: 32-bit ones in the order of fpga_regs' event inputs, 48-bit ones",
           "/// in the order of the node's 48-bit event vector (Node::ObservedEvent::counters).",
           "namespace counter {",
           f"constexpr unsigned count32 = {len(c32)};",
           f"constexpr unsigned count48 = {len(c48)};"]
    for tag, lst in (("32", c32), ("48", c48)):
        out.append(f"constexpr std::array<std::string_view, count{tag}> names{tag}{{{{")
        out += [f"    {q(e['name'])}," for e in lst]
        out.append("}};")
        out.append(f"constexpr std::array<std::uint32_t, count{tag}> addrs{tag}{{{{")
        out += [f"    {hex(e['addr'])}," for e in lst]
        out.append("}};")
    loss = sum(1 << e["index"] for e in c48 if e["loss"])
    out.append("/// Bit i set: 48-bit counter i counts lost events (spec tag loss = true).")
    out.append(f"constexpr std::uint64_t loss_mask48 = {hex(loss)};")
    out += ["}  // namespace counter", ""]
    return out


def chip_map(spec):
    out = ["namespace chip {"]
    for k, v in spec["chip"].items():
        out.append(f"constexpr unsigned {k} = {v};")
    out += ["", "struct Field {", "  std::string_view name;", "  std::uint32_t offset;", "  std::int64_t reset;",
            "  std::int64_t min;", "  std::int64_t max;", "  std::string_view doc;",
            "  std::span<const RegField> bits = {};  ///< bit fields of a packed word (chip_layout), else empty",
            "};", "",
            "struct Register {", "  std::string_view name;", "  std::uint32_t addr;", "  Access access;",
            "  std::uint32_t reset;", "  std::string_view doc;", "  std::span<const RegField> fields = {};", "};", ""]
    for r in spec["chip_register"]:
        out += field_block(f"{r['name']}_fields", r["fields_"], f"chip register {r['name']}")
        out.append(f"constexpr std::uint32_t {r['name']} = {hex(r['addr'])};")
    out.append(f"constexpr std::array<Register, {len(spec['chip_register'])}> registers{{{{")
    for r in spec["chip_register"]:
        out.append(f"    {{{q(r['name'])}, {hex(r['addr'])}, Access::{r['access']}, {hex(r.get('reset', 0))}, "
                   f"{q(r['doc'])}, {r['name']}_fields::all}},")
    out.append("}};")
    out += ["/// The chip register called `name`, or nullptr.",
            "constexpr const Register* find_register(std::string_view name) {",
            "  for (const auto& r : registers)",
            "    if (r.name == name) return &r;",
            "  return nullptr;",
            "}", ""]
    layouts = {c["name"]: c for c in spec.get("chip_layout", [])}
    for c in spec.get("chip_layout", []):
        if "." not in c["name"]:
            out += field_block(f"{c['name']}_fields", [dict(f, access="rw") for f in c["fields"]], c["name"])
    for a in spec["chip_array"]:
        ns = a["name"]
        out.append(f"/// {a['doc']}")
        out.append(f"namespace {ns} {{")
        out.append(f"constexpr std::uint32_t base = {hex(a['base'])};")
        out.append(f"constexpr std::uint32_t count = {a['count']};")
        out.append(f"constexpr std::uint32_t stride = {a['stride']};")
        out.append(f"constexpr Access access = Access::{a['access']};")
        for f in a["fields"]:
            out.append(f"constexpr std::uint32_t {f['name']} = {f['offset']};")
        bits = {}
        for f in a["fields"]:
            lay = layouts.get(f"{ns}.{f['name']}")
            if lay:
                out += field_block(f"{f['name']}_fields", [dict(g, access="rw") for g in lay["fields"]],
                                   f"{ns}.{f['name']}")
                bits[f["name"]] = f"{f['name']}_fields::all"
        out.append(f"constexpr std::array<Field, {len(a['fields'])}> fields{{{{")
        for f in a["fields"]:
            out.append(f"    {{{q(f['name'])}, {f['offset']}, {f['reset']}, {f['min']}, {f['max']}, {q(f['doc'])}, "
                       f"{bits.get(f['name'], '{}')}}},")
        out.append("}};")
        out.append("/// Chip address of element `index`, field `offset`.")
        out.append("constexpr std::uint32_t addr(std::uint32_t index, std::uint32_t offset) {")
        out.append("  return base + index * stride + offset;")
        out.append("}")
        out.append("/// Whether chip address `a` lies in this array (any element, any field).")
        out.append("constexpr bool contains(std::uint32_t a) { return a >= base && a - base < count * stride; }")
        out.append(f"}}  // namespace {ns}")
        out.append("")
    out.append("/// Chip address of the synapse weight of `row`, `neuron`.")
    out.append("constexpr std::uint32_t weight_addr(std::uint32_t row, std::uint32_t neuron) {")
    out.append("  return weight::base + row * neurons + neuron;")
    out.append("}")
    out.append("/// Chip address seen from the FPGA register bus.")
    out.append("constexpr std::uint32_t bus_addr(std::uint32_t chip_addr) { return bus::chip_base + chip_addr; }")
    out += ["}  // namespace chip", ""]
    return out


def register_tables(spec):
    return FIELD_API + fpga_registers(spec) + counters(spec) + chip_map(spec)
