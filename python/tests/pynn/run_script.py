"""Runs a PyNN snippet in its own process (PyNN keeps global state) and returns what it
printed as JSON on its last line."""
import json
import os
import subprocess
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "brian2"))
import compare  # noqa: E402


def run(code):
    r = subprocess.run([compare.PYTHON, "-c", textwrap.dedent(code)], env=compare.env(), capture_output=True,
                       text=True, cwd=HERE)
    if r.returncode != 0:
        raise RuntimeError(r.stdout + r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])
