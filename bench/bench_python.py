#!/usr/bin/python3
"""The Python bindings' overhead (docs/performance.md, "Python"): the program of
bench/bench_program.cpp built and run through `import nmtwin`, next to the C++ figures of
build/bench/bench_program; and, where the PyNN backend is there, a PyNN network of 512
IF_curr_exp neurons on one chip, built and run. Best of N runs each.

usage: bench/bench_python.py [--build-dir DIR] [--runs N]
Needs PYTHONPATH=<build>/python (scripts/bench sets it). Writes its figures to
$NMTWIN_BENCH_JSON when that is set, as the C++ benchmarks do.
"""
import argparse
import json
import os
import subprocess
import sys
import time


def build_program(nmtwin):
    # Kept in step with bench/bench_program.cpp's build().
    spec = nmtwin.spec
    chip = spec.chip_bus_addr
    fields = [("threshold_uv", -50000), ("reset_uv", -65000), ("leak_uv", -65000), ("bias_uv", 0),
              ("tau_m_ns", 10000), ("tau_syn_ns", 5000), ("refractory_ns", 2000), ("weight_scale_uv", 1000)]
    p = nmtwin.Program()
    for i in range(spec.chip_neurons):
        for name, value in fields:
            p.write(chip(spec.neuron_addr(i, name)), value & 0xFFFFFFFF)
        p.write(chip(spec.neuron_addr(i, "output")), (1 << 31) | i)
        p.write(chip(spec.neuron_addr(i, "loopback")), 0)
    for row in range(8):
        for i in range(spec.chip_neurons):
            p.write(chip(spec.weight_addr(row, i)), 11 if i % 8 == row else 0)
    p.timer_reset()
    for k in range(10000):
        p.wait_until(1000 + 50 * k)
        p.spike(k % 8)
    p.wait_until(1000 + 50 * 10000 + 10000)  # the last spikes leave the chip before the reads
    counters = [p.read(chip(spec.chip_array_addr("spike_counter", i, "value"))) for i in range(100)]
    return p, counters


def bench_program(nmtwin, runs):
    fpga = nmtwin.Simulator("pair").connect(0)
    best_build = best_run = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        p, counters = build_program(nmtwin)
        t1 = time.perf_counter()
        fpga.run(p)
        spikes = p.received_spikes
        counted = sum(t.value for t in counters)
        t2 = time.perf_counter()
        best_build = min(best_build, (t1 - t0) * 1e3)
        best_run = min(best_run, (t2 - t1) * 1e3)
    print(f"bench_python: {len(p)} instructions, {len(spikes)} spikes back, {counted} counted by the first 100 "
          f"counters (best of {runs})")
    return best_build, best_run


def bench_pynn(runs):
    try:
        import pyNN.nmtwin as sim  # noqa: F401
    except ImportError as e:
        print(f"bench_python: no PyNN backend ({e}): the PyNN figures are left out")
        return None
    best_build = best_run = float("inf")
    spikes = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        sim.setup(timestep=0.008)
        stim = sim.Population(64, sim.SpikeSourcePoisson(rate=20.0), label="stimulus")
        cells = sim.Population(512, sim.IF_curr_exp(i_offset=0.0, tau_syn_E=5.0, tau_syn_I=5.0), label="cells")
        sim.Projection(stim, cells, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(seed=1)),
                       sim.StaticSynapse(weight=0.5), receptor_type="excitatory")
        cells.record("spikes")
        t1 = time.perf_counter()
        sim.run(200.0)
        spikes = sum(len(s) for s in cells.get_data().segments[0].spiketrains)
        t2 = time.perf_counter()
        sim.end()
        best_build = min(best_build, (t1 - t0) * 1e3)
        best_run = min(best_run, (t2 - t1) * 1e3)
    print(f"bench_python: PyNN, 512 IF_curr_exp cells driven by 64 Poisson sources at 20 Hz for 200 ms "
          f"(biological): {spikes} spikes (best of {runs})")
    return best_build, best_run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.runs < 1:
        sys.exit(f"bench_python: --runs {args.runs} must be at least 1")
    try:
        import nmtwin
    except ImportError as e:
        sys.exit(f"bench_python: cannot import nmtwin ({e}): set PYTHONPATH={args.build_dir}/python "
                 f"and build the target nmtwin_python")
    cpp = os.path.join(args.build_dir, "bench", "bench_program")
    env = dict(os.environ)
    env.pop("NMTWIN_BENCH_JSON", None)
    tmp = os.path.join(args.build_dir, "bench", "bench_program.json")
    env["NMTWIN_BENCH_JSON"] = tmp
    try:
        subprocess.run([cpp, str(args.runs)], check=True, env=env)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"bench_python: {cpp} failed ({e}): build it (cmake --build {args.build_dir} --target bench_program)")
    with open(tmp) as f:
        c = {fig["name"]: fig["value"] for fig in json.load(f)["figures"]}
    os.remove(tmp)
    build, run = bench_program(nmtwin, args.runs)
    figures = [
        ("C++ program build", c["C++ program build"], "ms", "lower"),
        ("C++ program run", c["C++ program run"], "ms", "lower"),
        ("Python program build", build, "ms", "lower"),
        ("Python program run", run, "ms", "lower"),
        ("Python build / C++ build", build / c["C++ program build"], "x", "lower"),
        ("Python run / C++ run", run / c["C++ program run"], "x", "lower"),
    ]
    pynn = bench_pynn(max(1, min(args.runs, 3)))
    if pynn:
        figures += [("PyNN 512 neurons build", pynn[0], "ms", "lower"), ("PyNN 512 neurons run", pynn[1], "ms", "lower")]
    for name, value, unit, _ in figures:
        print(f"  {name:28s} {value:10.3f} {unit}")
    out = os.environ.get("NMTWIN_BENCH_JSON")
    if out:
        with open(out, "w") as f:
            json.dump({"bench": "bench_python", "figures": [
                {"name": n, "value": v, "unit": u, "better": b} for n, v, u, b in figures]}, f)


if __name__ == "__main__":
    main()
