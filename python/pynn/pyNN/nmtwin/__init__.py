"""pyNN.nmtwin: PyNN 0.10 on the nmtwin twin of a BrainScaleS-2-style system.

IF_curr_exp neurons run on the chips' exact LIF (speed-up 1000, 8 ns = 0.008 ms
cycles), spike sources and current steps are played by the host, weights are 6-bit
synapses with a per-neuron scale. docs/pynn.md: features, translations, limits.
"""

import logging

from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import *  # noqa: F401,F403
from pyNN.recording import *  # noqa: F401,F403
from neo.io import get_io

from . import simulator
from .standardmodels import *  # noqa: F401,F403
from .populations import Population, PopulationView, Assembly  # noqa: F401
from .projections import Projection
from .translation import RoundingWarning, CYCLE_MS  # noqa: F401

logger = logging.getLogger("PyNN")

_SETUP_OPTIONS = ("chips", "topology", "max_neurons_per_chip", "rng_seed")


def list_standard_models():
    """The StandardCellType classes this backend runs."""
    from .standardmodels import SUPPORTED_CELLS
    return list(SUPPORTED_CELLS)


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """As PyNN's setup(), plus (all optional):

    chips=N                  at most N chips (FPGAs); default: as many as the populations need
    topology="pair"|FILE     the system (nmtwin.Simulator: a topology file or pair, ringN, torusXxYxZ)
    max_neurons_per_chip=M   fill each chip with at most M neurons (to spread a network)
    rng_seed=S               seed of SpikeSourcePoisson's host-side draws (default 1)

    timestep is the sampling_interval of record('v') by default; the chips themselves
    run in 8 ns cycles (0.008 ms biological) whatever it is.
    """
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    simulator.state.clear()
    simulator.state.hardware = None
    simulator.state.options = {k: extra_params[k] for k in _SETUP_OPTIONS if k in extra_params}
    simulator.state.dt = timestep
    simulator.state.min_delay = timestep if min_delay == "auto" else min_delay
    simulator.state.max_delay = max_delay
    return rank()


def end(compatible_output=True):
    """Writes what record(..., filename) asked for."""
    for (population, variables, filename) in simulator.state.write_on_end:
        io = get_io(filename)
        population.write_data(io, variables)
    simulator.state.write_on_end = []


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, num_processes, rank = \
    common.build_state_queries(simulator)
create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)  # noqa: F405
record = common.build_record(simulator)


def record_v(source, filename):
    return record(["v"], source, filename)


def get_backend_statistics():
    """Placement of the last run: per population the chips and neuron ranges it uses,
    per chip neurons, synapse rows, routes and buckets (destination, delay), the largest
    relative weight change per projection, and the FPGAs' late_waits and
    spikes_to_host_dropped counters."""
    res = simulator.state.results
    if res.placement is None:
        return {"populations": [], "chips": [], "weight_rounding": {}, "late_waits": 0,
                "spikes_to_host_dropped": 0}
    out = dict(res.placement)
    out["late_waits"] = res.stats.get("late_waits", 0)
    out["spikes_to_host_dropped"] = res.stats.get("spikes_to_host_dropped", 0)
    return out
