"""E-I network on one chip: DC-driven excitatory neurons, recurrent E->E, E->I, I->E."""
import common
from pyNN.random import NumpyRNG
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
E = sim.Population(16, sim.IF_curr_exp(tau_m=20.0, tau_refrac=2.0, tau_syn_E=3.0, tau_syn_I=3.0), label="E")
I = sim.Population(4, sim.IF_curr_exp(tau_m=10.0, tau_refrac=1.0, tau_syn_E=3.0, tau_syn_I=3.0), label="I")
E.set(i_offset=[0.76 + 0.01 * k for k in range(16)])
sim.Projection(E, E, sim.FixedProbabilityConnector(0.2, allow_self_connections=False, rng=NumpyRNG(seed=3)),
               sim.StaticSynapse(weight=0.05, delay=common.DT))
sim.Projection(E, I, sim.FixedProbabilityConnector(0.5, rng=NumpyRNG(seed=4)),
               sim.StaticSynapse(weight=1.0, delay=common.DT))
sim.Projection(I, E, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.25, delay=common.DT),
               receptor_type="inhibitory")
for p in (E, I):
    p.record("spikes")
sim.run(200.0)
common.dump([E, I], {"stats": common.stats(name, sim)})
sim.end()
