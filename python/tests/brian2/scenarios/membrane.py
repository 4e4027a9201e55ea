"""record('v') through the chip's sampler: one neuron with bias, inputs and spikes."""
import common
name, sim = common.simulator()
sim.setup(timestep=common.DT, min_delay=common.DT)
src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0, 6.0, 30.0]), label="src")
inh = sim.Population(1, sim.SpikeSourceArray(spike_times=[40.0]), label="inh")
p = sim.Population(1, sim.IF_curr_exp(tau_m=12.0, i_offset=0.9, tau_refrac=1.6, tau_syn_E=3.0, tau_syn_I=3.0),
                   label="p")
sim.Projection(src, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=2.0, delay=1.0))
sim.Projection(inh, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=-4.0, delay=1.0), receptor_type="inhibitory")
p.record(["spikes", "v"])
sim.run(60.0)
v = p.get_data().segments[0].filter(name="v")[0]
common.dump([p], {"v": [round(float(x), 4) for x in v.magnitude[:, 0]],
                  "v_period": float(v.sampling_period.rescale("ms").magnitude)})
sim.end()
