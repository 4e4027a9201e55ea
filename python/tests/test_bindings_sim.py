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
            c = nmtwin.Simulator("pair").connect(0)  # stepped, every cycle (NMTWIN_NO_WARP below)
            p = bias_program(until=3_000_000)
            in_run.set()
            c.run(p)
        except Exception as e:  # pragma: no cover
            errors.append(e)
        finally:
            done.set()

    os.environ["NMTWIN_NO_WARP"] = "1"  # read when the simulator is made: the wait takes its cycles
    t = threading.Thread(target=worker)
    try:
        t.start()
        in_run.wait()
    finally:
        del os.environ["NMTWIN_NO_WARP"]
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
        p.wait_until(30_000_000)  # stepped (NMTWIN_NO_WARP): seconds of wall time
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
    env = dict(os.environ, NMTWIN_NO_WARP="1")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout.readline().strip() == "running"
    time.sleep(0.3)  # into the run (30 M stepped cycles take seconds)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert out.splitlines() == ["interrupted False False True", "after 0x4e4d5457"]


def test_the_same_program_over_udp_to_nmtwin_sim(build_dir):
    server = subprocess.Popen([str(build_dir / "nmtwin"), "sim", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        for line in server.stdout:
            if "listening on" in line:
                url = line.split("listening on ")[1].split()[0]
                break
        assert url and url.startswith("udp://")
        os.environ[nmtwin.target_variable] = url
        try:
            c = nmtwin.connect_from_env("sim:")
        finally:
            del os.environ[nmtwin.target_variable]
        assert c.endpoint == url
        p = bias_program()
        c.run(p)
        local = nmtwin.Simulator("pair").connect(0)
        q = bias_program()
        local.run(q)
        # Over UDP the program starts when it arrives; the spikes after the timer reset
        # are the same, shifted by that start.
        udp, sim = p.received_spikes["systime"].astype(np.int64), q.received_spikes["systime"].astype(np.int64)
        assert len(udp) == len(sim) and len(udp) > 5
        assert (np.diff(udp) == np.diff(sim)).all()
        assert c.stats["frames_sent"] >= 1
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_firmware_runs_on_the_chip_processor(build_dir):
    c = nmtwin.Simulator("pair").connect(0)
    image = nmtwin.fw.load_elf(str(build_dir / "firmware" / "hello.elf"))
    printed = []
    result = nmtwin.fw.run(c, image, name="hello.elf", console=printed.append)
    assert result["exited"] and result["exit_code"] == 0
    assert result["console"].startswith("hello from the nmtwin PPU")
    assert "".join(printed) == result["console"]
    crash = nmtwin.fw.load_elf(str(build_dir / "firmware" / "crash.elf"))
    with pytest.raises(nmtwin.FirmwareError, match="illegal instruction") as e:
        nmtwin.fw.run(c, crash, name="crash.elf")
    assert e.value.failure == "trap"
    assert e.value.backtrace[0].startswith("crash_inner")
    assert crash.symbolize(e.value.pc) == e.value.backtrace[0]


def test_start_poll_run_together_and_the_network_helpers():
    s = nmtwin.Simulator("pair")
    a, b = s.connect(0), s.connect(1)
    # start/poll by hand
    p = bias_program(until=5000)
    a.start(p)
    assert a.running
    while not a.poll(p, 1.0):
        pass
    assert not a.running and p.has_run and len(p.received_spikes) > 0
    with pytest.raises(ValueError, match="wait_ms"):
        a.poll(p, -1)
    # run_together, with routes, buckets, counters and the start systime
    programs = [nmtwin.Program(), nmtwin.Program()]
    route = nmtwin.Route(split=0, source=5, bucket=1, dest_label=9)
    nmtwin.write_route(programs[0], route)
    nmtwin.clear_route(programs[0], 0, 6)
    nmtwin.write_bucket(programs[0], 1, nmtwin.Bucket(dest=1, delay=100, pulse_timeout=4))
    entry = programs[0].read(0x10000 + 5)  # spec [bus] table_base + split * router_entries + label
    counter = nmtwin.read_counter48(programs[1], spec.fpga_register("packets_sent[1]"))
    programs[1].timer_reset()
    start = nmtwin.read_start_systime(programs[1])
    nmtwin.run_together([a, b], programs)
    assert entry.value != 0 and counter.value == 0 and start.value > 0
    with pytest.raises(ValueError, match="same Program"):
        nmtwin.run_together([a, b], [programs[0], programs[0]])
    with pytest.raises(ValueError, match="bucket"):
        nmtwin.write_route(nmtwin.Program(), nmtwin.Route(bucket=99))
    # the systime sync by hand, as SynchronizedStart does it
    root, latency = s.global_interrupt
    delays = nmtwin.gi_delays(latency)
    setup = [nmtwin.Program(), nmtwin.Program()]
    for i in range(2):
        nmtwin.prepare_systime_sync(setup[i], delays[i], 1_000_000)
    nmtwin.run_together([a, b], setup)
    timed = [nmtwin.Program(), nmtwin.Program()]
    starts = []
    for i in range(2):
        nmtwin.synchronized_start(timed[i], i == root)
        starts.append(nmtwin.read_start_systime(timed[i]))
    nmtwin.run_together([a, b], timed)
    assert starts[0].value == starts[1].value >= 1_000_000


def test_experiment_files_in_python(repo):
    e = nmtwin.Experiment.parse('[experiment]\nname = "tiny"\nduration_us = 10\n', "tiny.toml")
    assert e.name == "tiny" and e.duration == 1250 and e.input_spike_count == 0
    program, reads = e.program()
    assert len(program) > 0 and reads == []
    c = nmtwin.Simulator("pair").connect(0)
    c.run(program)
    assert program.has_run
    found = nmtwin.load_scenarios([str(repo / "regressions")])
    assert "register_access" in [s.name for s in found]
    options = nmtwin.ConnectOptions()
    options.max_resends = 3
    assert options.max_resends == 3 and options.rto_max.total_seconds() == 2


def test_membrane_samples_arrive_as_a_structured_array():
    c = nmtwin.Simulator("pair").connect(0)
    period_cycles = 100
    p = bias_program(until=20000)
    p.write(chip(spec.neuron_addr(0, "sample")), 1)
    p.write(chip(spec.chip_array_addr("sampler", 0, "period_ns")), period_cycles * spec.cycle_ns)
    p.wait_until(30000)
    p.write(chip(spec.chip_array_addr("sampler", 0, "period_ns")), 0)  # off before the program ends
    p.barrier()
    c.run(p)
    s = p.received_samples
    assert s.dtype.names == ("neuron", "value_uv", "systime")
    assert len(s) > 50 and set(s["neuron"]) == {0}
    assert (s["systime"] % period_cycles == 0).all(), "samples are taken on the period's grid"
    assert (np.diff(s["systime"].astype(np.int64)) == period_cycles).all()
    assert (s["value_uv"] % spec.sample_lsb_uv == 0).all()
    assert s["value_uv"].min() >= -65000 - spec.sample_lsb_uv and s["value_uv"].max() <= -50000 + spec.sample_lsb_uv
    spikes = p.received_spikes["systime"]
    spikes = spikes[spikes > s["systime"][0]]
    assert len(spikes) > 5
    # between two spikes the membrane rises
    between = s[(s["systime"] > spikes[1]) & (s["systime"] < spikes[2])]["value_uv"]
    assert len(between) > 3 and (np.diff(between) >= 0).all()
