"""Loads spec/nmtwin.toml and derives what every generator needs.

Register fields get their defaults (a register without `fields` is one field
`value` over all its bits; a field inherits its register's access and reset),
arrays and 48-bit counters are expanded to elements, and counters get their
indices.  Every entry keeps the line of its `name = "..."` in the file, so an
error can point at it (tomllib keeps no positions).
"""
import re
import tomllib

FAMILIES = [
    # (toml key, SV prefix, C++ namespace, C++ selector enum)
    ("instruction", "INSTR", "instr", "Opcode"),
    ("response", "RESP", "resp", "ResponseType"),
    ("chip_down", "CHIP_DOWN", "chip_down", "ChipDownType"),
    ("chip_up", "CHIP_UP", "chip_up", "ChipUpType"),
]
ACCESS = ("ro", "rw", "wo")


class SpecError(Exception):
    def __init__(self, line, what):
        super().__init__(what)
        self.line = line


class Lines:
    """Line numbers of entries: the `name = "x"` line of a [[section]] entry, the
    line of `key =` in a plain [table], and of a field's name after its entry."""

    def __init__(self, text):
        self.text = text.splitlines()
        self.entries = {}  # (section, name) -> line
        self.keys = {}     # (table, key) -> line
        section = ""
        for no, line in enumerate(self.text, 1):
            head = re.match(r"\s*\[\[?([\w.]+)\]\]?", line)
            if head:
                section = head.group(1)
                continue
            m = re.match(r'\s*name\s*=\s*"([^"]+)"', line)
            if m:
                self.entries.setdefault((section, m.group(1)), no)
            k = re.match(r"\s*(\w+)\s*=", line)
            if k:
                self.keys.setdefault((section, k.group(1)), no)

    def entry(self, section, name):
        return self.entries.get((section, name), 0)

    def key(self, table, key):
        return self.keys.get((table, key), 0)

    def field(self, section, entry, name):
        """The line of field `name` inside the entry (the first after the entry's line)."""
        start = self.entry(section, entry)
        for no in range(start, len(self.text) + 1):
            if re.search(r'\bname\s*=\s*"%s"' % re.escape(name), self.text[no - 1]):
                return no
        return start


def _fields(reg, section, lines):
    """A register's fields with defaults filled in, highest bit first."""
    raw = reg.get("fields") or [{"name": "value", "lsb": 0, "width": 32}]
    if reg.get("bits") == 48 and not reg.get("fields"):
        raw = [{"name": "value", "lsb": 0, "width": 32, "doc": "counter bits 31:0 (bits 47:32 at addr + 1)"}]
    out = []
    for f in raw:
        g = dict(f)
        g.setdefault("doc", reg.get("doc", "") if len(raw) == 1 else "")
        g.setdefault("access", reg.get("access", "rw"))
        if "reset" not in g and "reset" in reg:
            g["reset"] = (reg["reset"] & 0xFFFFFFFF) >> g["lsb"] & ((1 << g["width"]) - 1)
        g["line"] = lines.field(section, reg["name"], g["name"]) if reg.get("fields") else lines.entry(section, reg["name"])
        out.append(g)
    return sorted(out, key=lambda f: -f["lsb"])


def register_addrs(r):
    """Every address a register (array, 48-bit pair) occupies."""
    words = 2 if r.get("bits", 32) == 48 else 1
    stride = r.get("stride", words)
    return [r["addr"] + i * stride + k for i in range(r.get("count", 1)) for k in range(words)]


def load(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        spec = tomllib.loads(raw.decode())
    except tomllib.TOMLDecodeError as e:
        raise SpecError(getattr(e, "lineno", 0) or 0, f"not valid TOML: {e}") from e
    lines = Lines(raw.decode())
    spec["_lines"] = lines
    try:
        derive(spec, lines)
    except KeyError as e:
        raise SpecError(0, f"missing key {e}") from e
    return spec


def derive(spec, lines):
    for r in spec["fpga_register"]:
        r["line"] = lines.entry("fpga_register", r["name"])
        r["fields_"] = _fields(r, "fpga_register", lines)
        r["bits_used"] = max(f["lsb"] + f["width"] for f in r["fields_"])
    for r in spec["chip_register"]:
        r["line"] = lines.entry("chip_register", r["name"])
        r["fields_"] = _fields(r, "chip_register", lines)
    for a in spec["chip_array"]:
        a["line"] = lines.entry("chip_array", a["name"])
        a.setdefault("access", "rw")
        for f in a["fields"]:
            f["line"] = lines.field("chip_array", a["name"], f["name"])
    for c in spec.get("chip_layout", []):
        c["line"] = lines.entry("chip_layout", c["name"])
        for f in c["fields"]:
            f["line"] = lines.field("chip_layout", c["name"], f["name"])
            f.setdefault("doc", "")
    for lay in spec.get("layout", []):
        lay["line"] = lines.entry("layout", lay["name"])
    spec["counters32"], spec["counters48"] = counters(spec["fpga_register"])
    from .ppu import derive as ppu_derive  # ppu.py imports this module
    ppu_derive(spec, lines)


def counters(regs):
    """Counter elements in index order: 32-bit ones (one register each) and 48-bit
    ones (array elements in address order), the order of the RTL's event inputs."""
    c32, c48 = [], []
    for r in regs:
        if not r.get("counter"):
            continue
        n = r.get("count", 1)
        for i in range(n):
            e = {"name": f"{r['name']}[{i}]" if "count" in r else r["name"], "reg": r, "element": i,
                 "addr": r["addr"] + i * r.get("stride", 1), "loss": bool(r.get("loss")), "block": r.get("block")}
            (c48 if r.get("bits") == 48 else c32).append(e)
    for lst in (c32, c48):
        for i, e in enumerate(lst):
            e["index"] = i
    return c32, c48


def counter_blocks(c32):
    """{block: (first index, count)} of the 32-bit counters whose events come from one RTL block."""
    blocks = {}
    for e in c32:
        if e["block"]:
            first, n = blocks.get(e["block"], (e["index"], 0))
            blocks[e["block"]] = (first, n + 1)
    return blocks


def version_word(v):
    major, minor, patch = (int(x) for x in v.split("."))
    return (major << 16) | (minor << 8) | patch


def arq_version_string(spec):
    m = spec["meta"]
    return f"{m['version']}/{m['compatible_until']}"


def mask(f):
    return ((1 << f["width"]) - 1) << f["lsb"]


def clog2(n):
    return max(0, (n - 1).bit_length())
