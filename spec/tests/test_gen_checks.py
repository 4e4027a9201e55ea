#!/usr/bin/env python3
"""gen.py refuses a broken spec and names the entry and its line.

usage: test_gen_checks.py GEN.py SPEC.toml

Each case edits one entry of a copy of the spec; gen.py must exit 1 with
`<copy>:<line>: <message>`, the line being that of the edited entry.
"""
import pathlib
import subprocess
import sys
import tempfile

# (what to replace, replacement, text on the line the error must name, message part)
CASES = [
    ('{ name = "multicast", lsb = 16, width = 1, doc = "1: dest',
     '{ name = "multicast", lsb = 15, width = 1, doc = "1: dest', 'name = "dest", lsb = 0, width = 16',
     "fpga_register bucket_dest: field dest [15:0] overlaps field multicast [15:15]"),
    ("window = 128\n", "window = 129\n", "window = 129", "arq: window 129 exceeds seq_space / 2 = 128"),
    ('name = "gi_mode"\naddr = 0x63', 'name = "gi_mode"\naddr = 0x62', 'name = "gi_mode"',
     "fpga_register gi_mode: address 0x62 already used by gi_measure"),
    ('name = "gi_mode"\naddr = 0x63\naccess = "rw"\nreset = 0', 'name = "gi_mode"\naddr = 0x63\naccess = "rw"\nreset = 2',
     'name = "gi_mode"', "fpga_register gi_mode: reset 0x2 sets bits 0x2 outside every field"),
    ('name = "bucket_dest"\naddr = 0x48\ncount = 8', 'name = "bucket_dest"\naddr = 0x48\ncount = 4',
     'name = "bucket_dest"', "fpga_register bucket_dest: count 4 but index 'bucket' gives 8"),
    ('{ name = "delay", lsb = 0, width = 10,', '{ name = "delay", lsb = 0, width = 16,', 'name = "delay", lsb = 0',
     "fpga_register bucket_delay: field delay (16 bits) must be narrower than net.deadline_bits (16)"),
    ('name = "link_crc_errors"\naddr = 0xC8', 'name = "link_crc_errors"\naddr = 0xD0', 'name = "link_crc_errors"',
     "48-bit counter link_crc_errors must sit at 0xc8"),
    ('name = "scratch"\naddr = 0x04\naccess = "rw"\n', 'name = "scratch"\naddr = 0x04\naccess = "rw"\nloss = true\n',
     'name = "scratch"', "fpga_register scratch: loss = true tags counters only"),
    ('{ name = "systime_high", lsb = 0, width = 11,', '{ name = "systime_high", lsb = 0, width = 12,',
     'name = "systime_high"', "fpga_register systime_hi: holds systime bits 42:32, so its field is 11 bits wide"),
    ('{ name = "split", lsb = 0, width = 2, doc = "bit s enables', '{ name = "split", lsb = 0, width = 3, doc = "bit s enables',
     'width = 3, doc = "bit s enables', "fpga_register router_enable: field split has one bit per split"),
    ('{ name = "row", lsb = 0, width = 8, doc = "synapse row" }', '{ name = "row", lsb = 0, width = 7, doc = "synapse row" }',
     'width = 7, doc = "synapse row"', "chip_layout neuron.loopback: field row must be 8 bits wide"),
    ('name = "corr_acausal"\nbase = 0x220000', 'name = "corr_acausal"\nbase = 0x21FFF0', 'name = "corr_acausal"',
     "chip_array corr_acausal: 0x21fff0..0x23ffef overlaps chip_array corr_causal (0x200000..0x21ffff)"),
    ('name = "spike_counter"\nbase = 0x030000\ncount = 512\nstride = 1\naccess = "ro"',
     'name = "spike_counter"\nbase = 0x030000\ncount = 512\nstride = 1\naccess = "r"', 'name = "spike_counter"',
     "chip_array spike_counter: access 'r' must be one of ro, rw, wo"),
    ("cycle_ps = 8000", "cycle_ps = 8001", "cycle_ps = 8001", "meta: cycle_ps 8001, cycle_ns 8 and clock_mhz 125 disagree"),
]


def run(gen, spec, out):
    return subprocess.run([sys.executable, gen, str(spec), str(out)], capture_output=True, text=True)


def main(gen, spec_path):
    text = pathlib.Path(spec_path).read_text()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        spec = pathlib.Path(tmp) / "nmtwin.toml"
        spec.write_text(text)
        r = run(gen, spec, pathlib.Path(tmp) / "out")
        if r.returncode != 0:
            print(f"FAIL: the unmodified spec is rejected: {r.stderr}")
            return 1
        for old, new, marker, message in CASES:
            if text.count(old) != 1:
                print(f"FAIL: the spec no longer contains exactly one {old!r}: update this test")
                failures += 1
                continue
            broken = text.replace(old, new)
            spec.write_text(broken)
            line = next(i for i, l in enumerate(broken.splitlines(), 1) if marker in l)
            r = run(gen, spec, pathlib.Path(tmp) / "out")
            expect = f"{spec}:{line}: "
            if r.returncode != 1 or expect not in r.stderr or message not in r.stderr:
                print(f"FAIL: {new!r}: expected exit 1 and '{expect}...{message}', got {r.returncode}: {r.stderr}")
                failures += 1
            else:
                print(f"ok: {r.stderr.strip()}")
    print(f"{len(CASES) - failures} of {len(CASES)} broken specs rejected by name and line")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
