"""Standard models of pyNN.nmtwin: IF_curr_exp on the chip's LIF, host-driven spike
sources, current sources through the neuron bias, static synapses.

Native parameter names are PyNN's own (identity translations); the chip's register
values are computed when the network is mapped (translation.py), where the chip's
limits are checked as well (and already on every set(), by populations.py).
"""

import numpy as np
from pyNN.standardmodels import build_translations, cells, electrodes, synapses, StandardCurrentSource
from pyNN.parameters import ParameterSpace, Sequence

from .simulator import state


def _identity(*names):
    return build_translations(*[(n, n) for n in names])


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                             "tau_syn_E", "tau_syn_I")
    recordable = ["spikes", "v"]


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity("spike_times")


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _identity("rate", "start", "duration")


SUPPORTED_CELLS = ("IF_curr_exp", "SpikeSourceArray", "SpikeSourcePoisson")


def _not_available(name):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "The %s model is not available for pyNN.nmtwin: the chip's neurons are current-based LIF neurons with "
            "one synaptic time constant; supported cell types: %s" % (name, ", ".join(SUPPORTED_CELLS)))
    return type(name, (cells.__dict__[name],), {"__init__": __init__, "__doc__": "Not available on nmtwin."})


for _name in ("IF_curr_alpha", "IF_curr_delta", "IF_cond_exp", "IF_cond_alpha", "IF_cond_exp_gsfa_grr",
              "IF_facets_hardware1", "HH_cond_exp", "EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista",
              "Izhikevich", "GIF_cond_exp", "SpikeSourceGamma", "SpikeSourceInhGamma",
              "SpikeSourcePoissonRefractory"):
    if _name in cells.__dict__:
        globals()[_name] = _not_available(_name)


class _BiasCurrentSource(StandardCurrentSource):
    """A current source realised through the bias of the neurons it is injected into
    (timed register writes at its start, stop and step times)."""

    def __init__(self, **parameters):
        object.__setattr__(self, "_cells", [])
        object.__setattr__(self, "_native", {})
        full = dict(self.default_parameters)
        full.update(parameters)
        super().__init__(**full)
        self.set_parameters(**full)
        state.current_sources.append(self)

    def inject_into(self, cells):
        for c in cells:
            parent = getattr(c, "parent", None)
            if parent is None or not isinstance(parent.celltype, IF_curr_exp):
                raise TypeError("%s can be injected only into IF_curr_exp cells on nmtwin (the neuron bias); "
                                "%r is not one" % (type(self).__name__, c))
            self._cells.append(c)
        state.mark_changed()

    def set_native_parameters(self, parameters):
        parameters.evaluate(simplify=True)
        for name, value in parameters.items():
            if isinstance(value, Sequence):
                value = value.value
            self._native[name] = np.array(value, dtype=float) if np.ndim(value) else float(value)
        state.mark_changed()

    def get_native_parameters(self):
        return ParameterSpace(dict(self._native))

    def _get_data(self):
        times, amps = self.steps()
        return np.array(times), np.array(amps)


class DCSource(_BiasCurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = _identity("amplitude", "start", "stop")

    def steps(self):
        p = self._native
        return [0.0, p["start"], p["stop"]], [0.0, p["amplitude"], 0.0]


class StepCurrentSource(_BiasCurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = _identity("amplitudes", "times")

    def steps(self):
        p = self._native
        return [0.0] + list(np.atleast_1d(p["times"])), [0.0] + list(np.atleast_1d(p["amplitudes"]))


for _name in ("ACSource", "NoisyCurrentSource"):
    globals()[_name] = type(_name, (electrodes.__dict__[_name],), {
        "__init__": (lambda name: lambda self, *a, **k: (_ for _ in ()).throw(NotImplementedError(
            "%s is not available for pyNN.nmtwin: currents reach the chip through the neuron bias, set by timed "
            "register writes; use DCSource or StepCurrentSource" % name)))(_name)})


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity("weight", "delay")

    def _get_minimum_delay(self):
        return state.min_delay


for _name in ("TsodyksMarkramSynapse", "STDPMechanism", "ElectricalSynapse", "MultiQuantalSynapse"):
    if _name in synapses.__dict__:
        globals()[_name] = type(_name, (synapses.__dict__[_name],), {
            "__init__": (lambda name: lambda self, *a, **k: (_ for _ in ()).throw(NotImplementedError(
                "%s is not available for pyNN.nmtwin: the chip's synapses are static 6-bit weights; use "
                "StaticSynapse" % name)))(_name)})
