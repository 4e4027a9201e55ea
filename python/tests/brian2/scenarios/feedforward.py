"""Sources -> 20 neurons (FixedProbability, seeded) -> 5 neurons (AllToAll, one cycle)."""
import numpy as np
import common
from pyNN.random import NumpyRNG
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
rng = np.random.default_rng(7)
times = []
used = set()
for i in range(10):
    # On the 0.2 ms grid: pyNN.brian2 plays SpikeSourceArrays on a 0.1 ms clock whatever the timestep
    # (docs/pynn.md, "Validation"), the chip on 0.008 ms. Distinct times: no two host spikes share a cycle.
    t = []
    for x in np.sort(rng.uniform(1.0, 150.0, 25)):
        c = int(round(x / 0.2))
        while c in used:
            c += 1
        used.add(c)
        t.append(round(c * 0.2, 6))
    times.append(sorted(t))
src = sim.Population(10, sim.SpikeSourceArray(spike_times=times), label="src")
hidden = sim.Population(20, sim.IF_curr_exp(tau_m=10.0, tau_refrac=1.0), label="hidden")
out = sim.Population(5, sim.IF_curr_exp(tau_m=10.0, tau_refrac=1.0, tau_syn_E=2.0, tau_syn_I=2.0), label="out")
sim.Projection(src, hidden, sim.FixedProbabilityConnector(0.4, rng=NumpyRNG(seed=42)),
               sim.StaticSynapse(weight=1.0, delay=1.0))
sim.Projection(hidden, out, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=common.DT))
for p in (hidden, out):
    p.record("spikes")
sim.run(160.0)
common.dump([hidden, out], {"stats": common.stats(name, sim)})
sim.end()
