"""PyNN units -> chip registers: IF_curr_exp parameters, times, weights.

Everything here is pure Python (NumPy): no hardware, no PyNN state, so it is tested
on its own (python/tests/pynn/test_translation.py). docs/pynn.md lists every rule.

Units: PyNN mV, ms (biological), nA, nF, MOhm. The chip: uV, hardware ns, 8 ns cycles.
Speed-up 1000: 1 ms biological = 1 us hardware = 1000 ns; 1 cycle = 8 ns = 0.008 ms.
"""

import warnings

import numpy as np
from pyNN import errors

CYCLE_MS = 0.008  # one FPGA cycle in biological ms (8 ns x 1000)
NS_PER_MS = 1000.0  # hardware ns per biological ms
WEIGHT_MAX = 63  # 6-bit synapses
MAX_JOINED_ROWS = 4  # rows joined for one host-driven source and delay


class RoundingWarning(errors.RoundingWarning):
    """A value changed when it was rounded to what the chip can represent (weights to
    6-bit units of the post neuron's weight_scale_uv, times to ns or cycles)."""


# Register limits of the neuron fields (spec/nmtwin.toml, [[chip_array]] neuron).
# Filled from nmtwin.spec.chip_fields('neuron') by load_limits(); the values below are the
# spec's at the time of writing and are checked against the bindings by the tests.
NEURON_LIMITS = {
    "threshold_uv": (-1_000_000, 1_000_000),
    "reset_uv": (-1_000_000, 1_000_000),
    "leak_uv": (-1_000_000, 1_000_000),
    "bias_uv": (-1_000_000, 1_000_000),
    "tau_m_ns": (8, 100_000_000),
    "tau_syn_ns": (8, 100_000_000),
    "refractory_ns": (0, 100_000_000),
    "weight_scale_uv": (0, 1_000_000),
}


def load_limits(spec):
    """Takes the limits from the bindings' spec (nmtwin.spec.chip_fields('neuron'))."""
    for f in spec.chip_fields("neuron"):
        if f["name"] in NEURON_LIMITS:
            NEURON_LIMITS[f["name"]] = (int(f["min"]), int(f["max"]))


def ms_to_cycles(t_ms):
    """Biological ms -> the nearest whole cycle (8 ns hardware = 0.008 ms)."""
    return np.rint(np.asarray(t_ms, dtype=float) / CYCLE_MS).astype(np.int64)


def cycles_to_ms(c):
    return np.asarray(c, dtype=float) * CYCLE_MS


def membrane_resistance(tau_m, cm):
    """R = tau_m / cm in MOhm (ms / nF), the factor from nA to mV."""
    return np.asarray(tau_m, dtype=float) / np.asarray(cm, dtype=float)


def _where(population, index):
    return "population '%s'" % population if index is None else "neuron %d of population '%s'" % (index, population)


def check_cell_parameters(population, params):
    """Checks IF_curr_exp parameters (PyNN names and units, arrays of the population's
    size) against what the chip can represent; raises InvalidParameterValueError naming
    the population, the parameter and the range. Done when a population is created and
    on every set()."""
    def arr(name):
        return np.atleast_1d(np.asarray(params[name], dtype=float))

    def fail(name, value, what):
        raise errors.InvalidParameterValueError(
            "%s: %s = %g %s" % ("population '%s'" % population, name, value, what))

    for name in ("tau_m", "tau_syn_E", "tau_syn_I", "tau_refrac", "cm", "v_rest", "v_thresh", "v_reset", "i_offset"):
        a = arr(name)
        bad = ~np.isfinite(a)
        if bad.any():
            fail(name, a[bad][0], "is not a finite number")
    cm = arr("cm")
    if (cm <= 0).any():
        fail("cm", cm[cm <= 0][0], "nF: the capacitance must be positive")
    for name, field in (("tau_m", "tau_m_ns"), ("tau_syn_E", "tau_syn_ns"), ("tau_syn_I", "tau_syn_ns"),
                        ("tau_refrac", "refractory_ns")):
        lo, hi = NEURON_LIMITS[field]
        ns = arr(name) * NS_PER_MS
        bad = (np.rint(ns) < lo) | (np.rint(ns) > hi)
        if bad.any():
            fail(name, arr(name)[bad][0],
                 "ms is outside the chip's range %g ... %g ms (register %s, %d ... %d hardware ns at speed-up 1000)"
                 % (lo / NS_PER_MS, hi / NS_PER_MS, field, lo, hi))
    e, i = arr("tau_syn_E"), arr("tau_syn_I")
    e, i = np.broadcast_arrays(e, i)
    bad = e != i
    if bad.any():
        k = int(np.argmax(bad))
        raise errors.InvalidParameterValueError(
            "population '%s': tau_syn_I = %g ms differs from tau_syn_E = %g ms; the chip has one synaptic time "
            "constant per neuron (register tau_syn_ns): set tau_syn_I equal to tau_syn_E" % (population, i[k], e[k]))
    for name, field in (("v_thresh", "threshold_uv"), ("v_reset", "reset_uv"), ("v_rest", "leak_uv")):
        lo, hi = NEURON_LIMITS[field]
        uv = arr(name) * 1000.0
        bad = (uv < lo) | (uv > hi)
        if bad.any():
            fail(name, arr(name)[bad][0],
                 "mV is outside the chip's range %g ... %g mV (register %s)" % (lo / 1000, hi / 1000, field))


def _round_register(population, name, field, values, unit):
    """Rounds to whole register units, warns once when a value changes by more than a
    millionth of itself (float noise such as 20.000000001 passes quietly)."""
    values = np.asarray(values, dtype=float)
    r = np.rint(values)
    changed = np.abs(r - values) > 1e-6 * np.maximum(np.abs(values), 1.0)
    if changed.any():
        k = int(np.argmax(changed))
        warnings.warn(
            "population '%s': %s = %r rounded to %d %s (register %s has a resolution of 1 %s)"
            % (population, name, values[k] / (1000.0 if unit in ("uV", "ns") else 1.0), int(r[k]), unit, field, unit),
            RoundingWarning, stacklevel=4)
    return r.astype(np.int64)


def neuron_registers(population, params, v_init, bias_extra_na=None):
    """IF_curr_exp parameters (PyNN units, arrays) -> chip register values (int arrays).

    neuron_reset puts the membrane at leak_uv and the neuron relaxes to
    leak_uv + bias_uv, so leak_uv carries the initial membrane potential v_init and
    bias_uv the rest: leak + bias = v_rest + (i_offset + I_dc) * R. The dynamics depend
    only on that sum, so this is exact for any initial value.
    """
    p = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in params.items()}
    R = membrane_resistance(p["tau_m"], p["cm"])
    i_total = p["i_offset"] + (0.0 if bias_extra_na is None else np.asarray(bias_extra_na, dtype=float))
    rest_uv = (p["v_rest"] + i_total * R) * 1000.0
    leak = np.rint(np.asarray(v_init, dtype=float) * 1000.0).astype(np.int64)
    regs = {
        "threshold_uv": _round_register(population, "v_thresh", "threshold_uv", p["v_thresh"] * 1000.0, "uV"),
        "reset_uv": _round_register(population, "v_reset", "reset_uv", p["v_reset"] * 1000.0, "uV"),
        "leak_uv": leak,
        "bias_uv": np.rint(rest_uv - leak).astype(np.int64),
        "tau_m_ns": _round_register(population, "tau_m", "tau_m_ns", p["tau_m"] * NS_PER_MS, "ns"),
        "tau_syn_ns": _round_register(population, "tau_syn_E", "tau_syn_ns", p["tau_syn_E"] * NS_PER_MS, "ns"),
        "refractory_ns": refractory_register(population, p["tau_refrac"]),
    }
    n = max(len(v) for v in regs.values())
    regs = {k: np.broadcast_to(v, (n,)).copy() for k, v in regs.items()}
    for field in ("leak_uv", "bias_uv"):
        lo, hi = NEURON_LIMITS[field]
        bad = (regs[field] < lo) | (regs[field] > hi)
        if bad.any():
            k = int(np.argmax(bad))
            what = ("the initial membrane potential v = %g mV" % (leak[min(k, len(leak) - 1)] / 1000.0)
                    if field == "leak_uv" else
                    "v_rest + (i_offset + injected current) * tau_m/cm - v_init = %g mV" % (regs[field][k] / 1000.0))
            raise errors.InvalidParameterValueError(
                "%s: %s is outside the chip's range %g ... %g mV (register %s)"
                % (_where(population, k), what, lo / 1000, hi / 1000, field))
    return regs


def refractory_register(population, tau_refrac):
    """tau_refrac (ms) -> refractory_ns.

    PyNN (and Brian 2, NEST) count the refractory period from the reported spike time,
    one step before the state in which the threshold was crossed; the chip counts from
    the cycle of the crossing. So the register holds one cycle less: with
    R = floor(tau_refrac / 0.008 ms) whole steps (Brian 2's rounding), refractory_ns =
    8 * max(0, R - 1). A tau_refrac that is not a whole number of cycles warns.
    """
    steps = np.asarray(tau_refrac, dtype=float) / CYCLE_MS
    R = np.floor(steps + 1e-3).astype(np.int64)
    off = np.abs(steps - np.rint(steps)) > 1e-6
    if off.any():
        k = int(np.argmax(off))
        warnings.warn("population '%s': tau_refrac = %g ms is not a whole number of FPGA cycles (0.008 ms); the "
                      "chip holds the membrane for %d cycles (%g ms)"
                      % (population, float(np.atleast_1d(tau_refrac)[k]), int(np.atleast_1d(R)[k]),
                         np.atleast_1d(R)[k] * CYCLE_MS), RoundingWarning, stacklevel=4)
    return 8 * np.maximum(0, R - 1)


def refractory_cycles(refractory_ns):
    """The chip holds the membrane for ceil(refractory_ns / 8) cycles."""
    return -(-np.asarray(refractory_ns, dtype=np.int64) // 8)


def choose_scale(weights_uv, max_units):
    """One post neuron's weight_scale_uv and the units of each incoming weight.

    weights_uv: magnitudes (uV of synaptic input, >= 0) of every source's total weight
    onto this neuron; max_units: the largest unit count each may use (63 for one row,
    63 * joined rows for a host-driven source). Tries every unit count k of the largest
    weight, scale = round(w_max / k), and keeps the one with the smallest largest error
    (the smallest k among equals: fewest joined rows). Representable weights come out
    exact. Returns (scale, units array).
    """
    w = np.asarray(weights_uv, dtype=float)
    max_units = np.broadcast_to(np.asarray(max_units, dtype=np.int64), w.shape)
    lo, hi = NEURON_LIMITS["weight_scale_uv"]
    if w.size == 0 or not (w > 0).any():
        return max(lo, 1), np.zeros(w.shape, dtype=np.int64)
    i_max = int(np.argmax(w))
    w_max = w[i_max]
    best = None
    for k in range(1, int(max_units[i_max]) + 1):
        s = int(round(w_max / k))
        if s < max(lo, 1):
            break
        if s > hi:
            continue
        u = np.rint(w / s).astype(np.int64)
        if (u > max_units).any():
            continue
        err = float(np.max(np.abs(u * s - w)))
        if best is None or err < best[0] - 1e-9:
            best = (err, s, u)
            if err == 0.0:
                break
    if best is None:
        s = hi if w_max / max_units[i_max] > hi else max(lo, 1)
        u = np.minimum(np.rint(w / s).astype(np.int64), max_units)
        best = (float(np.max(np.abs(u * s - w))), s, u)
    return best[1], best[2]


def split_units(units, rows):
    """Units of one host-driven connection spread over `rows` joined rows (each <= 63)."""
    out = []
    for _ in range(rows):
        take = min(WEIGHT_MAX, units)
        out.append(take)
        units -= take
    return out
