"""Shared by the scenarios: the simulator from argv, the result as JSON on stdout.

Every scenario is an ordinary PyNN script: `scenario.py SIMULATOR OUT.json`.
"""
import json
import sys
import warnings
from importlib import import_module

DT = 0.008  # one FPGA cycle: Brian 2 checks the threshold on the chip's grid


def simulator():
    name = sys.argv[1]
    warnings.simplefilter("ignore")
    sim = import_module("pyNN.%s" % name)
    return name, sim


def dump(populations, extra=None):
    out = {}
    for p in populations:
        seg = p.get_data("spikes").segments[-1]
        out[p.label] = [[round(float(t), 6) for t in st.magnitude] for st in seg.spiketrains]
    if extra:
        out.update(extra)
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


def stats(name, sim):
    if name == "nmtwin":
        s = sim.get_backend_statistics()
        return {"late_waits": s["late_waits"], "rows": [c["rows"] for c in s["chips"]],
                "weight_rounding": s["weight_rounding"]}
    return {}
