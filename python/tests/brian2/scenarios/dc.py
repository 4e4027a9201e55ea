"""One neuron driven by i_offset and one by a DCSource switched on and off."""
import common
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
a = sim.Population(1, sim.IF_curr_exp(i_offset=1.0, tau_refrac=2.0), label="i_offset")
b = sim.Population(1, sim.IF_curr_exp(tau_m=10.0, tau_refrac=0.0), label="dc")
sim.DCSource(amplitude=2.5, start=20.0, stop=70.0).inject_into(b)
for p in (a, b):
    p.record("spikes")
sim.run(100.0)
common.dump([a, b])
sim.end()
