"""nmtwin: the host API of the nmtwin twin for Python (docs/python.md).

Programs, connections (``udp://`` to ``nmtwin sim`` or hardware, ``sim:`` in-process),
the in-process simulator of a topology, several FPGAs with a synchronised start,
experiment files, regression scenarios and firmware on the chips' processors. Calls
that run the system release the GIL, and Ctrl-C interrupts them.
"""
from ._nmtwin import (  # noqa: F401
    Bucket,
    ConnectOptions,
    Connection,
    ConservationError,
    Counter48,
    ElfError,
    Error,
    Experiment,
    FirmwareError,
    InputError,
    LinkError,
    Outcome,
    Program,
    ProtocolError,
    Route,
    RunError,
    RunResult,
    Scenario,
    Simulator,
    StartSystime,
    SynchronizedStart,
    Ticket,
    TimeoutError,
    __version__,
    clear_route,
    compare,
    connect,
    connect_from_env,
    fw,
    gi_delays,
    global_interrupt,
    golden_text,
    load_scenarios,
    parse_golden,
    prepare_systime_sync,
    read_counter48,
    read_start_systime,
    run_experiment,
    run_scenario,
    run_together,
    spec,
    synchronized_start,
    target_variable,
    write_bucket,
    write_route,
)

import sys as _sys

# `import nmtwin.spec` and `from nmtwin.fw import run` work as for any submodule.
_sys.modules[__name__ + ".spec"] = spec
_sys.modules[__name__ + ".fw"] = fw

__all__ = [name for name in dir() if not name.startswith("_")] + ["__version__"]
