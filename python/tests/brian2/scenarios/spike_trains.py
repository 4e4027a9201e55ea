"""One neuron under spike trains of three sources with different weights and delays."""
import common
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
src = sim.Population(3, sim.SpikeSourceArray(spike_times=[[5.0, 10.0, 10.4, 30.0, 31.0, 32.0, 33.0],
                                                          [10.2, 40.0, 41.6, 60.0],
                                                          [12.0, 50.0, 50.8, 51.6, 52.4]]), label="src")
post = sim.Population(1, sim.IF_curr_exp(tau_m=10.0, tau_syn_E=2.0, tau_syn_I=2.0, tau_refrac=1.0), label="post")
w = {0: 3.0, 1: 4.0, 2: 2.0}  # nA: 30, 40 and 20 mV of synaptic input, representable
d = {0: 1.0, 1: 0.5, 2: 2.4}
sim.Projection(src, post, sim.FromListConnector([(i, 0, w[i], d[i]) for i in range(3)]), sim.StaticSynapse())
for p in (src, post):
    p.record("spikes")
sim.run(80.0)
common.dump([src, post])
sim.end()
