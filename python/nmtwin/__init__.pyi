# Type stubs of the package nmtwin (docs/python.md); test_bindings.py checks that they
# name every public name of the module and nothing else.
import datetime
from builtins import TimeoutError as builtins_TimeoutError
from typing import Callable, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

from . import fw as fw
from . import spec as spec

__version__: str
target_variable: str

class Error(Exception): ...

class RunError(Error):
    errors: list[tuple[int, str, int]]
    protocol_errors: list[str]

class ProtocolError(RunError): ...

class TimeoutError(Error, builtins_TimeoutError):
    missing: int

class LinkError(Error, ConnectionError): ...

class FirmwareError(RunError):
    failure: str
    pc: int
    backtrace: list[str]

class InputError(Error, ValueError): ...
class ElfError(Error, ValueError): ...
class ConservationError(Error): ...

Labels = Union[Sequence[int], npt.NDArray[np.integer]]

class Ticket:
    def __init__(self) -> None: ...
    ready: bool
    value: int
    address: int
    index: int
    tag: int

class Program:
    def __init__(self) -> None: ...
    def nop(self) -> None: ...
    def write(self, addr: int, data: int, byte_enable: int = 0xF) -> None: ...
    def read(self, addr: int) -> Ticket: ...
    def timer_reset(self) -> None: ...
    def wait_until(self, cycles: int) -> None: ...
    def systime_sync(self) -> None: ...
    def spikes(self, labels: Labels) -> None: ...
    def spike(self, label: int) -> None: ...
    def barrier(self) -> None: ...
    def wait_global_interrupt(self) -> None: ...
    def __len__(self) -> int: ...
    def encode(self, halt_cookie: int) -> npt.NDArray[np.uint64]: ...
    def describe(self, index: int) -> str: ...
    has_run: bool
    received_spikes: np.ndarray
    """structured array: label uint16, systime uint64 (FPGA cycles)"""
    received_samples: np.ndarray
    """structured array: neuron uint16, value_uv int32, systime uint64 (FPGA cycles)"""
    halt_systime: int

class ConnectOptions:
    def __init__(self) -> None: ...
    max_resends: int
    ack_delay: datetime.timedelta
    ack_every: int
    reset_timeout: datetime.timedelta
    reset_attempts: int
    duplicate_ack_threshold: int
    max_window: int
    max_payload_words: int
    resync_cookie: Optional[int]
    rto_initial: datetime.timedelta
    rto_min: datetime.timedelta
    rto_max: datetime.timedelta

class Connection:
    def run(self, program: Program) -> None: ...
    def start(self, program: Program) -> None: ...
    def poll(self, program: Program, wait_ms: float = 0.0) -> bool: ...
    running: bool
    timeout: datetime.timedelta
    endpoint: str
    stats: dict[str, object]

def connect(url: str, options: Optional[ConnectOptions] = None) -> Connection: ...
def connect_from_env(default_url: str = "sim:", options: Optional[ConnectOptions] = None) -> Connection: ...
def run_together(fpgas: Sequence[Connection], programs: Sequence[Program]) -> None: ...

class StartSystime:
    value: int

def read_start_systime(program: Program) -> StartSystime: ...

class SynchronizedStart:
    def __init__(self, gi_latency: Sequence[int], root: int) -> None: ...
    size: int
    root: int
    def begin_timed(self, timed: Program, fpga: int) -> None: ...
    def run(self, fpgas: Sequence[Connection], setup: Sequence[Program], timed: Sequence[Program]) -> None: ...

class Route:
    def __init__(self, split: int = 0, source: int = 0, bucket: int = 0, dest_label: int = 0) -> None: ...
    split: int
    source: int
    bucket: int
    dest_label: int

class Bucket:
    def __init__(self, dest: int = 0, multicast: bool = False, delay: int = 0, pulse_timeout: int = 0,
                 packet_timeout: int = 0) -> None: ...
    dest: int
    multicast: bool
    delay: int
    pulse_timeout: int
    packet_timeout: int

def write_route(program: Program, route: Route) -> None: ...
def clear_route(program: Program, split: int, source: int) -> None: ...
def write_bucket(program: Program, index: int, bucket: Bucket) -> None: ...

class Counter48:
    value: int

def read_counter48(program: Program, addr: int) -> Counter48: ...
def gi_delays(latency: Sequence[int]) -> list[int]: ...
def prepare_systime_sync(program: Program, gi_delay: int, preset: int) -> None: ...
def synchronized_start(program: Program, root: bool) -> None: ...

class Simulator:
    def __init__(self, topology: str) -> None: ...
    size: int
    def __len__(self) -> int: ...
    def connect(self, fpga: int, options: Optional[ConnectOptions] = None) -> Connection: ...
    global_interrupt: tuple[int, list[int]]
    cycle: int

def global_interrupt(topology: str) -> tuple[int, list[int]]: ...

class Experiment:
    @staticmethod
    def load(path: str) -> Experiment: ...
    @staticmethod
    def parse(text: str, origin: str = "<string>") -> Experiment: ...
    name: str
    duration: int
    input_spike_count: int
    def program(self) -> tuple[Program, list[Ticket]]: ...

class RunResult:
    spikes: np.ndarray
    spikes_before_start: int
    late_waits: int
    start_systime: int
    reads: list[int]
    cycles: int
    endpoint: str
    firmware: Optional[dict[str, object]]

def run_experiment(experiment: Experiment, target: str = "sim:", trace: str = "") -> RunResult: ...

class Scenario:
    @staticmethod
    def load(path: str) -> Scenario: ...
    name: str
    description: str
    path: str
    golden: str
    tags: list[str]
    topology: str
    nodes: int
    duration: int
    seed: int
    load_error: str

def load_scenarios(paths: Sequence[str]) -> list[Scenario]: ...

class Outcome:
    spikes: np.ndarray
    """structured array: node uint32, label uint16, time int64 (cycles from the common start)"""
    counters: list[tuple[int, str, int]]
    reads: list[tuple[int, str, int]]
    late_waits: list[int]
    def __eq__(self, other: object) -> bool: ...

def run_scenario(scenario: Scenario, target: str = "sim:", seed: Optional[int] = None, threads: int = 0) -> Outcome: ...
def golden_text(scenario: Scenario, outcome: Outcome) -> str: ...
def parse_golden(text: str, origin: str) -> Outcome: ...
def compare(scenario: Scenario, expected: Outcome, got: Outcome) -> list[str]: ...
