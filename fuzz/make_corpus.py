#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/TARGET/) from real inputs:

  fuzz_files      the example experiments, the CLI tests' experiments (good and bad), the
                  regression scenarios, their golden files and the topology files, each
                  behind the byte that selects its parser (0 experiment, 1 scenario,
                  2 golden, 3 topology);
  fuzz_elf        the firmware ELFs of the build (BUILD/firmware/*.elf), each as a u32
                  length, the file, then no readback (the target answers 0);
  fuzz_arq, fuzz_responses, fuzz_node
                  a real session with an in-process node, recorded by BUILD/fuzz/fuzz_make_seeds.

usage: fuzz/make_corpus.py [BUILD]   (default: build-fuzz, built with `ninja firmware fuzz_make_seeds`)
"""
import glob
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def put(target, name, data):
    path = os.path.join(ROOT, "fuzz", "corpus", target, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{os.path.relpath(path, ROOT)} ({len(data)} bytes)")


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build-fuzz"))
    files = [(0, p) for p in ["examples/demo.toml", "examples/synfire.toml", "tests/cli/fw_hello.toml",
                              "tests/cli/late_spikes.toml", "tests/cli/drop_event.toml"]]
    files += [(0, p) for p in sorted(glob.glob("tests/cli/bad/*.toml", root_dir=ROOT))]
    files += [(1, p) for p in sorted(glob.glob("regressions/*.toml", root_dir=ROOT))]
    files += [(2, p) for p in sorted(glob.glob("regressions/golden/*.golden", root_dir=ROOT))]
    files += [(3, p) for p in sorted(glob.glob("examples/topologies/*.toml", root_dir=ROOT))
              + sorted(glob.glob("regressions/topologies/*.toml", root_dir=ROOT))]
    kinds = ["experiment", "scenario", "golden", "topology"]
    for kind, path in files:
        with open(os.path.join(ROOT, path), "rb") as f:
            text = f.read()
        name = f"{kinds[kind]}_{path.replace('/', '_')}"
        put("fuzz_files", name, bytes([kind]) + text)
    elfs = sorted(glob.glob(os.path.join(build, "firmware", "*.elf")))
    if not elfs:
        sys.exit(f"make_corpus.py: no firmware ELF in {build}/firmware: run `ninja -C {build} firmware` first")
    for elf in elfs:
        with open(elf, "rb") as f:
            data = f.read()
        put("fuzz_elf", os.path.basename(elf), struct.pack(">I", len(data)) + data)
    seeds = os.path.join(build, "fuzz", "fuzz_make_seeds")
    env = dict(os.environ, LSAN_OPTIONS=f"suppressions={os.path.join(ROOT, 'tests', 'sanitizers', 'lsan.supp')}")
    subprocess.run([seeds, os.path.join(ROOT, "fuzz", "corpus")], check=True, env=env)


if __name__ == "__main__":
    main()
