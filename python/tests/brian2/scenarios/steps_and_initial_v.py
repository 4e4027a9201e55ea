"""StepCurrentSource steps, initial membrane potentials other than v_rest, a parameter
change between two runs."""
import common
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
a = sim.Population(2, sim.IF_curr_exp(tau_m=15.0, tau_refrac=1.0, tau_syn_E=3.0, tau_syn_I=3.0), label="steps")
sim.StepCurrentSource(times=[10.0, 30.0, 45.0], amplitudes=[1.2, 0.0, 2.0]).inject_into(a)
b = sim.Population(3, sim.IF_curr_exp(tau_m=12.0, i_offset=1.3, tau_refrac=1.0, v_rest=-60.0), label="initial_v")
b.initialize(v=[-70.0, -55.0, -51.0])
for p in (a, b):
    p.record("spikes")
sim.run(40.0)
b.set(i_offset=1.6)  # acts from t = 40 ms
sim.run(40.0)
common.dump([a, b])
sim.end()
