"""Global state of pyNN.nmtwin and how a run is played on the chips.

A run of the twin is a deterministic function of its programs, so run(), run_until()
and repeated runs replay the whole history from t = 0 on fresh chip state up to the new
end time: every segment's parameters (and the spike sources' times) as they were set,
changes at segment boundaries as timed register writes. The results of [0, t] are
those of one long run; a run of total time T after k segments simulates k * T at most.
"""

import copy
import warnings

import numpy as np
from pyNN import common, errors

from . import mapping
from . import translation as tr

name = "nmtwin"


class ID(int, common.IDMixin):

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class Results:
    def __init__(self):
        self.spikes = {}   # population -> {index: times in ms}
        self.samples = {}  # population -> (times ms, values mV [samples, recorded], {index: column})
        self.placement = None
        self.stats = {}


class State(common.control.BaseState):

    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.options = {}
        self.hardware = None
        self.clear()
        self.dt = 0.1

    # -- what PyNN calls --------------------------------------------------------------
    def run(self, simtime):
        self.run_until(self.t + simtime)

    def run_until(self, tstop):
        if tstop < self.t - 1e-9:
            raise ValueError("Time %g is in the past (current time %g)" % (tstop, self.t))
        if not self.segments or self._changed:
            self.segments = [s for s in self.segments if s[0] < self.t - 1e-12]
            self.segments.append((self.t, self._snapshot()))
            self._changed = False
        self._play(tstop)
        self.t = tstop
        self.running = True

    def clear(self):
        self.recorders = set([])
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.id_counter = 0
        self.segment_counter = -1
        self.write_on_end = []
        self.results = Results()
        self.reset()

    def reset(self):
        self.running = False
        self.t = 0
        self.t_start = 0
        self.segment_counter += 1
        self.segments = []
        self._changed = True
        self.results = Results()
        for r in self.recorders:
            r._cleared_ms = 0.0

    def mark_changed(self, structure=False):
        self._changed = True

    # -- the history ------------------------------------------------------------------
    def _snapshot(self):
        pops = {}
        for p in self.populations:
            params = {k: (v.copy() if isinstance(v, np.ndarray) else copy.deepcopy(v))
                      for k, v in p._parameters.items()}
            pops[p] = params
        currents = {s: (list(s.steps()[0]), list(s.steps()[1]), list(s._cells)) for s in self.current_sources}
        return {"pops": pops, "currents": currents}

    # -- one run from 0 to tstop --------------------------------------------------------
    def _play(self, tstop):
        from . import hardware
        from .standardmodels import IF_curr_exp
        if self.hardware is None:
            self.hardware = hardware.Hardware(self.options)
        hw = self.hardware
        end = int(tr.ms_to_cycles(tstop))
        bounds = [int(tr.ms_to_cycles(t)) for t, _ in self.segments] + [end]
        first = self.segments[0][1]

        net = mapping.Network()
        cell_pops = [p for p in self.populations if isinstance(p.celltype, IF_curr_exp)]
        src_pops = [p for p in self.populations if not isinstance(p.celltype, IF_curr_exp)]
        cell_index = {p: i for i, p in enumerate(cell_pops)}
        src_index = {p: i for i, p in enumerate(src_pops)}
        for p in cell_pops:
            prm = first["pops"][p]
            net.cells.append(mapping.CellPop(p.label, p.size))
            net.resistance.append(np.broadcast_to(tr.membrane_resistance(prm["tau_m"], prm["cm"]), (p.size,)))
        for p in src_pops:
            net.sources.append(mapping.SourcePop(p.label, p.size, self._source_times(p, bounds)))
        for proj in self.projections:
            pre_pops = proj.pre.populations if isinstance(proj.pre, common.Assembly) else [proj.pre]
            post_pops = proj.post.populations if isinstance(proj.post, common.Assembly) else [proj.post]
            if len(pre_pops) != 1 or len(post_pops) != 1:
                raise errors.ConnectionError("projection '%s': Assemblies are not supported by pyNN.nmtwin; "
                                             "project population by population" % proj.label)
            # connection indices are the (view's) own; through the IDs to the parent population's
            pre_root = proj.pre.grandparent if hasattr(proj.pre, "grandparent") else proj.pre
            post_root = proj.post.grandparent if hasattr(proj.post, "grandparent") else proj.post
            c = proj.connections
            pre_ids = np.array([int(proj.pre.all_cells[x.presynaptic_index]) for x in c], dtype=np.int64)
            post_ids = np.array([int(proj.post.all_cells[x.postsynaptic_index]) for x in c], dtype=np.int64)
            pre_idx = pre_ids - int(pre_root.first_id)
            post_idx = post_ids - int(post_root.first_id)
            pre = ("cell", cell_index[pre_root]) if pre_root in cell_index else ("source", src_index[pre_root])
            net.projections.append(mapping.Proj(
                proj.label, pre, cell_index[post_root], pre_idx, post_idx,
                np.array([x.weight for x in c], dtype=float), np.array([x.delay for x in c], dtype=float),
                proj.receptor_type))
        n_chips = mapping.place(net.cells, hw.chips, hw.max_per_chip)
        hw.use_chips(n_chips)
        plan = mapping.plan(net, n_chips, hw.remote_delay_range[0], hw.remote_delay_range)
        for label, err in plan.rounding:
            warnings.warn("projection '%s': weights rounded to the chip's 6-bit synapses, largest change %.3g %% "
                          "(docs/pynn.md, 'Weights')" % (label, 100 * err), tr.RoundingWarning, stacklevel=4)

        # Neuron registers per segment and current-source change point.
        neuron_writes = self._neuron_timeline(cell_pops, net, bounds)
        recorded_v = {p: sorted(p.recorder.recorded.get("v", ())) for p in cell_pops}
        raw = hw.play(net, plan, neuron_writes, bounds, end, recorded_v,
                      {p: p.recorder.sampling_interval for p in cell_pops})
        self._collect(raw, net, cell_pops, src_pops, end, recorded_v)
        self.results.placement = placement_info(net, plan, cell_pops)

    def _source_times(self, pop, bounds):
        """Spike cycles of every source of a host-driven population over all segments."""
        from .standardmodels import SpikeSourceArray
        times = [[] for _ in range(pop.size)]
        for k, (t0, snap) in enumerate(self.segments):
            lo, hi = bounds[k], bounds[k + 1]
            prm = snap["pops"][pop]
            if isinstance(pop.celltype, SpikeSourceArray):
                for i in range(pop.size):
                    st = prm["spike_times"][i]
                    st = np.asarray(getattr(st, "value", st), dtype=float)
                    c = tr.ms_to_cycles(st)
                    times[i].append(c[(c >= lo) & (c < hi)])
            else:
                seed = self.options.get("rng_seed", 1)
                for i in range(pop.size):
                    rate = float(np.broadcast_to(prm["rate"], (pop.size,))[i])
                    start = float(np.broadcast_to(prm["start"], (pop.size,))[i])
                    dur = float(np.broadcast_to(prm["duration"], (pop.size,))[i])
                    if rate <= 0:
                        continue
                    # One stream per (population, source, segment): deterministic and independent of
                    # how later segments are split.
                    rng = np.random.default_rng([seed, self.populations.index(pop), i, k])
                    t, out = max(start, tr.cycles_to_ms(lo)), []
                    stop = min(start + dur, tr.cycles_to_ms(hi))
                    while True:
                        t += rng.exponential(1000.0 / rate)
                        if t >= stop:
                            break
                        out.append(t)
                    c = tr.ms_to_cycles(out) if out else np.empty(0, dtype=np.int64)
                    times[i].append(c[(c >= lo) & (c < hi)])
        return [np.sort(np.concatenate(t)) if t else np.empty(0, dtype=np.int64) for t in times]

    def _neuron_timeline(self, cell_pops, net, bounds):
        """[(cycle, chip, neuron, {field: value})]: the register values of every neuron at
        cycle 0 and whenever a segment or a current source changes them."""
        out = []
        for pi, p in enumerate(cell_pops):
            cp = net.cells[pi]
            points = set()
            for k in range(len(self.segments)):
                points.add(bounds[k])
            for k, (_, snap) in enumerate(self.segments):
                for src, (times, amps, cells) in snap["currents"].items():
                    if any(getattr(c, "parent", None) is p for c in cells):
                        for t in times:
                            c = int(tr.ms_to_cycles(t))
                            if bounds[k] <= c < bounds[k + 1]:
                                points.add(c)
            v_init = np.broadcast_to(p.initial_values["v"].evaluate(simplify=False), (p.size,))
            R0 = net.resistance[pi]
            prev = None
            for c in sorted(points):
                if c >= bounds[-1] and c != 0:
                    continue
                k = max(j for j in range(len(self.segments)) if bounds[j] <= c)
                snap = self.segments[k][1]
                prm = {n: np.broadcast_to(np.asarray(v, dtype=float), (p.size,)) for n, v in snap["pops"][p].items()}
                extra = np.zeros(p.size)
                for src, (times, amps, cells) in snap["currents"].items():
                    ct = tr.ms_to_cycles(times)
                    active = [a for t, a in zip(ct, amps) if t <= c]
                    amp = active[-1] if active else 0.0
                    for cell in cells:
                        if getattr(cell, "parent", None) is p:
                            extra[p.id_to_index(int(cell))] += amp
                regs = tr.neuron_registers(p.label, prm, v_init, extra)
                R = tr.membrane_resistance(prm["tau_m"], prm["cm"])
                regs["_r_ratio"] = np.broadcast_to(R / R0, (p.size,))
                for i in range(p.size):
                    vals = {f: int(regs[f][i]) for f in regs if f != "_r_ratio"}
                    vals["_r_ratio"] = float(regs["_r_ratio"][i])
                    if prev is None or prev[i] != vals:
                        changed = vals if prev is None else {f: v for f, v in vals.items() if prev[i].get(f) != v}
                        out.append((c, int(cp.chip[i]), int(cp.neuron[i]), changed))
                prev = [{f: (int(regs[f][i]) if f != "_r_ratio" else float(regs[f][i])) for f in regs}
                        for i in range(p.size)]
        out.sort(key=lambda x: (x[0], x[1], x[2]))
        return out

    def _collect(self, raw, net, cell_pops, src_pops, end, recorded_v):
        res = self.results
        res.spikes = {}
        for pi, p in enumerate(cell_pops):
            cp = net.cells[pi]
            d = {}
            for i in range(p.size):
                t = raw.spikes.get((int(cp.chip[i]), int(cp.neuron[i])), [])
                t = np.asarray(t, dtype=np.int64)
                d[i] = tr.cycles_to_ms(t[(t >= 0) & (t < end)])
            res.spikes[p] = d
        for si, p in enumerate(src_pops):
            res.spikes[p] = {i: tr.cycles_to_ms(t[t < end]) for i, t in enumerate(net.sources[si].times)}
        res.samples = {}
        for pi, p in enumerate(cell_pops):
            idx = recorded_v[p]
            if not idx:
                continue
            cp = net.cells[pi]
            indices = [p.id_to_index(int(i)) for i in idx]
            times, values = raw.sample_matrix(
                [(int(cp.chip[i]), int(cp.neuron[i])) for i in indices], p.recorder.sampling_interval, end)
            # t = 0 is the initial value itself (as PyNN's other backends report it): the cycle of
            # neuron_reset is sampled before the reset acts
            v_init = np.broadcast_to(p.initial_values["v"].evaluate(simplify=False), (p.size,))
            values[0, :] = [v_init[i] for i in indices]
            res.samples[p] = (times, values, {i: k for k, i in enumerate(indices)})
        res.stats = raw.stats


def placement_info(net, plan, cell_pops):
    """What get_backend_statistics() reports."""
    pops = []
    for pi, p in enumerate(cell_pops):
        cp = net.cells[pi]
        chips = {}
        for c, n in zip(cp.chip, cp.neuron):
            lo, hi = chips.get(int(c), (int(n), int(n)))
            chips[int(c)] = (min(lo, int(n)), max(hi, int(n)))
        pops.append({"label": p.label, "size": p.size,
                     "chips": {c: {"first_neuron": lo, "last_neuron": hi} for c, (lo, hi) in sorted(chips.items())}})
    chips = []
    for i, c in enumerate(plan.chips):
        chips.append({"chip": i, "neurons": int(sum(int((cp.chip == i).sum()) for cp in net.cells)),
                      "rows": plan.n_rows[i], "routes": len(c.routes),
                      "buckets": {b: {"dest": d, "delay_ms": float(tr.cycles_to_ms(dl))}
                                  for b, (d, dl) in c.buckets.items()}})
    return {"populations": pops, "chips": chips,
            "weight_rounding": {label: err for label, err in plan.rounding}}


state = State()
