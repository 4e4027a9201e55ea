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
DELAY_LOSS_EXPIRED = 0xBE  # FPGA counter delay_loss_expired, split 0 (spec/nmtwin.toml; indexed registers
                           # have no name lookup in nmtwin.spec.fpga_register)
RESET_AT = 64              # timer of the neuron_reset write
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
    """record('v') needs the chip's membrane sampler, its samples as
    Program.received_samples, and a sampling grid that starts at t = 0. Raises
    RecordingError (SamplerMissing) naming what this build lacks."""
    nm = _bindings()
    fields = [f["name"] for f in nm.spec.chip_fields("neuron")]
    if SAMPLER["enable_field"] not in fields or not hasattr(nm.Program, "received_samples"):
        raise SamplerMissing(
            "population '%s': recording 'v' needs the chip's membrane sampler (neuron field '%s', chip array '%s' "
            "with field '%s', samples over the chip link to Program.received_samples), which this nmtwin build "
            "does not have (spec/nmtwin.toml)" % (population, SAMPLER["enable_field"], SAMPLER["period_array"],
                                                  SAMPLER["period_field"]))
    raise SamplerMissing(
        "population '%s': recording 'v' is not available yet: the chip's sampler takes samples at chip times that "
        "are multiples of its period, while PyNN's samples start at t = 0, whose chip time is known only after "
        "the run (docs/pynn.md, 'Recording')" % population)


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
                # One chip: node 0 of a pair (the bindings' sim: scheme is not registered in
                # the module; the idle second node costs nothing with warp).
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
            w[spec.chip_bus_addr(spec.neuron_addr(n, "weight_scale_uv"))] = int(cp.scale.get(n, 1))
            if n in cp.loopback:
                w[spec.chip_bus_addr(spec.neuron_addr(n, "loopback"))] = (1 << 31) | cp.loopback[n]
        return w

    def play(self, net, plan, neuron_writes, bounds, end, recorded_v, intervals):
        nm = _nm
        spec = nm.spec
        n = len(plan.chips)
        multi = n > 1
        setups, timed = [], []
        timelines = []
        for chip in range(n):
            cp = plan.chips[chip]
            writes = self._setup_writes(plan, chip, neuron_writes)
            setup = nm.Program()
            stale = self.written[chip] - set(a for a, v in writes.items() if v)
            for a in sorted(stale):
                setup.write(a, 0)
            for a in sorted(writes):
                setup.write(a, writes[a])
            if multi:
                for route in cp.routes:
                    nm.write_route(setup, nm.Route(0, route[0], route[1], route[2]))
                for b, (dest, delay) in cp.buckets.items():
                    nm.write_bucket(setup, b, nm.Bucket(dest, False, delay - REMOTE_LATENCY, 1, 0))
                setup.write(spec.fpga_register("node_id"), chip)
                setup.write(spec.fpga_register("router_enable"), 1 if cp.routes or n > 1 else 0)
                setup.write(spec.fpga_register("event_source"), 2 if cp.routes else 0)
            setup.barrier()
            self.written[chip] = set(a for a, v in writes.items() if v)
            # The timeline of this chip: (timer, order, kind, payload).
            s0 = RESET_AT + WRITE_LATENCY
            events = []
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
            setups.append(setup)
            timed.append(nm.Program())

        if multi:
            root, latency = self.system.global_interrupt
            start = nm.SynchronizedStart(latency, root)
            timed = []
            for chip in range(len(self.connections)):
                p = nm.Program()
                start.begin_timed(p, chip)
                timed.append(p)
            while len(setups) < len(self.connections):
                q = nm.Program()
                q.barrier()
                setups.append(q)
                timelines.append([])
        else:
            for p, s in zip(timed, setups):
                s.systime_sync()
                p.timer_reset()
        tickets = []
        for chip, p in enumerate(timed):
            p.wait_until(RESET_AT)
            p.write(spec.chip_bus_addr(spec.chip_register("neuron_reset")), 1)
            # spikes fired during the configuration (and dropped while no program ran) do not count
            dropped_before = p.read(spec.fpga_register("spikes_to_host_dropped"))
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
            p.wait_until(RESET_AT + WRITE_LATENCY + end + TAIL)
            tickets.append((p.read(spec.fpga_register("timer_base_lo")), p.read(spec.fpga_register("timer_base_hi")),
                            p.read(spec.fpga_register("late_waits")), nm.read_counter48(p, DELAY_LOSS_EXPIRED),
                            p.read(spec.fpga_register("spikes_to_host_dropped")), dropped_before))
        if multi:
            start.run(self.connections, setups, timed)
        else:
            self.connections[0].run(setups[0])
            self.connections[0].run(timed[0])
        raw = RawResults()
        s0 = RESET_AT + WRITE_LATENCY
        late, expired, dropped = 0, 0, 0
        for chip, p in enumerate(timed):
            lo, hi, lw, ex, dr, dr0 = tickets[chip]
            base = int(lo.value) | (int(hi.value) << 32)
            late += int(lw.value)
            expired += int(ex.value)
            dropped += int(dr.value) - int(dr0.value)
            sp = p.received_spikes
            for label, systime in zip(sp["label"], sp["systime"]):
                raw.spikes[(chip, int(label))].append(int(systime) - base - s0 - 1)
        raw.stats = {"late_waits": late, "delay_loss_expired": expired, "spikes_to_host_dropped": dropped}
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
