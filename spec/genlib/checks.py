"""Cross-checks of spec/nmtwin.toml: values that depend on each other must agree.

Every failure raises SpecError with the line of the entry it is about; the
message names the entry, what is wrong and the value it must have.
"""
from . import ppu
from .model import ACCESS, FAMILIES, SpecError, clog2, mask, register_addrs


def check_fields(line_of, where, fields, width, selector=None):
    """Fields fit in `width` bits and overlap neither each other nor the selector."""
    seen = []
    for f in ([selector] if selector else []) + fields:
        lo, w = f["lsb"], f["width"]
        if w < 1 or lo < 0 or lo + w > width:
            raise SpecError(line_of(f), f"{where}: field {f['name']} [{lo + w - 1}:{lo}] does not fit in {width} bits")
        for g in seen:
            if mask(g) & mask(f):
                raise SpecError(line_of(f), f"{where}: field {f['name']} [{lo + w - 1}:{lo}] overlaps field {g['name']} "
                                            f"[{g['lsb'] + g['width'] - 1}:{g['lsb']}]")
        seen.append(f)


def field(fields, name):
    return next(f for f in fields if f["name"] == name)


def check_words(spec):
    lines = spec["_lines"]
    for key, _, _, _ in FAMILIES:
        fam = spec[key]
        codes = {}
        for w in fam["word"] + fam.get("data", []):
            sec = f"{key}.word" if w in fam["word"] else f"{key}.data"
            line = lines.entry(sec, w["name"])
            check_fields(lambda f: line, f"{key} word {w['name']}", w["fields"], 64,
                         fam["selector"] if w in fam["word"] else None)
            if w not in fam["word"]:
                continue
            if w["code"] in codes:
                raise SpecError(line, f"{key} word {w['name']}: code {w['code']} already used by {codes[w['code']]}")
            codes[w["code"]] = w["name"]
            if w["code"] >= 1 << fam["selector"]["width"]:
                raise SpecError(line, f"{key} word {w['name']}: code {w['code']} does not fit the selector")
    for lay in spec.get("layout", []):
        check_fields(lambda f, l=lay: l["line"], f"layout {lay['name']}", lay["fields"], lay["width"])
    for c in spec.get("chip_layout", []):
        check_fields(lambda f: f["line"], f"chip_layout {c['name']}", c["fields"], 32)


def check_register(r, kind):
    where = f"{kind} {r['name']}"
    if r.get("access") not in ACCESS:
        raise SpecError(r["line"], f"{where}: access '{r.get('access')}' must be one of {', '.join(ACCESS)}")
    check_fields(lambda f: f["line"], where, r["fields_"], 32)
    reset = r.get("reset")
    if reset is not None:
        if not -(1 << 31) <= reset < (1 << 32):
            raise SpecError(r["line"], f"{where}: reset {reset:#x} does not fit in 32 bits")
        outside = (reset & 0xFFFFFFFF) & ~sum(mask(f) for f in r["fields_"])
        if outside:
            raise SpecError(r["line"], f"{where}: reset {reset:#x} sets bits {outside:#x} outside every field")
    for f in r["fields_"]:
        if f["access"] not in ACCESS:
            raise SpecError(f["line"], f"{where}: field {f['name']} access '{f['access']}' must be one of {', '.join(ACCESS)}")
        if r["access"] != "rw" and f["access"] != r["access"]:
            raise SpecError(f["line"], f"{where}: field {f['name']} is {f['access']} in a {r['access']} register")
        if "reset" in f and not 0 <= f["reset"] < (1 << f["width"]):
            raise SpecError(f["line"], f"{where}: field {f['name']} reset {f['reset']} does not fit in {f['width']} bits")
        if f["name"] == "all":
            raise SpecError(f["line"], f"{where}: a field may not be called 'all' (the generated list of fields)")
    if r.get("loss") and not r.get("counter"):
        raise SpecError(r["line"], f"{where}: loss = true tags counters only; add counter = true or remove it")


def check_registers(spec):
    bus, net = spec["bus"], spec["net"]
    used = {}
    for r in spec["fpga_register"]:
        check_register(r, "fpga_register")
        for a in register_addrs(r):
            if a in used:
                raise SpecError(r["line"], f"fpga_register {r['name']}: address {a:#x} already used by {used[a]}")
            if a >= bus["fpga_size"]:
                raise SpecError(r["line"], f"fpga_register {r['name']}: address {a:#x} beyond bus.fpga_size {bus['fpga_size']:#x}")
            used[a] = r["name"]
        if "count" in r:
            expect = 1
            for part in r.get("index", "").split(","):
                part = part.strip()
                if part:
                    if part + "s" not in net:
                        raise SpecError(r["line"], f"fpga_register {r['name']}: index '{part}' must be bucket or split")
                    expect *= net[part + "s"]
            if r.get("index") and r["count"] != expect:
                raise SpecError(r["line"], f"fpga_register {r['name']}: count {r['count']} but index '{r['index']}' "
                                           f"gives {expect} (net.buckets = {net['buckets']}, net.splits = {net['splits']})")
            if r.get("stride", 1) == 1 and (r["count"] & (r["count"] - 1) or r["addr"] % r["count"]):
                raise SpecError(r["line"], f"fpga_register {r['name']}: the RTL decodes a stride-1 array by its high "
                                           f"address bits: count must be a power of two and addr a multiple of it")
        if r["name"].endswith("_hi") and r["name"].startswith(("systime", "timer_base")):
            w = r["fields_"][0]["width"]
            if w != spec["meta"]["systime_bits"] - 32:
                raise SpecError(r["fields_"][0]["line"], f"fpga_register {r['name']}: holds systime bits "
                                f"{spec['meta']['systime_bits'] - 1}:32, so its field is "
                                f"{spec['meta']['systime_bits'] - 32} bits wide, not {w}")
    check_counters(spec)
    chip_used = {}
    for r in spec["chip_register"]:
        check_register(r, "chip_register")
        chip_used[r["addr"]] = r["name"]
    spans = []
    for a in spec["chip_array"]:
        end = a["base"] + a["count"] * a["stride"]
        if a["access"] not in ACCESS:
            raise SpecError(a["line"], f"chip_array {a['name']}: access '{a['access']}' must be one of {', '.join(ACCESS)}")
        if end > bus["chip_size"]:
            raise SpecError(a["line"], f"chip_array {a['name']}: ends at {end:#x}, beyond bus.chip_size")
        for addr, name in chip_used.items():
            if a["base"] <= addr < end:
                raise SpecError(a["line"], f"chip_array {a['name']}: overlaps {name} at {addr:#x}")
        for name, lo, hi in spans:
            if a["base"] < hi and lo < end:
                raise SpecError(a["line"], f"chip_array {a['name']}: {a['base']:#x}..{end - 1:#x} overlaps chip_array "
                                           f"{name} ({lo:#x}..{hi - 1:#x})")
        spans.append((a["name"], a["base"], end))
        for f in a["fields"]:
            if f["offset"] >= a["stride"]:
                raise SpecError(f["line"], f"chip_array {a['name']}: field {f['name']} offset {f['offset']} >= stride")
            if not f["min"] <= f["reset"] <= f["max"]:
                raise SpecError(f["line"], f"chip_array {a['name']}: field {f['name']} reset outside min..max")


def check_counters(spec):
    c48 = spec["counters48"]
    for i, e in enumerate(c48):
        if e["addr"] != c48[0]["addr"] + 2 * i:
            raise SpecError(e["reg"]["line"], f"fpga_register {e['reg']['name']}: 48-bit counter {e['name']} "
                                              f"must sit at {c48[0]['addr'] + 2 * i:#x} (first + 2 * index: "
                                              f"fpga_regs decodes them by index)")
    blocks = {}
    for e in spec["counters32"]:
        if e["block"]:
            prev = blocks.get(e["block"])
            if prev is not None and prev != e["index"] - 1:
                raise SpecError(e["reg"]["line"], f"fpga_register {e['name']}: the counters of block {e['block']} "
                                                  f"must follow each other")
            blocks[e["block"]] = e["index"]


def check_dependencies(spec):
    """Widths and counts given in two places."""
    L, net, meta, chip = spec["_lines"], spec["net"], spec["meta"], spec["chip"]
    regs = {r["name"]: r for r in spec["fpga_register"]}
    lay = {l["name"]: l for l in spec["layout"]}
    clay = {c["name"]: c for c in spec.get("chip_layout", [])}

    def need(ok, line, what):
        if not ok:
            raise SpecError(line, what)

    need(meta["cycle_ps"] == meta["cycle_ns"] * 1000 and meta["clock_mhz"] * meta["cycle_ns"] == 1000,
         L.key("meta", "cycle_ps"), f"meta: cycle_ps {meta['cycle_ps']}, cycle_ns {meta['cycle_ns']} and clock_mhz "
                                    f"{meta['clock_mhz']} disagree (cycle_ps = cycle_ns * 1000 = 10^6 / clock_mhz)")
    arq = spec["arq"]
    need(arq["window"] <= arq["seq_space"] // 2, L.key("arq", "window"),
         f"arq: window {arq['window']} exceeds seq_space / 2 = {arq['seq_space'] // 2}: old and new frames would alias")
    need(net["link_window"] <= net["link_seq_space"] // 2, L.key("net", "link_window"),
         f"net: link_window {net['link_window']} exceeds link_seq_space / 2 = {net['link_seq_space'] // 2}")
    seq = field(lay["net_header"]["fields"], "seq")
    need(1 << seq["width"] == net["link_seq_space"], L.field("layout", "net_header", "seq"),
         f"layout net_header: field seq is {seq['width']} bits, link_seq_space {net['link_seq_space']} needs "
         f"{clog2(net['link_seq_space'])}")
    label = lay["spike_label"]["fields"]
    need(1 << field(label, "index")["width"] == net["router_entries"], L.field("layout", "spike_label", "index"),
         f"layout spike_label: field index must be {clog2(net['router_entries'])} bits (net.router_entries)")
    need(1 << field(label, "split")["width"] == net["splits"], L.field("layout", "spike_label", "split"),
         f"layout spike_label: field split must be {clog2(net['splits'])} bits (net.splits)")
    need(1 << field(lay["router_entry"]["fields"], "bucket")["width"] == net["buckets"],
         L.field("layout", "router_entry", "bucket"), f"layout router_entry: field bucket must be "
                                                       f"{clog2(net['buckets'])} bits (net.buckets)")
    for name in ("router_enable", "delay_control"):
        f = regs[name]["fields_"][0]
        need(f["width"] == net["splits"], f["line"], f"fpga_register {name}: field {f['name']} has one bit per "
                                                     f"split: {net['splits']} bits (net.splits), not {f['width']}")
    delay = field(regs["bucket_delay"]["fields_"], "delay")
    deadline = field(lay["net_event"]["fields"], "deadline")
    need(deadline["width"] == net["deadline_bits"], L.field("layout", "net_event", "deadline"),
         f"layout net_event: field deadline must be net.deadline_bits = {net['deadline_bits']} bits")
    need(delay["width"] < net["deadline_bits"], delay["line"],
         f"fpga_register bucket_delay: field delay ({delay['width']} bits) must be narrower than net.deadline_bits "
         f"({net['deadline_bits']}) so a deadline is never ambiguous")
    need(field(regs["bucket_dest"]["fields_"], "dest")["width"] == field(lay["net_header"]["fields"], "dest")["width"],
         field(regs["bucket_dest"]["fields_"], "dest")["line"], "fpga_register bucket_dest: field dest must be as wide "
                                                               "as net_header.dest")
    need(regs["bus_timeout"].get("reset") == spec["timing"]["bus_timeout_default"], regs["bus_timeout"]["line"],
         f"fpga_register bus_timeout: reset must be timing.bus_timeout_default = {spec['timing']['bus_timeout_default']}")
    need(spec["bus"]["table_size"] == net["splits"] * net["router_entries"], L.key("bus", "table_size"),
         f"bus: table_size must be net.splits * net.router_entries = {net['splits'] * net['router_entries']:#x}")
    arrays = {a["name"]: a for a in spec["chip_array"]}
    need(arrays["weight"]["count"] == chip["rows"] * chip["neurons"], arrays["weight"]["line"],
         f"chip_array weight: count must be chip.rows * chip.neurons = {chip['rows'] * chip['neurons']}")
    need(arrays["neuron"]["count"] == chip["neurons"] and arrays["row"]["count"] == chip["rows"],
         arrays["neuron"]["line"], "chip_array neuron / row: count must be chip.neurons / chip.rows")
    for name, fname, bits in (("neuron.loopback", "row", clog2(chip["rows"])), ("spike_in_label", "row", clog2(chip["rows"])),
                              ("weight.value", "weight", chip["weight_bits"]),
                              ("neuron.output", "label", field(next(w for w in spec["chip_up"]["word"] if w["name"] == "spike_out")["fields"], "label")["width"])):
        f = field(clay[name]["fields"], fname)
        need(f["width"] == bits, f["line"], f"chip_layout {name}: field {fname} must be {bits} bits wide")
    # The sample path: the FPGA copies neuron and value from the chip word into the response word.
    chip_sample = next(w for w in spec["chip_up"]["word"] if w["name"] == "sample")
    resp_sample = next(w for w in spec["response"]["word"] if w["name"] == "sample")
    for fname, bits in (("neuron", clog2(chip["neurons"])), ("value", field(chip_sample["fields"], "value")["width"])):
        f = field(resp_sample["fields"], fname)
        need(f["width"] == bits and field(chip_sample["fields"], fname)["width"] == bits, L.entry("response.word", "sample"),
             f"response word sample / chip_up word sample: field {fname} must be {bits} bits wide in both")
    spike_out = next(w for w in spec["chip_up"]["word"] if w["name"] == "spike_out")
    need(field(chip_sample["fields"], "timestamp")["width"] == field(spike_out["fields"], "timestamp")["width"]
         == chip["timestamp_bits"], L.entry("chip_up.word", "sample"),
         f"chip_up word sample: field timestamp must be chip.timestamp_bits = {chip['timestamp_bits']} bits, as in spike_out")
    need(chip["timestamp_bits"] < field(resp_sample["fields"], "systime")["width"] < meta["systime_bits"],
         L.entry("response.word", "sample"), "response word sample: field systime must be wider than "
                                             "chip.timestamp_bits and narrower than meta.systime_bits")
    for c in spec.get("chip_layout", []):
        arr, _, fname = c["name"].partition(".")
        if fname:
            need(arr in arrays and any(f["name"] == fname for f in arrays[arr]["fields"]), c["line"],
                 f"chip_layout {c['name']}: no field {fname} in chip_array {arr}")


def check(spec):
    check_words(spec)
    check_registers(spec)
    check_dependencies(spec)
    ppu.check(spec)
