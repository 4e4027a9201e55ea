"""Weights that are not multiples of one scale: the chip rounds them to 6 bits."""
import common
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
src = sim.Population(3, sim.SpikeSourceArray(spike_times=[[5.0, 20.0, 40.0, 41.0], [6.0, 20.4, 42.0],
                                                          [7.0, 21.0, 43.0, 60.0]]), label="src")
post = sim.Population(2, sim.IF_curr_exp(tau_m=10.0, tau_syn_E=2.0, tau_syn_I=2.0, tau_refrac=1.0), label="post")
sim.Projection(src, post, sim.FromListConnector([(0, 0, 1.37, 1.0), (1, 0, 1.91, 1.0), (2, 0, 0.234, 1.0),
                                                 (0, 1, 2.011, 1.0), (2, 1, 1.303, 1.0)]), sim.StaticSynapse())
post.record("spikes")
sim.run(80.0)
common.dump([post], {"stats": common.stats(name, sim)})
sim.end()
