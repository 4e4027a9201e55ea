from itertools import repeat

import numpy as np
from pyNN import common, errors
from pyNN.core import ezip
from pyNN.space import Space

from . import simulator
from .standardmodels import StaticSynapse, IF_curr_exp


class Connection(common.Connection):
    """One synapse: pre and post index, weight (nA), delay (ms)."""

    def __init__(self, pre, post, **attributes):
        self.presynaptic_index = pre
        self.postsynaptic_index = post
        for name, value in attributes.items():
            setattr(self, name, value)

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator

    def __init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type=None, source=None,
                 receptor_type=None, space=Space(), label=None):
        try:
            common.Projection.__init__(self, presynaptic_population, postsynaptic_population, connector,
                                       synapse_type, source, receptor_type, space, label)
        except errors.ConnectionError as err:
            name = label or "%s -> %s" % (presynaptic_population.label, postsynaptic_population.label)
            raise errors.ConnectionError("projection '%s' (receptor_type %r): %s" % (name, receptor_type, err)) \
                from err
        if not isinstance(self.synapse_type, StaticSynapse):
            raise errors.InvalidModelError("projection '%s': synapse type %s is not available on nmtwin; only "
                                           "StaticSynapse" % (self.label, type(self.synapse_type).__name__))
        for p in ([self.post] if not isinstance(self.post, common.Assembly) else self.post.populations):
            if not isinstance(p.celltype, IF_curr_exp):
                raise errors.ConnectionError("projection '%s': the postsynaptic cells must be IF_curr_exp"
                                             % self.label)
        self.connections = []
        try:
            connector.connect(self)
        except errors.ConnectionError as err:
            raise errors.ConnectionError("projection '%s' (receptor_type %r): %s"
                                         % (self.label, self.receptor_type, err)) from err
        simulator.state.projections.append(self)
        simulator.state.mark_changed(structure=True)

    def __len__(self):
        return len(self.connections)

    def set(self, **attributes):
        if simulator.state.t > 0:
            raise errors.ConnectionError(
                "projection '%s': weights and delays can change only before the first run() or after reset(): "
                "a later change cannot be played back from time 0 (docs/pynn.md, 'Runs')" % self.label)
        common.Projection.set(self, **attributes)
        simulator.state.mark_changed(structure=True)

    def _set_attributes(self, parameter_space):
        parameter_space.evaluate(mask=(slice(None), self.post._mask_local))
        for name, value in parameter_space.items():
            for c in self.connections:
                v = value[c.presynaptic_index, c.postsynaptic_index] if np.ndim(value) == 2 else value
                setattr(c, name, float(v))

    def _convergent_connect(self, presynaptic_indices, postsynaptic_index, **connection_parameters):
        for name, value in connection_parameters.items():
            if isinstance(value, (float, int)):
                connection_parameters[name] = repeat(value)
        for pre_idx, other in ezip(presynaptic_indices, *connection_parameters.values()):
            attrs = dict(zip(connection_parameters.keys(), other))
            self.connections.append(Connection(int(pre_idx), int(postsynaptic_index), **attrs))
