"""A synfire chain across two chips, as PyNN script (the C++ example: examples/synfire.toml).

Links of 16 excitatory and 8 inhibitory neurons; link i's excitatory neurons drive both
populations of link i + 1, each inhibitory population inhibits the excitatory population
of its own link (feed-forward inhibition). With strong inhibition every link fires one
sharp volley; with weak inhibition the volley spreads along the chain.

On nmtwin, setup(chips=2, max_neurons_per_chip=96) puts links 0-3 on chip 0 and links
4-7 on chip 1: hops within a chip go through the chip's loopback (delay one cycle,
0.008 ms), the hop from link 3 to link 4 through the FPGAs and the network with a
deadline (delay 1.0 ms). Other simulators ignore the two extra setup arguments.

Usage: synfire_chain.py SIMULATOR [--weak] [--json FILE] [--plot-figure]
"""

import json

import numpy as np
from pyNN.random import NumpyRNG, RandomDistribution
from pyNN.utility import get_simulator

sim, options = get_simulator(("--weak", "weak inhibition (the volley disperses)", {"action": "store_true"}),
                             ("--json", "write the spike times to this file", {"default": None}),
                             ("--plot-figure", "plot a raster to synfire_chain_SIMULATOR.png", {"action": "store_true"}))

LINKS, EXC, INH = 8, 16, 8
CHIP_OF_LINK = [0, 0, 0, 0, 1, 1, 1, 1]
DT = 0.008            # one FPGA cycle: 8 ns at speed-up 1000
CROSS_CHIP_DELAY = 1.0  # ms, realised by the bucket deadline between the FPGAs

sim.setup(timestep=DT, min_delay=DT, chips=2, max_neurons_per_chip=4 * (EXC + INH))
rng = NumpyRNG(seed=1)
common = dict(cm=0.25, v_rest=-65.0, v_reset=-70.0, tau_m=5.0, tau_syn_E=3.0, tau_syn_I=3.0)
exc_cell = sim.IF_curr_exp(tau_refrac=1.0, **common)
inh_cell = sim.IF_curr_exp(tau_refrac=20.0, **common)
# R = tau_m / cm = 20 MOhm: 0.05 nA is 1 mV of synaptic input, so these weights are exact on the chip
w_exc, w_exc_inh = 1.8, 1.2
w_inh = -0.25 if options.weak else -2.0

exc, inh = [], []
for link in range(LINKS):
    e = sim.Population(EXC, exc_cell, label="link%d_exc" % link)
    i = sim.Population(INH, inh_cell, label="link%d_inh" % link)
    for p in (e, i):
        # heterogeneous thresholds, on the chip's 1 uV grid
        p.set(v_thresh=np.round(RandomDistribution("uniform", low=-51.5, high=-48.5, rng=rng).next(p.size), 3))
        p.record("spikes")
    exc.append(e)
    inh.append(i)

stim_times = np.sort(np.round(rng.uniform(16.0, 18.0, 12) / 0.2) * 0.2)  # on the 0.2 ms grid (docs/pynn.md)
stimulus = sim.Population(12, sim.SpikeSourceArray(spike_times=[[t] for t in stim_times]), label="stimulus")
stimulus.record("spikes")

connect = sim.FixedProbabilityConnector(0.6, rng=rng)
sim.Projection(stimulus, exc[0], connect, sim.StaticSynapse(weight=w_exc, delay=1.0), label="stim_exc")
sim.Projection(stimulus, inh[0], connect, sim.StaticSynapse(weight=w_exc_inh, delay=1.0), label="stim_inh")
for link in range(LINKS):
    sim.Projection(inh[link], exc[link], sim.AllToAllConnector(), sim.StaticSynapse(weight=w_inh, delay=DT),
                   receptor_type="inhibitory", label="inh%d" % link)
    if link + 1 < LINKS:
        d = DT if CHIP_OF_LINK[link] == CHIP_OF_LINK[link + 1] else CROSS_CHIP_DELAY
        sim.Projection(exc[link], exc[link + 1], connect, sim.StaticSynapse(weight=w_exc, delay=d),
                       label="exc%d_exc%d" % (link, link + 1))
        sim.Projection(exc[link], inh[link + 1], connect, sim.StaticSynapse(weight=w_exc_inh, delay=d),
                       label="exc%d_inh%d" % (link, link + 1))

sim.run(60.0)

result = {}
print("link chip  spikes  mean ms  spread ms")
for link in range(LINKS):
    for p in (exc[link], inh[link]):
        result[p.label] = [[round(float(t), 6) for t in st.magnitude] for st in p.get_data().segments[0].spiketrains]
    t = np.concatenate([s for s in result[exc[link].label]] + [np.empty(0)])
    print("%4d %4d  %6d  %7.3f  %9.3f" % (link, CHIP_OF_LINK[link], t.size, t.mean() if t.size else float("nan"),
                                          t.std() if t.size else float("nan")))
if options.json:
    with open(options.json, "w") as f:
        json.dump(result, f)
if options.plot_figure:
    from pyNN.utility.plotting import Figure, Panel
    Figure(*[Panel(p.get_data().segments[0].spiketrains, xlabel="Time (ms)" if p is exc[-1] else None,
                   yticks=False, markersize=1.5) for p in exc],
           title="synfire chain (%s inhibition)" % ("weak" if options.weak else "strong"),
           annotations="Simulated with %s" % options.simulator.upper()).save(
        "synfire_chain_%s.png" % options.simulator)
sim.end()
