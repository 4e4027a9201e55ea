"""The bindings driving the in-process simulator: results equal the C++ ones, errors,
the GIL released during a run, Ctrl-C."""
import csv
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import nmtwin
from nmtwin import spec


def chip(addr):
    return spec.chip_bus_addr(addr)


def bias_program(bias_uv=30000, until=20000, label=7):
    p = nmtwin.Program()
    p.write(chip(spec.neuron_addr(0, "output")), (1 << 31) | label)
    p.write(chip(spec.neuron_addr(0, "bias_uv")), bias_uv)
    p.timer_reset()
    p.wait_until(until)
    return p


def test_a_bias_driven_neuron_fires_regularly():
    c = nmtwin.Simulator("pair").connect(0)
    p = bias_program()
    c.run(p)
    s = p.received_spikes
    assert len(s) > 5 and set(s["label"]) == {7}
    periods = np.diff(s["systime"].astype(np.int64))
    assert len(set(periods)) == 1, "a constant drive gives one period"
    assert p.halt_systime > s["systime"][-1]
    assert c.stats["words_received"] >= len(s)


def test_same_program_same_spikes_byte_for_byte():
    runs = []
    for _ in range(2):
        c = nmtwin.Simulator("pair").connect(0)
        p = bias_program()
        c.run(p)
        runs.append(p.received_spikes.tobytes())
    assert runs[0] == runs[1]


def test_run_experiment_gives_what_nmtwin_run_writes(build_dir, repo, tmp_path):
    demo = repo / "examples" / "demo.toml"
    out = tmp_path / "cpp.csv"
    subprocess.run([str(build_dir / "nmtwin"), "run", str(demo), "-o", str(out)], check=True, capture_output=True)
    with open(out) as f:
        rows = [(int(r["label"]), int(r["systime"])) for r in csv.DictReader(f)]
    result = nmtwin.run_experiment(nmtwin.Experiment.load(str(demo)))
    got = [(int(s["label"]), int(s["systime"])) for s in result.spikes]
    assert len(rows) > 50
    assert got == rows
    assert result.late_waits == 0 and result.endpoint.startswith("sim:")


def test_a_failing_instruction_is_a_run_error_naming_it():
    c = nmtwin.Simulator("pair").connect(0)
    p = nmtwin.Program()
    p.write(spec.fpga_register("id"), 1)  # read-only
    t = p.read(spec.fpga_register("id"))
    with pytest.raises(nmtwin.RunError, match="read_only|read-only") as e:
        c.run(p)
    assert e.value.errors[0][0] == 0 and e.value.errors[0][1] == "read_only"
    assert t.value == 0x4E4D5457  # the run went on to its halt
    p2 = nmtwin.Program()
    p2.write(chip(spec.neuron_addr(0, "tau_m_ns")), 0)  # below the chip's limit
    with pytest.raises(nmtwin.RunError, match="chip_rejected"):
        c.run(p2)


def test_a_run_longer_than_the_timeout_is_a_timeout_error():
    import datetime
    c = nmtwin.Simulator("pair").connect(0)
    c.timeout = datetime.timedelta(milliseconds=1)  # simulated time: 125 000 cycles
    p = nmtwin.Program()
    p.timer_reset()
    p.wait_until(1_000_000)
    with pytest.raises(nmtwin.TimeoutError, match="raise the timeout") as e:
        c.run(p)
    assert e.value.missing == 1


def test_simulator_errors():
    with pytest.raises(Exception, match="nosuchshape"):
        nmtwin.Simulator("nosuchshape")
    s = nmtwin.Simulator("pair")
    with pytest.raises(IndexError, match="FPGA 2 does not exist"):
        s.connect(2)


def test_several_fpgas_start_together_and_compare_times():
    s = nmtwin.Simulator("pair")
    root, latency = s.global_interrupt
    fpgas = [s.connect(i) for i in range(s.size)]
    start = nmtwin.SynchronizedStart(latency, root)
    setup, timed = [], []
    for i in range(s.size):
        a = nmtwin.Program()
        a.write(chip(spec.neuron_addr(0, "output")), (1 << 31) | (10 + i))
        a.write(chip(spec.neuron_addr(0, "bias_uv")), 30000)
        setup.append(a)
        b = nmtwin.Program()
        start.begin_timed(b, i)
        b.write(chip(spec.chip_register("neuron_reset")), 1)
        b.wait_until(5000)
        timed.append(b)
    start.run(fpgas, setup, timed)
    first = [int(t.received_spikes["systime"][-1]) for t in timed]
    assert first[0] == first[1], "same neuron, same start: same spike systime on both FPGAs"


def test_scenario_runs_like_nmtwin_regress(repo):
    path = repo / "regressions" / "register_access.toml"
    sc = nmtwin.Scenario.load(str(path))
    got = nmtwin.run_scenario(sc)
    with open(sc.golden) as f:
        expected = nmtwin.parse_golden(f.read(), sc.golden)
    assert nmtwin.compare(sc, expected, got) == []
    assert nmtwin.golden_text(sc, got) == open(sc.golden).read()
    assert got.spikes.dtype.names == ("node", "label", "time")


def test_the_gil_is_released_while_a_program_runs():
    done = threading.Event()
    in_run = threading.Event()
    errors = []

    def worker():
        try:  # the simulator belongs to the thread that made it
            c = nmtwin.Simulator("pair").connect(0)
            p = bias_program(until=3_000_000)  # a firing neuron: the simulator cannot skip the wait
            in_run.set()
            c.run(p)
        except Exception as e:  # pragma: no cover
            errors.append(e)
        finally:
            done.set()

    t = threading.Thread(target=worker)
    t.start()
    in_run.wait()
    # Python work on this thread while the other one is inside run(): only possible
    # when run() does not hold the GIL.
    total = sum(range(100_000))
    finished_during = done.is_set()
    t.join()
    assert not errors and total > 0
    assert not finished_during, "this thread could only run after run() returned: the GIL was held"


def test_ctrl_c_interrupts_a_run_and_the_connection_still_works(tmp_path):
    script = tmp_path / "interrupt.py"
    script.write_text(textwrap.dedent("""
        import sys, nmtwin
        from nmtwin import spec
        s = nmtwin.Simulator("pair")
        c = s.connect(0)
        p = nmtwin.Program()
        p.write(spec.chip_bus_addr(spec.neuron_addr(0, "output")), (1 << 31) | 7)
        p.write(spec.chip_bus_addr(spec.neuron_addr(0, "bias_uv")), 30000)
        p.timer_reset()
        p.wait_until(5_000_000)  # a firing neuron: the simulator cannot skip the wait
        before = s.cycle
        try:
            print("running", flush=True)
            c.run(p)
            print("not interrupted", flush=True)
        except KeyboardInterrupt:
            print("interrupted", c.running, p.has_run, s.cycle > before, flush=True)
        q = nmtwin.Program()
        t = q.read(spec.fpga_register("id"))
        c.run(q)
        print("after", hex(t.value), flush=True)
    """))
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout.readline().strip() == "running"
    time.sleep(0.3)  # into the run (5 M cycles take seconds)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert out.splitlines() == ["interrupted False False True", "after 0x4e4d5457"]
