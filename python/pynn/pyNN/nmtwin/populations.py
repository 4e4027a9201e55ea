import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, simplify

from . import simulator
from .recording import Recorder
from .standardmodels import IF_curr_exp, SpikeSourceArray, SpikeSourcePoisson, SUPPORTED_CELLS
from . import translation


class Assembly(common.Assembly):
    _simulator = simulator


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        parameter_dict = {}
        for name in names:
            value = self.parent._parameters[name]
            if isinstance(value, np.ndarray):
                value = value[self.mask]
            parameter_dict[name] = simplify(value)
        return ParameterSpace(parameter_dict, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        new = {k: np.array(v, copy=True) for k, v in self.parent._parameters.items()}
        for name, value in parameter_space.items():
            new[name][self.mask] = value.evaluate(simplify=True)
        self.parent._store_parameters(new)

    def _set_initial_value_array(self, variable, initial_values):
        pass

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        if not isinstance(self.celltype, (IF_curr_exp, SpikeSourceArray, SpikeSourcePoisson)):
            raise errors.InvalidModelError(
                "population '%s': cell type %s is not available on nmtwin; supported: %s"
                % (self.label, type(self.celltype).__name__, ", ".join(SUPPORTED_CELLS)))
        id_range = np.arange(simulator.state.id_counter, simulator.state.id_counter + self.size)
        self.all_cells = np.array([simulator.ID(id) for id in id_range], dtype=simulator.ID)
        self._mask_local = np.ones((self.size,), bool)
        parameter_space = self.celltype.native_parameters
        parameter_space.shape = (self.size,)
        parameter_space.evaluate(mask=self._mask_local, simplify=False)
        for id in self.all_cells:
            id.parent = self
        simulator.state.id_counter += self.size
        self._parameters = {}
        self._store_parameters(parameter_space.as_dict())
        simulator.state.populations.append(self)
        simulator.state.mark_changed()

    def _store_parameters(self, values):
        """Checks against the chip (IF_curr_exp) and stores; InvalidParameterValueError
        names this population and the parameter."""
        if isinstance(self.celltype, IF_curr_exp):
            translation.check_cell_parameters(self.label, values)
        elif isinstance(self.celltype, SpikeSourcePoisson):
            rate = np.atleast_1d(np.asarray(values["rate"], dtype=float))
            if (rate < 0).any() or not np.isfinite(rate).all():
                raise errors.InvalidParameterValueError(
                    "population '%s': rate must be a finite number >= 0 Hz" % self.label)
        self._parameters = values
        simulator.state.mark_changed()

    def _set_initial_value_array(self, variable, initial_values):
        simulator.state.mark_changed()

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        return ParameterSpace({name: simplify(self._parameters[name]) for name in names}, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        parameter_space.evaluate(simplify=False, mask=self._mask_local)
        new = dict(self._parameters)
        for name, value in parameter_space.items():
            new[name] = value
        self._store_parameters(new)
