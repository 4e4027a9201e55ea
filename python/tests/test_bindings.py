"""The bindings without running a system: spec addresses, Program, errors, stubs."""
import ast
import builtins
import pathlib

import numpy as np
import pytest

import nmtwin
from nmtwin import spec


def test_spec_addresses_are_the_generated_ones():
    assert spec.cycle_ns == 8 and spec.speedup == 1000
    assert spec.chip_neurons == 512 and spec.chip_rows == 256 and spec.weight_max == 63
    assert spec.neuron_addr(0, "threshold_uv") == 0x010000
    assert spec.neuron_addr(3, "tau_m_ns") == 0x010000 + 3 * 16 + 4
    assert spec.row_addr(5) == 0x020000 + 5
    assert spec.weight_addr(2, 7) == 0x100000 + 2 * 512 + 7
    assert spec.chip_register("neuron_reset") == 0x000001
    assert spec.chip_bus_addr(0x10) == spec.chip_base + 0x10
    assert spec.fpga_register("id") == 0
    fields = {f["name"]: f for f in spec.chip_fields("neuron")}
    assert fields["tau_m_ns"]["min"] == 8 and fields["threshold_uv"]["reset"] == -50000
    assert "weight" in spec.chip_arrays()


def test_spec_errors_name_the_input_and_the_choices():
    with pytest.raises(ValueError, match="no field 'tau_x'.*tau_m_ns"):
        spec.neuron_addr(0, "tau_x")
    with pytest.raises(IndexError, match="neuron 512 does not exist"):
        spec.neuron_addr(512, "tau_m_ns")
    with pytest.raises(ValueError, match="'synapse' is not a chip array.*neuron"):
        spec.chip_array_addr("synapse", 0, "value")
    with pytest.raises(ValueError, match="'nope' is not a chip register"):
        spec.chip_register("nope")
    with pytest.raises(ValueError, match="'nope' is not an FPGA register.*packets_sent\\[0\\]"):
        spec.fpga_register("nope")
    assert "packets_sent[7]" in spec.fpga_registers()
    with pytest.raises(IndexError, match=r"row 256, neuron 0"):
        spec.weight_addr(256, 0)


def test_program_builds_the_words_the_cpp_builder_does():
    p = nmtwin.Program()
    p.write(0x10, 5)
    t = p.read(0x11)
    p.timer_reset()
    p.wait_until(1000)
    p.spikes(np.array([1, 2, 3, 4], dtype=np.uint16))
    p.spikes([5])
    p.spike(6)
    assert len(p) == 8  # labels go 3 to an instruction: 2 + 1 + 1 spike instructions
    words = p.encode(0x1234)
    assert words.dtype == np.uint64 and len(words) >= len(p) + 1
    assert "read 0x00000011" in p.describe(1)
    assert not t.ready and t.address == 0x11 and t.index == 1
    with pytest.raises(RuntimeError):
        t.value
    assert not p.has_run
    with pytest.raises(RuntimeError):
        p.halt_systime
    assert p.received_spikes.dtype.names == ("label", "systime")
    assert len(p.received_spikes) == 0


def test_program_refuses_bad_labels_naming_them():
    p = nmtwin.Program()
    with pytest.raises(ValueError, match="label 70000 at position 1"):
        p.spikes([1, 70000])
    with pytest.raises(ValueError, match="label -1 at position 0"):
        p.spikes(np.array([-1]))
    with pytest.raises(TypeError, match="integers"):
        p.spikes([1.5])
    with pytest.raises(ValueError, match="one-dimensional"):
        p.spikes(np.zeros((2, 2), dtype=int))
    p.spikes([])
    assert len(p) == 0
    with pytest.raises(ValueError, match="the timer has 43 bits"):
        p.wait_until(1 << 50)


def test_exceptions_form_one_hierarchy_with_the_builtins():
    assert issubclass(nmtwin.RunError, nmtwin.Error)
    assert issubclass(nmtwin.ProtocolError, nmtwin.RunError)
    assert issubclass(nmtwin.FirmwareError, nmtwin.RunError)
    assert issubclass(nmtwin.TimeoutError, builtins.TimeoutError)
    assert issubclass(nmtwin.LinkError, ConnectionError)
    assert issubclass(nmtwin.InputError, ValueError)
    assert issubclass(nmtwin.ElfError, ValueError)


def test_connect_errors():
    with pytest.raises(ValueError, match="unknown scheme 'bogus'"):
        nmtwin.connect("bogus://x")
    options = nmtwin.ConnectOptions()
    options.reset_attempts = 1
    options.reset_timeout = __import__("datetime").timedelta(milliseconds=50)
    with pytest.raises(nmtwin.LinkError, match="127.0.0.1:9"):
        nmtwin.connect("udp://127.0.0.1:9", options)


def test_input_errors_name_file_and_line(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[experiment]\nname = \"x\"\nduration_us = \"long\"\n")
    with pytest.raises(nmtwin.InputError, match=r"bad.toml:3"):
        nmtwin.Experiment.load(str(f))
    with pytest.raises(nmtwin.InputError, match="missing.toml"):
        nmtwin.Experiment.load(str(tmp_path / "missing.toml"))
    with pytest.raises(nmtwin.ElfError, match="nothing.elf"):
        nmtwin.fw.load_elf(str(tmp_path / "nothing.elf"))


def _stub():
    path = pathlib.Path(nmtwin.__file__).with_name("__init__.pyi")
    return ast.parse(path.read_text(), str(path))


def test_stubs_name_every_public_name_and_nothing_else():
    tree = _stub()
    top = set()
    classes = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            top.add(node.name)
            classes[node.name] = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AnnAssign))
                                  and not isinstance(n, ast.AnnAssign)} | {
                n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        elif isinstance(node, ast.FunctionDef):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            top.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            top.update(a.asname or a.name for a in node.names)
    public = {n for n in nmtwin.__all__ if not n.startswith("__")}
    assert public - top == set(), "names without a stub"
    assert {n for n in top if not n.startswith("_")} - public == set(), "stubs of names the module does not have"
    for name, members in classes.items():
        cls = getattr(nmtwin, name)
        if issubclass(cls, BaseException):
            continue
        runtime = {m for m in dir(cls) if not m.startswith("_")}
        assert runtime - members == set(), f"{name}: members without a stub"
        assert {m for m in members if not m.startswith("_")} - runtime == set(), f"{name}: stubs of missing members"
