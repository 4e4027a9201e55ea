"""pyNN.nmtwin on the in-process twin: runs, errors, placement (each case its own process)."""
import pytest

from run_script import run

PRE = """
import json, warnings
import numpy as np
warnings.simplefilter("ignore")
import pyNN.nmtwin as sim
from pyNN import errors
def spikes(p):
    return [[round(float(t), 6) for t in st.magnitude] for st in p.get_data('spikes').segments[-1].spiketrains]
def error(f):
    try:
        f()
    except Exception as e:
        return [type(e).__name__, str(e)]
    return None
"""


def test_get_simulator_finds_nmtwin():
    out = run("""
import sys, json
sys.argv = ["x", "nmtwin"]
from pyNN.utility import get_simulator
sim, options = get_simulator()
import pyNN.brian2
print(json.dumps([sim.__name__, options.simulator, pyNN.brian2.__name__]))
""")
    assert out == ["pyNN.nmtwin", "nmtwin", "pyNN.brian2"]


def test_repeated_runs_continue_exactly():
    body = """
sim.setup(timestep=0.008)
src = sim.Population(1, sim.SpikeSourceArray(spike_times=[3.0, 12.0, 25.0, 38.0]), label="src")
p = sim.Population(2, sim.IF_curr_exp(i_offset=[1.0, 1.2], tau_refrac=2.0), label="p")
sim.Projection(src, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=1.0))
p.record("spikes")
"""
    one = run(PRE + body + "sim.run(60.0)\nprint(json.dumps(spikes(p)))")
    three = run(PRE + body + "sim.run(10.0)\nsim.run(25.0)\nsim.run_until(60.0)\n"
                "print(json.dumps([spikes(p), sim.get_current_time()]))")
    assert three == [one, 60.0]
    assert sum(len(s) for s in one) > 4


def test_parameter_change_between_runs_acts_at_that_time():
    out = run(PRE + """
sim.setup(timestep=0.008)
p = sim.Population(1, sim.IF_curr_exp(i_offset=0.0, tau_refrac=2.0), label="p")
p.record("spikes")
sim.run(30.0)
p.set(i_offset=1.0)
sim.run(40.0)
print(json.dumps(spikes(p)))
""")
    assert out[0] and min(out[0]) > 30.0
    # the same drive from t = 0 fires at 27.72 ms (tests/brian2 'dc'): here 30 ms later
    assert out[0][0] == pytest.approx(30.0 + 27.72, abs=0.0081)


def test_reset_starts_again_from_zero_and_keeps_segments():
    out = run(PRE + """
sim.setup(timestep=0.008)
p = sim.Population(1, sim.IF_curr_exp(i_offset=1.0, tau_refrac=2.0), label="p")
p.record("spikes")
sim.run(50.0)
sim.reset()
sim.run(50.0)
block = p.get_data()
print(json.dumps([[[float(t) for t in st] for st in seg.spiketrains] for seg in block.segments]))
""")
    assert len(out) == 2 and out[0] == out[1] and out[0][0]


def test_poisson_sources_are_seeded_and_deterministic():
    code = PRE + """
sim.setup(timestep=0.008, rng_seed=%d)
s = sim.Population(3, sim.SpikeSourcePoisson(rate=100.0, start=5.0, duration=80.0), label="s")
s.record("spikes")
sim.run(100.0)
print(json.dumps(spikes(s)))
"""
    a, b, c = run(code % 1), run(code % 1), run(code % 2)
    assert a == b and a != c
    n = sum(len(x) for x in a)
    assert 12 < n < 48  # 3 sources x 100 Hz x 80 ms = 24 expected
    assert all(5.0 <= t < 85.0 for x in a for t in x)


def test_errors_name_the_population_or_projection():
    out = run(PRE + """
sim.setup(timestep=0.008)
r = {}
r["cell"] = error(lambda: sim.Population(2, sim.IF_cond_exp(), label="c"))
r["param"] = error(lambda: sim.Population(2, sim.IF_curr_exp(tau_m=1e6), label="slow"))
r["tau_syn"] = error(lambda: sim.Population(2, sim.IF_curr_exp(tau_syn_E=2.0, tau_syn_I=5.0), label="two_taus"))
r["unknown"] = error(lambda: sim.Population(2, sim.IF_curr_exp(foo=1.0), label="u"))
a = sim.Population(2, sim.IF_curr_exp(), label="a")
b = sim.Population(2, sim.IF_curr_exp(), label="b")
s = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]), label="s")
r["sign"] = error(lambda: sim.Projection(s, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.5, delay=1.0),
                                         receptor_type="excitatory", label="negative"))
print(json.dumps(r))
""")
    assert out["cell"][0] == "NotImplementedError" and "IF_cond_exp" in out["cell"][1]
    assert out["param"][0] == "InvalidParameterValueError" and "'slow'" in out["param"][1]
    assert "tau_m" in out["param"][1]
    assert out["tau_syn"][0] == "InvalidParameterValueError" and "tau_syn_I" in out["tau_syn"][1]
    assert out["unknown"][0] == "NonExistentParameterError"
    assert out["sign"][0] == "ConnectionError" and "'negative'" in out["sign"][1]


def test_impossible_delay_names_the_projection_and_the_realisable_values():
    out = run(PRE + """
sim.setup(timestep=0.008)
a = sim.Population(2, sim.IF_curr_exp(), label="a")
b = sim.Population(2, sim.IF_curr_exp(), label="b")
sim.Projection(a, b, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.5, delay=1.0), label="slow_hop")
print(json.dumps(error(lambda: sim.run(10.0))))
""")
    assert out[0] == "ConnectionError"
    assert "'slow_hop'" in out[1] and "0.008" in out[1] and "between chips" in out[1]


def test_too_many_neurons_for_the_topology():
    out = run(PRE + """
sim.setup(timestep=0.008, chips=1)
sim.Population(400, sim.IF_curr_exp(), label="first")
sim.Population(200, sim.IF_curr_exp(), label="second")
print(json.dumps(error(lambda: sim.run(1.0))))
""")
    assert out[0] == "InvalidDimensionsError" and "'second'" in out[1]


def test_large_population_is_placed_on_two_chips_and_reported():
    out = run(PRE + """
sim.setup(timestep=0.008)
# i_offset spread so that not all neurons fire on one cycle (a burst of 512 overflows the host path)
p = sim.Population(600, sim.IF_curr_exp(i_offset=list(np.linspace(1.5, 2.0, 600)), tau_refrac=2.0), label="big")
p.record("spikes")
sim.run(20.0)
s = sim.get_backend_statistics()
n = [len(x) for x in spikes(p)]
print(json.dumps([s["populations"], [c["neurons"] for c in s["chips"]], min(n), max(n),
                  s["spikes_to_host_dropped"]]))
""")
    pops, neurons, lo, hi, dropped = out
    assert pops[0]["chips"] == {"0": {"first_neuron": 0, "last_neuron": 511},
                                "1": {"first_neuron": 0, "last_neuron": 87}}
    assert neurons == [512, 88]
    assert lo == hi == 1 and dropped == 0  # every neuron fires once before 20 ms, on both chips


def test_rounding_warning_when_a_weight_changes():
    out = run("""
import json, warnings
import pyNN.nmtwin as sim
sim.setup(timestep=0.008)
s = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]), label="s")
p = sim.Population(1, sim.IF_curr_exp(), label="p")
sim.Projection(s, p, sim.FromListConnector([(0, 0, 0.5, 1.0), (1, 0, 0.0123, 1.0)]), sim.StaticSynapse(),
               label="odd")
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    sim.run(5.0)
print(json.dumps([str(x.message) for x in w if issubclass(x.category, sim.RoundingWarning)]))
""")
    assert len([m for m in out if "'odd'" in m]) == 1


def test_record_v_beyond_the_chip_link_is_refused_and_intervals_go_on_the_grid():
    out = run(PRE + """
sim.setup(timestep=0.008)
p = sim.Population(4, sim.IF_curr_exp(), label="many")
p.record("v", sampling_interval=0.016)  # 4 neurons every 2 cycles: 2 words a cycle
r = error(lambda: sim.run(5.0))
sim.setup(timestep=0.025)
q = sim.Population(1, sim.IF_curr_exp(i_offset=1.0), label="one")
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    q.record("v")
sim.run(2.0)
sig = q.get_data().segments[0].analogsignals[0]
print(json.dumps([r, [str(x.message) for x in w], float(sig.sampling_period), sig.shape[0],
                  float(sig.magnitude[0, 0])]))
""")
    err, warned, period, n, v0 = out
    assert err[0] == "SamplerMissing" and "'many'" in err[1] and "0.032" in err[1]
    assert any("0.024" in m for m in warned) and period == pytest.approx(0.024) and n == 84 and v0 == -65.0


def test_weights_above_one_row_are_joined_over_rows():
    out = run(PRE + """
sim.setup(timestep=0.008)
s = sim.Population(2, sim.SpikeSourceArray(spike_times=[[2.0], [20.0]]), label="s")
p = sim.Population(1, sim.IF_curr_exp(tau_m=10.0, tau_syn_E=8.0, tau_syn_I=8.0), label="p")
# 0.04 nA and 6.0 nA onto one neuron: 400 uV and 60 mV, a ratio of 150 -> 150 units over 3 rows
sim.Projection(s, p, sim.FromListConnector([(0, 0, 0.04, 1.0), (1, 0, 6.0, 1.0)]), sim.StaticSynapse())
p.record("spikes")
sim.run(30.0)
print(json.dumps([sim.get_backend_statistics()["chips"][0]["rows"], sim.get_backend_statistics()["weight_rounding"],
                  spikes(p)]))
""")
    rows, rounding, fired = out
    # 150 units = 63 + 63 + 24: rows of equal weights are shared, so 3 rows in all
    assert rows == 3 and rounding == {} and len(fired[0]) == 1 and fired[0][0] > 21.0


CROSS = PRE + """
sim.setup(timestep=0.008, chips=2, max_neurons_per_chip=1)
src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]), label="src")
a = sim.Population(1, sim.IF_curr_exp(tau_m=10.0, tau_syn_E=1.0, tau_syn_I=1.0), label="a")
b = sim.Population(1, sim.IF_curr_exp(tau_m=10.0, tau_syn_E=1.0, tau_syn_I=1.0), label="b")
sim.Projection(src, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=30.0, delay=1.0))
sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=30.0, delay=%r), label="hop")
for p in (a, b):
    p.record("spikes")
err = error(lambda: sim.run(20.0))
print(json.dumps([err] + ([None] * 3 if err else [spikes(a), spikes(b), sim.get_backend_statistics()["chips"]])))
"""


def test_cross_chip_delays_are_exact():
    _, a1, b1, chips = run(CROSS % 1.0)
    _, a2, b2, _ = run(CROSS % 1.504)
    assert a1 == a2 and len(a1[0]) == 1 and len(b1[0]) == 1
    # the deadline realises the delay to the cycle: 0.504 ms more delay, 0.504 ms later
    assert b2[0][0] - b1[0][0] == pytest.approx(0.504, abs=1e-9)
    assert chips[0]["buckets"] == {"0": {"dest": 1, "delay_ms": 1.0}}


def test_cross_chip_delay_below_the_network_path_is_refused():
    err, _, _, _ = run(CROSS % 0.2)
    assert err[0] == "ConnectionError" and "'hop'" in err[1] and "0.408" in err[1] and "8.208" in err[1]
