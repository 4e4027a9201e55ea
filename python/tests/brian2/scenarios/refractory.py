"""Refractory periods of 0, 1 cycle, 0.8, 2 and 5 ms under a strong drive."""
import common
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
pops = []
for i, tr in enumerate([0.0, 0.008, 0.8, 2.0, 5.0]):
    p = sim.Population(1, sim.IF_curr_exp(tau_m=6.0, cm=0.3, i_offset=2.0, tau_refrac=tr, v_reset=-70.0),
                       label="refrac%d" % i)
    p.record("spikes")
    pops.append(p)
src = sim.Population(1, sim.SpikeSourceArray(spike_times=[3.0, 3.2, 3.4]), label="kick")
for p in pops:
    sim.Projection(src, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=4.0, delay=0.5))
sim.run(40.0)
common.dump(pops)
sim.end()
