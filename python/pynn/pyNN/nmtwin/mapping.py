"""Network -> chips: placement, synapse rows, weight scales, routes, the host timeline.

Pure Python: the input is a `Network` (plain lists and arrays the simulator module
fills from the PyNN objects), the output a `Plan` of register values per chip and a
timeline of timed spikes and register writes. docs/pynn.md describes the rules.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from pyNN import errors

from . import translation as tr

CHIP_NEURONS = 512
CHIP_ROWS = 256
BUCKETS = 8


@dataclass
class CellPop:
    """A population of IF_curr_exp neurons (key: its index in Network.cells)."""
    label: str
    size: int
    chip: np.ndarray = None    # per neuron
    neuron: np.ndarray = None  # per neuron: index on its chip


@dataclass
class SourcePop:
    """A population of host-driven spike sources."""
    label: str
    size: int
    times: list = None  # per source: sorted int64 array of spike cycles (PyNN time, rounded)


@dataclass
class Proj:
    label: str
    pre: tuple   # ('cell', i) or ('source', i)
    post: int    # index into Network.cells
    pre_idx: np.ndarray
    post_idx: np.ndarray
    weight: np.ndarray  # nA (PyNN sign convention)
    delay: np.ndarray   # ms
    receptor: str


@dataclass
class Network:
    cells: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    projections: list = field(default_factory=list)
    resistance: list = field(default_factory=list)  # per cell population: R = tau_m/cm (MOhm) per neuron


@dataclass
class ChipPlan:
    rows: list = field(default_factory=list)            # (row, inhibitory, {neuron: units})
    scale: dict = field(default_factory=dict)           # neuron -> weight_scale_uv
    loopback: dict = field(default_factory=dict)        # neuron -> row
    routes: list = field(default_factory=list)          # (source label, bucket, dest label)
    buckets: dict = field(default_factory=dict)         # bucket -> (dest chip, delay in cycles)
    host_rows: dict = field(default_factory=dict)       # (source pop, index, delay cycles, inh) -> [rows]


@dataclass
class Plan:
    chips: list
    n_rows: list  # rows used per chip
    rounding: list = field(default_factory=list)  # (projection, largest relative weight error)


def place(cells, chips, max_per_chip=CHIP_NEURONS):
    """Fills chips in creation order: population after population, a population that
    does not fit in the rest of a chip continues on the next one. Raises
    InvalidDimensionsError naming the first population that does not fit."""
    chip, used = 0, 0
    for pop in cells:
        pop.chip = np.empty(pop.size, dtype=np.int64)
        pop.neuron = np.empty(pop.size, dtype=np.int64)
        for k in range(pop.size):
            if used == max_per_chip:
                chip, used = chip + 1, 0
            if chip >= chips:
                total = sum(p.size for p in cells)
                raise errors.InvalidDimensionsError(
                    "population '%s' does not fit: %d neurons in all, %d chip(s) of %d neurons%s; use "
                    "setup(chips=N) with N >= %d, or a topology with that many FPGAs"
                    % (pop.label, total, chips, max_per_chip,
                       "" if max_per_chip == CHIP_NEURONS else " (max_neurons_per_chip)",
                       -(-total // max_per_chip)))
            pop.chip[k] = chip
            pop.neuron[k] = used
            used += 1
    return chip + 1 if any(p.size for p in cells) else 1


def plan(net, n_chips, cycle_delay_min_remote, remote_delay_range):
    """Builds the synapse rows, scales, loopbacks and routes of every chip.

    cycle_delay_min_remote: the smallest delay (cycles) a cross-chip connection can
    have; remote_delay_range: (lo, hi) of realisable cross-chip delays in cycles.
    """
    chips = [ChipPlan() for _ in range(n_chips)]
    # incoming[(chip, neuron)] -> {source key: signed uV}; a key says how the spike gets there
    incoming = defaultdict(lambda: defaultdict(float))
    key_proj = {}  # source key -> projection label (the first that made it, for messages)
    for proj in net.projections:
        post = net.cells[proj.post]
        R = net.resistance[proj.post]
        w = np.asarray(proj.weight, dtype=float)
        if proj.receptor == "excitatory":
            bad = w < 0
            if bad.any():
                raise errors.InvalidWeightError(
                    "projection '%s': weight %g nA on the excitatory receptor; excitatory weights must be >= 0 "
                    "(use receptor_type='inhibitory' with a negative weight for inhibition)"
                    % (proj.label, w[bad][0]))
        elif proj.receptor == "inhibitory":
            bad = w > 0
            if bad.any():
                raise errors.InvalidWeightError(
                    "projection '%s': weight %g nA on the inhibitory receptor; IF_curr_exp is current based, so "
                    "PyNN expects inhibitory weights <= 0" % (proj.label, w[bad][0]))
        else:
            raise errors.ConnectionError("projection '%s': receptor_type '%s' is not one of 'excitatory', "
                                         "'inhibitory'" % (proj.label, proj.receptor))
        inh = proj.receptor == "inhibitory"
        d = tr.ms_to_cycles(proj.delay)
        for a, b, wv, dc in zip(proj.pre_idx, proj.post_idx, w, d):
            chip, neuron = int(post.chip[b]), int(post.neuron[b])
            uv = abs(wv) * R[b] * 1000.0
            if proj.pre[0] == "source":
                if dc < 1:
                    raise errors.ConnectionError(
                        "projection '%s': delay %g ms is below one FPGA cycle (0.008 ms), the shortest delay of a "
                        "host-driven source" % (proj.label, proj.delay[0] if np.ndim(proj.delay) else proj.delay))
                key = ("host", proj.pre[1], int(a), int(dc), inh)
            else:
                pre = net.cells[proj.pre[1]]
                src_chip, src_neuron = int(pre.chip[a]), int(pre.neuron[a])
                if src_chip == chip:
                    if dc != 1:
                        raise errors.ConnectionError(
                            "projection '%s': delay %g ms from '%s' to '%s' on chip %d cannot be realised: a "
                            "connection within one chip goes through the chip's loopback, which takes exactly one "
                            "FPGA cycle (delay=0.008); longer delays exist only between chips (%g ... %g ms, the "
                            "inter-chip deadline)"
                            % (proj.label, tr.cycles_to_ms(dc), pre.label, post.label, chip,
                               tr.cycles_to_ms(remote_delay_range[0]), tr.cycles_to_ms(remote_delay_range[1])))
                    key = ("loop", src_chip, src_neuron, 1, inh)
                else:
                    lo, hi = remote_delay_range
                    if not lo <= dc <= hi:
                        raise errors.ConnectionError(
                            "projection '%s': delay %g ms from chip %d to chip %d cannot be realised: between chips "
                            "the delay is the bucket deadline, %g ... %g ms in steps of 0.008 ms"
                            % (proj.label, tr.cycles_to_ms(dc), src_chip, chip, tr.cycles_to_ms(lo),
                               tr.cycles_to_ms(hi)))
                    key = ("remote", src_chip, src_neuron, int(dc), inh, chip)
            incoming[(chip, neuron)][key] += uv
            key_proj.setdefault(key, proj.label)

    # Weight scale per post neuron, units per (source key, post neuron).
    units = defaultdict(dict)  # key -> {(chip, neuron): units}
    worst = defaultdict(float)
    for (chip, neuron), srcs in incoming.items():
        keys = list(srcs)
        mags = np.array([srcs[k] for k in keys])
        maxu = np.array([tr.WEIGHT_MAX * (tr.MAX_JOINED_ROWS if k[0] == "host" else 1) for k in keys])
        scale, u = tr.choose_scale(mags, maxu)
        chips[chip].scale[neuron] = scale
        for k, m, uu in zip(keys, mags, u):
            if m > 0:
                err = abs(uu * scale - m) / m
                if err > 1e-9:
                    worst[key_proj[k]] = max(worst[key_proj[k]], err)
            if uu > 0:
                units[k][(chip, neuron)] = int(uu)

    # Rows: sources with the same weights onto the same neurons share rows.
    row_of_sig = [dict() for _ in range(n_chips)]
    row_users = [defaultdict(set) for _ in range(n_chips)]

    def row_for(chip, inh, targets, user):
        sig = (inh, tuple(sorted(targets.items())))
        rows = row_of_sig[chip]
        if sig not in rows:
            r = len(chips[chip].rows)
            if r >= CHIP_ROWS:
                raise errors.ConnectionError(
                    "projection '%s' needs more than the %d synapse rows of chip %d (every source with its own "
                    "weights onto a chip takes a row, a host source one per delay and up to %d for weights above "
                    "63 units); use fewer distinct sources or weights, or more chips"
                    % (user, CHIP_ROWS, chip, tr.MAX_JOINED_ROWS))
            rows[sig] = r
            chips[chip].rows.append((r, inh, dict(targets)))
        row_users[chip][rows[sig]].add(user)
        return rows[sig]

    loop_key_of_neuron = {}
    remote_of_neuron = {}
    for key in sorted(units, key=repr):
        targets = units[key]
        per_chip = defaultdict(dict)
        for (chip, neuron), u in targets.items():
            per_chip[chip][neuron] = u
        user = key_proj[key]
        if key[0] == "host":
            _, pop, idx, dc, inh = key
            for chip, t in per_chip.items():
                n_rows = max(1, -(-max(t.values()) // tr.WEIGHT_MAX))
                rows = []
                for j in range(n_rows):
                    part = {n: tr.split_units(u, n_rows)[j] for n, u in t.items()}
                    part = {n: u for n, u in part.items() if u > 0}
                    if part:
                        rows.append(row_for(chip, inh, part, user))
                chips[chip].host_rows[(pop, idx, dc, inh)] = rows
        elif key[0] == "loop":
            _, chip, neuron, _, inh = key
            if (chip, neuron) in loop_key_of_neuron and loop_key_of_neuron[(chip, neuron)][0] != inh:
                raise errors.ConnectionError(
                    "projection '%s': neuron %d of chip %d has excitatory and inhibitory targets on its own chip; "
                    "the chip's loopback feeds one synapse row, which is either excitatory or inhibitory"
                    % (user, neuron, chip))
            t = per_chip[chip]
            loop_key_of_neuron[(chip, neuron)] = (inh, t)
            chips[chip].loopback[neuron] = row_for(chip, inh, t, user)
        else:
            _, src_chip, neuron, dc, inh, dst_chip = key
            prev = remote_of_neuron.get((src_chip, neuron))
            if prev is not None and prev[:2] != (dst_chip, dc):
                raise errors.ConnectionError(
                    "projection '%s': neuron %d of chip %d projects to chip %d with delay %g ms and to chip %d with "
                    "delay %g ms; a chip's spike has one route (one destination chip, one bucket deadline)"
                    % (user, neuron, src_chip, prev[0], tr.cycles_to_ms(prev[1]), dst_chip, tr.cycles_to_ms(dc)))
            if prev is not None and prev[2] != inh:
                raise errors.ConnectionError(
                    "projection '%s': neuron %d of chip %d has excitatory and inhibitory targets on chip %d; a "
                    "route delivers a spike into one synapse row" % (user, neuron, src_chip, dst_chip))
            remote_of_neuron[(src_chip, neuron)] = (dst_chip, dc, inh, per_chip[dst_chip], user)

    for (src_chip, neuron), (dst_chip, dc, inh, t, user) in sorted(remote_of_neuron.items()):
        row = row_for(dst_chip, inh, t, user)
        cp = chips[src_chip]
        bucket = None
        for b, (dest, delay) in cp.buckets.items():
            if dest == dst_chip and delay == dc:
                bucket = b
        if bucket is None:
            if len(cp.buckets) == BUCKETS:
                raise errors.ConnectionError(
                    "projection '%s': chip %d needs more than %d (destination chip, delay) pairs; each takes one of "
                    "the FPGA's %d buckets" % (user, src_chip, BUCKETS, BUCKETS))
            bucket = len(cp.buckets)
            cp.buckets[bucket] = (dst_chip, dc)
        cp.routes.append((neuron, bucket, row))

    return Plan(chips=chips, n_rows=[len(c.rows) for c in chips],
                rounding=sorted(worst.items()))
