"""docs/registers.md: the register reference a person reads."""
from . import ppu
from .model import counter_blocks


def bits(f):
    hi = f["lsb"] + f["width"] - 1
    return f"{hi}:{f['lsb']}" if f["width"] > 1 else f"{hi}"


def cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return out + [""]


def field_table(fields, with_access=True):
    head = ["bits", "field", "access", "reset", "meaning"] if with_access else ["bits", "field", "meaning"]
    rows = []
    for f in fields:
        r = [bits(f), f"`{f['name']}`"]
        if with_access:
            r += [f["access"], hex(f["reset"]) if "reset" in f else "-"]
        rows.append(r + [f.get("doc", "")])
    return table(head, rows)


def fpga_registers(spec):
    bus = spec["bus"]
    out = ["## FPGA registers", "",
           f"Word addresses on the register bus (FPGA window {bus['fpga_base']:#010x}, {bus['fpga_size']:#x} words). "
           "Arrays: element i at address + i * stride. 48-bit counters: bits 31:0 at the address, bits 47:32 at "
           "address + 1; reading the low half latches the high half, so the pair is one snapshot.", ""]
    rows = []
    for r in spec["fpga_register"]:
        addr = f"{r['addr']:#04x}" + (f" + i * {r['stride']} (i < {r['count']})" if "count" in r else "")
        name = f"[`{r['name']}`](#{r['name']})" if r.get("fields") else f"`{r['name']}`"
        size = "48 (2 words)" if r.get("bits") == 48 else f"{r['bits_used']}"
        rows.append([name, addr, r["access"], hex(r["reset"] & 0xFFFFFFFF) if "reset" in r else "-", size, r["doc"]])
    out += table(["register", "address", "access", "reset", "bits", "meaning"], rows)
    out += ["Registers linked above have several or narrow fields, listed below; the others are one field "
            "`value` over their bits.", ""]
    for r in spec["fpga_register"]:
        if not r.get("fields"):
            continue
        out += [f"### {r['name']}", "", f"Address {r['addr']:#04x}" +
                (f" + i * {r['stride']}, i < {r['count']} (by {r.get('index', 'index')})" if "count" in r else "") +
                f", {r['access']}. {r['doc']}", ""]
        out += field_table(r["fields_"])
    return out


def counters(spec):
    out = ["## Counters", "",
           "Counters are read-only and cleared together by writing 1 to `counter_clear`. The index of a 32-bit "
           "counter is its bit in fpga_regs' event vector; the index of a 48-bit counter is its bit in the node's "
           "48-bit event vector (waveform triggers, `Node::ObservedEvent::counters`). **loss**: the counter counts "
           "lost events (the `drop` trace trigger fires on its first increment).", ""]
    for tag, lst in (("32", spec["counters32"]), ("48", spec["counters48"])):
        out += [f"### {tag}-bit counters", ""]
        out += table(["index", "counter", "address", "loss", "meaning"],
                     [[e["index"], f"`{e['name']}`", f"{e['addr']:#04x}", "loss" if e["loss"] else "",
                       e["reg"]["doc"]] for e in lst])
    for block, (first, n) in counter_blocks(spec["counters32"]).items():
        out += [f"32-bit counters {first} to {first + n - 1} count the events of `{block}` (its event bit i: "
                f"counter {first} + i).", ""]
    return out


def chip(spec):
    c = spec["chip"]
    out = ["## Chip registers", "",
           f"24-bit chip word addresses behind the chip window (bus address {spec['bus']['chip_base']:#010x} + "
           f"address). The chip has {c['neurons']} neurons, {c['rows']} synapse rows, {c['weight_bits']}-bit weights "
           f"and {c['timestamp_bits']}-bit timestamps.", ""]
    out += table(["register", "address", "access", "reset", "meaning"],
                 [[f"`{r['name']}`", f"{r['addr']:#08x}", r["access"], hex(r["reset"]) if "reset" in r else "-",
                   r["doc"]] for r in spec["chip_register"]])
    layouts = {l["name"]: l for l in spec.get("chip_layout", [])}
    for a in spec["chip_array"]:
        out += [f"### {a['name']}", "",
                f"{a['count']} elements at {a['base']:#08x} + i * {a['stride']} + offset, {a['access']}. {a['doc']}", ""]
        out += table(["offset", "field", "reset", "range", "meaning"],
                     [[f["offset"], f"`{f['name']}`", f["reset"], f"{f['min']} .. {f['max']}", f["doc"]]
                      for f in a["fields"]])
        for f in a["fields"]:
            lay = layouts.get(f"{a['name']}.{f['name']}")
            if lay:
                out += [f"`{a['name']}.{f['name']}` bits: {lay['doc']}", ""] + field_table(lay["fields"], False)
    for name, lay in layouts.items():
        if "." not in name:
            out += [f"### {name}", "", lay["doc"], ""] + field_table(lay["fields"], False)
    return out


def constants(spec):
    out = ["## Layouts", ""]
    for lay in spec.get("layout", []):
        out += [f"### {lay['name']} ({lay['width']} bits)", "", lay["doc"], ""] + field_table(lay["fields"], False)
    out += ["## Timing and sizes", ""]
    rows = [[f"meta.{k}", v] for k, v in spec["meta"].items()]
    rows += [[f"timing.{k}", v] for k, v in spec["timing"].items()]
    rows += [[f"net.{k}", hex(v) if k == "crc_polynomial" else v] for k, v in spec["net"].items() if not isinstance(v, list)]
    rows += [[f"arq.{k}", hex(v) if v > 0xFFFF else v] for k, v in spec["arq"].items() if not isinstance(v, list)]
    out += table(["constant", "value"], [[f"`{k}`", v] for k, v in rows])
    out += ["The comments beside each constant in `spec/nmtwin.toml` say what it means.", ""]
    return out


def markdown(spec):
    out = ["<!-- Generated from spec/nmtwin.toml by spec/gen.py. Do not edit: edit the spec and rebuild",
           "     (the test spec_docs_current fails while this file is stale). -->",
           "# nmtwin register reference", "",
           f"Spec version {spec['meta']['version']}. Word formats of instructions, responses and chip messages: "
           "[protocol.md](protocol.md) and [chip.md](chip.md); the network: [multichip.md](multichip.md).", ""]
    out += fpga_registers(spec) + counters(spec) + chip(spec) + ppu.markdown_lines(spec, table) + constants(spec)
    while out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
