"""Excitation and inhibition: a DC-driven neuron silenced by an inhibitory train."""
import common
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
exc = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0, 4.0, 6.0, 8.0, 50.0, 52.0, 54.0]), label="exc")
inh = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 50.5]),
                     label="inh")
post = sim.Population(2, sim.IF_curr_exp(tau_m=20.0, i_offset=1.0, tau_refrac=2.0), label="post")
sim.Projection(exc, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.75, delay=1.0))
sim.Projection(inh, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=-2.0, delay=1.0),
               receptor_type="inhibitory")
for p in (post,):
    p.record("spikes")
sim.run(100.0)
common.dump([post])
sim.end()
