"""Tutorial: one IF_curr_exp neuron on the chip, as an ordinary PyNN script.

    PYTHONPATH=build/python /usr/bin/python3 examples/pynn/single_neuron.py nmtwin
    PYTHONPATH=build/python /usr/bin/python3 examples/pynn/single_neuron.py brian2

The neuron gets a constant current (i_offset), a DCSource step, and input spikes on an
excitatory and an inhibitory synapse. On nmtwin it runs on the chip's exact LIF at
speed-up 1000 (these 200 ms biological are 200 us of hardware time); the spike times
printed agree with Brian 2's to the 0.008 ms cycle (docs/pynn.md, "Validation").

Usage: single_neuron.py SIMULATOR [--json FILE]
"""

import json

from pyNN.utility import get_simulator

sim, options = get_simulator(("--json", "write the spike times to this file", {"default": None}))

# timestep: the chip's cycle (8 ns x 1000 = 0.008 ms), so Brian 2 checks the threshold on the same grid
sim.setup(timestep=0.008, min_delay=0.008)

# R = tau_m / cm = 20 MOhm: 0.05 nA of current is 1 mV; weights below are whole mV, exact on the chip
neuron = sim.Population(1, sim.IF_curr_exp(tau_m=20.0, cm=1.0, v_rest=-65.0, v_thresh=-50.0, v_reset=-70.0,
                                           tau_refrac=2.0, tau_syn_E=4.0, tau_syn_I=4.0, i_offset=0.5),
                        label="neuron")
# +1.0 nA from 100 ms to 150 ms: the neuron fires regularly in that window
sim.DCSource(amplitude=1.0, start=100.0, stop=150.0).inject_into(neuron)

excitatory = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 22.0, 24.0, 26.0, 60.0]), label="exc")
inhibitory = sim.Population(1, sim.SpikeSourceArray(spike_times=[110.0, 112.0, 114.0]), label="inh")
sim.Projection(excitatory, neuron, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0, delay=1.0),
               receptor_type="excitatory")
sim.Projection(inhibitory, neuron, sim.OneToOneConnector(), sim.StaticSynapse(weight=-2.0, delay=1.0),
               receptor_type="inhibitory")
neuron.record("spikes")

sim.run(120.0)
sim.run(80.0)  # a second run continues where the first ended

times = [round(float(t), 6) for t in neuron.get_data().segments[0].spiketrains[0].magnitude]
print("%s: %d spikes at %s ms" % (options.simulator, len(times), ", ".join("%.3f" % t for t in times)))
if options.json:
    with open(options.json, "w") as f:
        json.dump({"neuron": [times]}, f)
sim.end()
