import numpy as np
from pyNN import errors, recording

from . import simulator


class Recorder(recording.Recorder):
    """Spikes come from the chips' output spikes (received with their systime), the
    sources' from the host's own timeline; 'v' from the chip's membrane sampler
    (hardware.py: SAMPLER)."""
    _simulator = simulator

    def __init__(self, population=None, file=None):
        super().__init__(population, file)
        self._cleared_ms = 0.0

    def _record(self, variable, new_ids, sampling_interval=None):
        from .standardmodels import IF_curr_exp
        if variable == "spikes":
            return
        if variable != "v" or not isinstance(self.population.celltype, IF_curr_exp):
            raise errors.RecordingError(variable, self.population.celltype)
        from . import hardware
        hardware.check_sampler(self.population.label)
        self.sampling_interval = hardware.sampling_interval_on_grid(
            sampling_interval or simulator.state.dt, self.population.label)
        simulator.state.mark_changed()

    def _spikes(self):
        return simulator.state.results.spikes.get(self.population, {})

    def _get_spiketimes(self, id, clear=False):
        spikes = self._spikes()
        ids = id if hasattr(id, "__len__") else [id]
        out = {}
        for i in ids:
            t = spikes.get(self.population.id_to_index(int(i)), np.empty(0))
            out[int(i)] = t[t >= self._cleared_ms - 1e-12]
        if clear:
            self._cleared_ms = simulator.state.t
        return out if hasattr(id, "__len__") else out[int(id)]

    def _get_all_signals(self, variable, ids, clear=False):
        times, values, index = simulator.state.results.samples.get(self.population, (None, None, None))
        if values is None:
            raise errors.RecordingError(variable, self.population.celltype)
        cols = [index[self.population.id_to_index(int(i))] for i in ids]
        keep = times >= self._cleared_ms - 1e-12
        if clear:
            self._cleared_ms = simulator.state.t
        return values[keep][:, cols], None

    def _local_count(self, variable, filter_ids=None):
        spikes = self._spikes()
        N = {}
        for id in self.filter_recorded(variable, filter_ids):
            t = spikes.get(self.population.id_to_index(int(id)), np.empty(0))
            N[int(id)] = int(np.count_nonzero(t >= self._cleared_ms - 1e-12))
        return N

    def _clear_simulator(self):
        self._cleared_ms = simulator.state.t

    def _reset(self):
        self._cleared_ms = 0.0
