"""The embedded processor's (PPU's) memory map: [ppu], [[ppu_io]], [[ppu_window]].

The core-side map (byte addresses) goes into every view; its host side is the
ppu_* chip registers, which the chip register machinery handles.
"""
from .model import ACCESS, SpecError

HOST_ARRAYS = (("ppu_imem", "imem_bytes"), ("ppu_dmem", "dmem_bytes"), ("ppu_mailbox", "mailbox_bytes"))
REGIONS = ("imem", "dmem", "mailbox", "io", "chip")


def derive(spec, lines):
    for key in ("ppu_io", "ppu_window"):
        for e in spec.get(key, []):
            e["line"] = lines.entry(key, e["name"])


def check(spec):
    lines, ppu = spec["_lines"], spec["ppu"]
    spans = sorted((ppu[f"{r}_base"], ppu[f"{r}_bytes"], r) for r in REGIONS)
    for (b0, n0, r0), (b1, _, r1) in zip(spans, spans[1:]):
        if b0 + n0 > b1:
            raise SpecError(lines.key("ppu", f"{r1}_base"), f"ppu: {r1} at {b1:#x} overlaps {r0} ({b0:#x} + {n0:#x})")
    for r in REGIONS:
        if ppu[f"{r}_base"] % 4 or ppu[f"{r}_bytes"] % 4:
            raise SpecError(lines.key("ppu", f"{r}_base"), f"ppu: {r} base and size must be multiples of 4")
    arrays = {a["name"]: a for a in spec["chip_array"]}
    for name, size in HOST_ARRAYS:
        a = arrays.get(name)
        if a is None:
            raise SpecError(lines.key("ppu", size), f"ppu: chip_array {name} (host view of {size}) is missing")
        if a["count"] * 4 != ppu[size]:
            raise SpecError(a["line"], f"chip_array {name}: count must be ppu.{size} / 4 = {ppu[size] // 4}")
    if arrays["ppu_imem"]["base"] != ppu["host_base"]:
        raise SpecError(arrays["ppu_imem"]["line"], f"chip_array ppu_imem: base must be ppu.host_base = {ppu['host_base']:#x}")
    lo, hi = ppu["host_base"], ppu["host_base"] + ppu["host_span"]
    for r in spec["chip_register"] + spec["chip_array"]:
        first = r.get("addr", r.get("base"))
        last = first + r.get("count", 1) * r.get("stride", 1) - 1
        inside = lo <= first and last < hi
        if inside != r["name"].startswith("ppu_") or (not inside and first < hi and last >= lo):
            raise SpecError(r["line"], f"{r['name']}: the chip words {lo:#x}..{hi - 1:#x} (ppu.host_base, host_span) "
                                       "hold exactly the ppu_* registers")
    check_list(spec.get("ppu_io", []), "ppu_io", ppu["io_bytes"], lambda e: 4)
    check_list(spec.get("ppu_window", []), "ppu_window", ppu["chip_bytes"], lambda e: e["bytes"])


def check_list(entries, kind, size, bytes_of):
    taken = []
    for e in entries:
        where = f"{kind} {e['name']}"
        if e.get("access") not in ACCESS:
            raise SpecError(e["line"], f"{where}: access '{e.get('access')}' must be one of {', '.join(ACCESS)}")
        lo, hi = e["offset"], e["offset"] + bytes_of(e)
        if lo % 4 or hi > size:
            raise SpecError(e["line"], f"{where}: offset {lo:#x} must be word aligned and end inside {size:#x} bytes")
        for other, olo, ohi in taken:
            if lo < ohi and olo < hi:
                raise SpecError(e["line"], f"{where}: bytes {lo:#x}..{hi:#x} overlap {kind} {other}")
        taken.append((e["name"], lo, hi))


def c_lines(spec, u, ident):
    ppu = spec["ppu"]
    out = ["/* Embedded processor (PPU): core-side byte addresses. */"]
    out += [f"#define NMTWIN_PPU_{k.upper()} {u(v)}" for k, v in ppu.items()]
    for e in spec.get("ppu_io", []):
        out.append(f"#define NMTWIN_PPU_IO_{ident(e['name'])} {u(ppu['io_base'] + e['offset'])}")
    for e in spec.get("ppu_window", []):
        out.append(f"#define NMTWIN_PPU_WIN_{ident(e['name'])} {u(ppu['chip_base'] + e['offset'])}")
    return out + [""]


def cpp_lines(spec):
    ppu = spec["ppu"]
    out = ["/// The embedded processor (PPU): core-side byte addresses (docs/firmware.md).", "namespace ppu {"]
    out += [f"constexpr std::uint32_t {k} = {v:#x};" for k, v in ppu.items()]
    out.append("namespace io {  ///< I/O register addresses")
    out += [f"constexpr std::uint32_t {e['name']} = {ppu['io_base'] + e['offset']:#x};" for e in spec.get("ppu_io", [])]
    out += ["}  // namespace io", "namespace window {  ///< chip window region addresses"]
    out += [f"constexpr std::uint32_t {e['name']} = {ppu['chip_base'] + e['offset']:#x};" for e in spec.get("ppu_window", [])]
    return out + ["}  // namespace window", "}  // namespace ppu", ""]


def sv_lines(spec):
    ppu = spec["ppu"]
    out = [f"  localparam logic [31:0] PPU_{k.upper()} = 32'h{v:08X};" for k, v in ppu.items()]
    out += [f"  localparam logic [31:0] PPU_IO_{e['name'].upper()} = 32'h{e['offset']:08X};" for e in spec.get("ppu_io", [])]
    out += [f"  localparam logic [31:0] PPU_WIN_{e['name'].upper()} = 32'h{e['offset']:08X};"
            for e in spec.get("ppu_window", [])]
    return out


def markdown_lines(spec, table):
    ppu = spec["ppu"]
    out = ["## Embedded processor (PPU) memory map", "",
           "Core-side byte addresses, little-endian ([firmware.md](firmware.md)). The host reaches the "
           "memories and the control block through the `ppu_*` chip registers above.", ""]
    rows = [[f"`{r}`", f"`{ppu[f'{r}_base']:#010x}`", f"{ppu[f'{r}_bytes']:#x}"] for r in REGIONS]
    out += table(["region", "base", "bytes"], rows)
    out += ["### I/O registers", ""]
    out += table(["name", "address", "access", "meaning"],
                 [[f"`{e['name']}`", f"`{ppu['io_base'] + e['offset']:#010x}`", e["access"], e["doc"]]
                  for e in spec.get("ppu_io", [])])
    out += ["### Chip window", ""]
    out += table(["name", "address", "bytes", "access", "meaning"],
                 [[f"`{e['name']}`", f"`{ppu['chip_base'] + e['offset']:#010x}`", f"{e['bytes']:#x}", e["access"], e["doc"]]
                  for e in spec.get("ppu_window", [])])
    return out
