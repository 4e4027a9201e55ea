"""The chips: programs from a mapping.Plan, run through the nmtwin bindings.

Timing (measured on the twin, checked by python/tests/pynn/test_timing.py):
- a spike instruction executed at timer t reaches the chip at t + 1 (spec
  timing.spike_in_latency) and adds to the synaptic input from that cycle on;
- a register write executed at timer t acts from cycle t + WRITE_LATENCY;
- a chip spike is reported with the systime of the cycle the neuron fired (the first
  cycle with V >= threshold);
- a chip spike at cycle c routed to another chip through a bucket of delay D enters
  that chip's synapse row at c + REMOTE_LATENCY + D.
The cycle S0 on which neuron_reset acts is state time 0: every neuron starts from its
leak_uv (= the initial v, translation.neuron_registers) on that cycle, and cycle S0 + k
is state time k (k * 0.008 ms). As in Brian 2 (and NEST), a spike is reported one step
before the state in which the threshold is crossed, and an input with arrival time t
(spike time + delay) acts on the state from t + 1 step: so a spike the chip fires at
S0 + k is reported at k - 1, and a spike arriving at t is sent at timer S0 + t.
"""

import math
import os
import warnings
from collections import defaultdict

import numpy as np
from pyNN import errors

from . import translation as tr

try:
    import nmtwin as _nm
except ImportError as _err:  # reported when a run needs the chips
    _nm = None
    _import_error = _err

SPIKE_IN_LATENCY = 1
WRITE_LATENCY = 4          # timer of a write instruction -> cycle its value acts (measured)
REMOTE_LATENCY = 3         # chip spike -> bucket stamp, plus delay buffer -> chip (measured)
MIN_BUCKET_DELAY = 48      # the smallest deadline beyond the path of a pair (32-cycle link; measured)
MAX_BUCKET_DELAY = 1023    # bucket_delay is 10 bits
DELAY_LOSS_EXPIRED = "delay_loss_expired[0]"  # FPGA counter of split 0 (nmtwin.spec.fpga_register)
RESET_AT = 64              # timer of the neuron_reset write (after the configuration)
CONFIG_CYCLES_PER_OP = 8   # budget per configuration write before neuron_reset (a write takes 2-4)
TAIL = 64                  # cycles run after the end so every spike before it has arrived

# The membrane sampler (record('v')): the only place that names its registers.
SAMPLER = {"enable_field": "sample", "period_array": "sampler", "period_field": "period_ns"}


class SamplerMissing(errors.RecordingError):
    """record('v') cannot be served: the message says which hardware path is missing."""

    def __init__(self, message):
        super().__init__("v", None)
        self.message = message

    def __str__(self):
        return self.message


def _bindings():
    if _nm is None:
        raise ImportError("pyNN.nmtwin needs the nmtwin Python bindings (build target nmtwin_python; "
                          "PYTHONPATH=build/python): %s" % _import_error)
    return _nm


def check_sampler(population):
    """record('v') needs the chip's membrane sampler and its samples as
    Program.received_samples; RecordingError (SamplerMissing) names what is missing."""
    nm = _bindings()
    fields = [f["name"] for f in nm.spec.chip_fields("neuron")]
    if SAMPLER["enable_field"] not in fields or not hasattr(nm.Program, "received_samples") \
            or SAMPLER["period_array"] not in nm.spec.chip_arrays():
        raise SamplerMissing(
            "population '%s': recording 'v' needs the chip's membrane sampler (neuron field '%s', chip array '%s' "
            "with field '%s', samples over the chip link to Program.received_samples), which this nmtwin build "
            "does not have (spec/nmtwin.toml)" % (population, SAMPLER["enable_field"], SAMPLER["period_array"],
                                                  SAMPLER["period_field"]))


def sampling_interval_on_grid(interval_ms, population):
    """The sampler runs on the 0.008 ms cycle grid: an interval off it is rounded to the
    nearest whole number of cycles (at least one) with a RoundingWarning."""
    c = max(1, int(round(float(interval_ms) / tr.CYCLE_MS)))
    if abs(c * tr.CYCLE_MS - float(interval_ms)) > 1e-9:
        warnings.warn("population '%s': sampling_interval %g ms rounded to %g ms (%d FPGA cycles of 0.008 ms), "
                      "the sampler's grid" % (population, interval_ms, c * tr.CYCLE_MS, c), tr.RoundingWarning,
                      stacklevel=5)
    return round(c * tr.CYCLE_MS, 9)


def sampling_period_cycles(interval_ms, population):
    c = float(interval_ms) / tr.CYCLE_MS
    if c < 1 or abs(c - round(c)) > 1e-6:
        raise errors.InvalidParameterValueError(
            "population '%s': sampling_interval %g ms is not a whole number of FPGA cycles (0.008 ms); the chip's "
            "sampler runs on the cycle grid" % (population, interval_ms))
    return int(round(c))


class RawResults:
    def __init__(self):
        self.spikes = defaultdict(list)   # (chip, neuron) -> cycles after t = 0
        self.samples = defaultdict(list)  # (chip, neuron) -> [(cycle, uV)]
        self.stats = {}

    def sample_matrix(self, keys, interval_ms, end):
        """Samples of the neurons `keys` at t = 0, interval, ... <= end, in mV (NaN where
        a sample was dropped on the way: counted in stats['samples_dropped'])."""
        period = sampling_period_cycles(interval_ms, "?")
        grid = np.arange(0, end + 1, period, dtype=np.int64)
        values = np.full((grid.size, len(keys)), np.nan)
        for j, k in enumerate(keys):
            got = dict(self.samples.get(k, []))
            for i, c in enumerate(grid):
                if int(c) in got:
                    values[i, j] = got[int(c)] / 1000.0
        return tr.cycles_to_ms(grid), values


class Hardware:
    """The FPGAs of one PyNN session: one in-process node (or NMTWIN_TARGET), or the
    in-process simulator of a topology."""

    def __init__(self, options):
        nm = _bindings()
        tr.load_limits(nm.spec)
        self.options = options
        self.topology = options.get("topology")
        self.max_per_chip = int(options.get("max_neurons_per_chip", nm.spec.chip_neurons))
        if not 1 <= self.max_per_chip <= nm.spec.chip_neurons:
            raise errors.InvalidParameterValueError(
                "setup(max_neurons_per_chip=%d): must be 1 ... %d" % (self.max_per_chip, nm.spec.chip_neurons))
        self.system = None
        if self.topology is not None:
            self.system = nm.Simulator(self.topology)
            self.chips = self.system.size
            if options.get("chips") not in (None, self.chips):
                raise errors.InvalidParameterValueError(
                    "setup(chips=%s, topology=%r): the topology has %d FPGAs" % (options["chips"], self.topology,
                                                                               self.chips))
        else:
            self.chips = int(options.get("chips", 64))
        self.remote_delay_range = (REMOTE_LATENCY + MIN_BUCKET_DELAY, REMOTE_LATENCY + MAX_BUCKET_DELAY)
        self.connections = None
        self.written = defaultdict(set)   # chip -> addresses holding nonzero configuration
        self.n_used = 0
        self.base_guess = 1  # systime at which a synchronised start's timer starts (measured; checked)
        self._sampled = {}
        self._output_addrs = set()

    def use_chips(self, n):
        """Connects to the FPGAs a plan of n chips needs (kept for later runs)."""
        nm = _nm
        if self.connections is not None and self.n_used >= n:
            return
        self.written.clear()
        if self.system is None and n == 1 and os.environ.get("NMTWIN_TARGET"):
            self.connections = [nm.connect_from_env("sim:")]
        else:
            if self.system is None:
                # One chip: node 0 of a pair, a system that later runs of more chips
                # reuse (the idle second node costs nothing with warp).
                self.system = nm.Simulator("pair" if n <= 2 else "ring%d" % n)
            if self.system.size < n:
                raise errors.InvalidDimensionsError(
                    "the network needs %d chips, topology %r has %d FPGAs" % (n, self.topology, self.system.size))
            self.connections = [self.system.connect(i) for i in range(self.system.size)]
        self.n_used = n

    # -- programs -------------------------------------------------------------------------
    def _setup_writes(self, plan, chip, neuron_writes):
        spec = _nm.spec
        w = {}
        cp = plan.chips[chip]
        for row, inh, targets in cp.rows:
            w[spec.chip_bus_addr(spec.row_addr(row, "inhibitory"))] = int(inh)
            for n, u in targets.items():
                w[spec.chip_bus_addr(spec.weight_addr(row, n))] = int(u)
        for c, ch, n, vals in neuron_writes:
            if c != 0 or ch != chip:
                continue
            for f, v in vals.items():
                if f == "_r_ratio":
                    continue
                w[spec.chip_bus_addr(spec.neuron_addr(n, f))] = int(v) & 0xFFFFFFFF
            w[spec.chip_bus_addr(spec.neuron_addr(n, "output"))] = (1 << 31) | n
            self._output_addrs.add(spec.chip_bus_addr(spec.neuron_addr(n, "output")))
            w[spec.chip_bus_addr(spec.neuron_addr(n, "weight_scale_uv"))] = int(cp.scale.get(n, 1))
            if n in self._sampled.get(chip, ()):
                w[spec.chip_bus_addr(spec.neuron_addr(n, SAMPLER["enable_field"]))] = 1
            if n in cp.loopback:
                w[spec.chip_bus_addr(spec.neuron_addr(n, "loopback"))] = (1 << 31) | cp.loopback[n]
        return w

    def play(self, net, plan, neuron_writes, bounds, end, recorded_v, intervals):
        """Runs the plan; with membranes recorded, again if the timer started on another
        systime than assumed (the sampler's grid is on chip time: docs/pynn.md)."""
        period = 0
        for pop, ids in recorded_v.items():
            if ids:
                period = math.gcd(period, sampling_period_cycles(intervals[pop], pop.label))
        for _ in range(2):
            raw = self._play(net, plan, neuron_writes, end, recorded_v, period)
            if period == 0 or raw.aligned:
                return raw
        raise SamplerMissing("recording 'v': the FPGA timer started on another systime in two runs, so the "
                             "sampler's grid (chip time) could not be put on PyNN's t = 0")

    def _play(self, net, plan, neuron_writes, end, recorded_v, period):
        nm = _nm
        spec = nm.spec
        n = len(plan.chips)
        # The synchronised start puts the timer on a known systime (the sampler needs it) and is
        # needed between chips; one chip without samples runs its programs directly (run_together
        # polls the FPGAs in turn, and under heavy output the response path of one then overflows).
        multi = n > 1 or (period > 0 and self.system is not None)
        setups, timed = [], []
        timelines = []
        self._sampled = defaultdict(set)
        for pop, ids in recorded_v.items():
            cp_pop = net.cells[[c.label for c in net.cells].index(pop.label)] if ids else None
            for i in ids:
                k = pop.id_to_index(int(i))
                self._sampled[int(cp_pop.chip[k])].add(int(cp_pop.neuron[k]))
        for chip, neurons in self._sampled.items():
            if len(neurons) > period:
                names = sorted(pop.label for pop, ids in recorded_v.items() if ids)
                raise SamplerMissing(
                    "recording 'v' of %d neurons on chip %d (populations %s) every %d cycle(s) needs %.3g sample "
                    "words per cycle; the chip link carries one (docs/chip.md, 'Sampler'): record at most %d "
                    "neurons per chip at this sampling_interval, or use sampling_interval >= %g ms"
                    % (len(neurons), chip, ", ".join("'%s'" % n for n in names), period, len(neurons) / period,
                       period, len(neurons) * tr.CYCLE_MS))
        # The configuration of every chip, as (kind, args) operations.
        configs = []
        sampler = spec.chip_bus_addr(spec.chip_array_addr(SAMPLER["period_array"], 0, SAMPLER["period_field"]))
        for chip in range(len(self.connections)):
            ops = []
            if chip < n:
                cp = plan.chips[chip]
                writes = self._setup_writes(plan, chip, neuron_writes)
                if self._sampled.get(chip):
                    writes[sampler] = period * nm.spec.cycle_ns
                stale = self.written[chip] - set(a for a, v in writes.items() if v)
                ops += [("write", (a, 0)) for a in sorted(stale)]
                ops += [("write", (a, writes[a])) for a in sorted(writes)]
                if multi:
                    ops += [("route", nm.Route(0, r[0], r[1], r[2])) for r in cp.routes]
                    ops += [("bucket", (b, nm.Bucket(dest, False, delay - REMOTE_LATENCY, 1, 0)))
                            for b, (dest, delay) in cp.buckets.items()]
                self.written[chip] = set(a for a, v in writes.items() if v)
            if multi:
                ops += [("write", (spec.fpga_register("node_id"), chip)),
                        ("write", (spec.fpga_register("router_enable"), 1 if chip < n and plan.chips[chip].routes else 0)),
                        ("write", (spec.fpga_register("event_source"),
                                   2 if chip < n and plan.chips[chip].routes else 0))]
            configs.append(ops)

        def apply(ops, program):
            for kind, args in ops:
                if kind == "write":
                    program.write(*args)
                elif kind == "route":
                    nm.write_route(program, args)
                else:
                    nm.write_bucket(program, *args)

        # With the synchronised start, the configuration runs after the start (inside the timed
        # program), so that no spike of it is stamped with the systime from before the start;
        # neuron_reset comes after it. State time 0 (cycle S0 = reset_at + WRITE_LATENCY) goes on
        # the sampler's grid: chip time (= systime) of S0 a multiple of the period.
        reset_at = RESET_AT + (CONFIG_CYCLES_PER_OP * max(len(o) for o in configs) if multi else 0)
        if period:
            while (self.base_guess + reset_at + WRITE_LATENCY) % period:
                reset_at += 1
        s0 = reset_at + WRITE_LATENCY
        for chip in range(len(self.connections)):
            events = []
            if chip < n:
                cp = plan.chips[chip]
                for (pop, idx, dc, inh), rows in cp.host_rows.items():
                    for t in net.sources[pop].times[idx]:
                        arrival = int(t) + dc
                        if arrival >= end:
                            break
                        for r in rows:
                            # the chip adds it SPIKE_IN_LATENCY cycles later: state time arrival + 1
                            events.append((s0 + arrival + 1 - SPIKE_IN_LATENCY, 1, r))
                for c, ch, nn, vals in neuron_writes:
                    if c == 0 or ch != chip:
                        continue
                    for f, v in vals.items():
                        if f == "_r_ratio":
                            addr = spec.chip_bus_addr(spec.neuron_addr(nn, "weight_scale_uv"))
                            v = int(round(cp.scale.get(nn, 1) * v))
                        else:
                            addr = spec.chip_bus_addr(spec.neuron_addr(nn, f))
                        events.append((s0 + c - WRITE_LATENCY, 0, (addr, int(v) & 0xFFFFFFFF)))
            events.sort(key=lambda e: (e[0], e[1]))
            timelines.append(events)
            setup = nm.Program()
            if not multi:
                apply(configs[chip], setup)
            setup.barrier()
            setups.append(setup)

        if multi:
            root, latency = self.system.global_interrupt
            start = nm.SynchronizedStart(latency, root)
            for chip in range(len(self.connections)):
                p = nm.Program()
                start.begin_timed(p, chip)
                apply(configs[chip], p)
                timed.append(p)
        else:
            for s in setups:
                s.systime_sync()
            timed = [nm.Program()]
            timed[0].timer_reset()
        tickets = []
        for chip, p in enumerate(timed):
            p.wait_until(reset_at)
            p.write(spec.chip_bus_addr(spec.chip_register("neuron_reset")), 1)
            # spikes fired during the configuration (and dropped while no program ran) do not count
            dropped_before = p.read(spec.fpga_register("spikes_to_host_dropped"))
            late_reset = p.read(spec.fpga_register("late_waits"))
            i, ev = 0, timelines[chip]
            while i < len(ev):
                t = ev[i][0]
                p.wait_until(t)
                labels = []
                while i < len(ev) and ev[i][0] == t:
                    if ev[i][1] == 0:
                        p.write(*ev[i][2])
                    else:
                        labels.append(ev[i][2])
                    i += 1
                if labels:
                    p.spikes(np.asarray(labels, dtype=np.uint16))
            p.wait_until(s0 + end + TAIL)
            tickets.append((p.read(spec.fpga_register("timer_base_lo")), p.read(spec.fpga_register("timer_base_hi")),
                            p.read(spec.fpga_register("late_waits")), nm.read_counter48(p, spec.fpga_register(DELAY_LOSS_EXPIRED)),
                            p.read(spec.fpga_register("spikes_to_host_dropped")), dropped_before, late_reset))
            # Quiet until the next run: no output spikes, no samples (the next run's start moves
            # systime, and a spike from before it would be stamped wrongly).
            for a in sorted(self.written[chip]):
                if a in self._output_addrs or a == sampler:
                    p.write(a, 0)
        if multi:
            start.run(self.connections, setups, timed)
        else:
            self.connections[0].run(setups[0])
            self.connections[0].run(timed[0])
        raw = RawResults()
        raw.aligned = True
        late, expired, dropped = 0, 0, 0
        for chip, p in enumerate(timed):
            lo, hi, lw, ex, dr, dr0, lr = tickets[chip]
            if int(lr.value):
                raise RuntimeError("pyNN.nmtwin: the configuration of chip %d took longer than the %d cycles budgeted "
                                   "before neuron_reset (CONFIG_CYCLES_PER_OP)" % (chip, reset_at))
            base = int(lo.value) | (int(hi.value) << 32)
            late += int(lw.value)
            expired += int(ex.value)
            dropped += int(dr.value) - int(dr0.value)
            sp = p.received_spikes
            for label, systime in zip(sp["label"], sp["systime"]):
                raw.spikes[(chip, int(label))].append(int(systime) - base - s0 - 1)
            if self._sampled.get(chip):
                if (base + s0) % period:
                    raw.aligned = False
                self.base_guess = base
                sm = p.received_samples
                for n, v, t in zip(sm["neuron"], sm["value_uv"], sm["systime"]):
                    k = int(t) - base - s0
                    if 0 <= k <= end:
                        raw.samples[(chip, int(n))].append((k, int(v)))
        raw.stats = {"late_waits": late, "delay_loss_expired": expired, "spikes_to_host_dropped": dropped}
        if period:
            want = sum(len(n) for n in self._sampled.values()) * (end // period + 1)
            got = sum(len(v) for v in raw.samples.values())
            raw.stats["samples_missing"] = max(0, want - got)
            if want > got and raw.aligned:
                warnings.warn("%d membrane sample(s) did not reach the host (the chip link was busy with spikes); "
                              "they are NaN in the AnalogSignal" % (want - got), RuntimeWarning, stacklevel=5)
        if dropped:
            warnings.warn(
                "%d output spike(s) were dropped by the FPGAs on their way to the host (counter "
                "spikes_to_host_dropped): more spikes at once than the host link takes; the recorded spikes are "
                "incomplete, the network itself ran unchanged" % dropped, RuntimeWarning, stacklevel=5)
        if late:
            warnings.warn(
                "%d input spike time(s) or register write(s) were played late (counter late_waits): events closer "
                "together than the FPGA plays them (docs/pynn.md, 'Timing')" % late, RuntimeWarning, stacklevel=5)
        if expired:
            raise errors.ConnectionError(
                "%d spike(s) between chips arrived after their deadline and were dropped: a cross-chip delay is "
                "shorter than this topology's network path; use longer delays (docs/pynn.md, 'Delays')" % expired)
        return raw
