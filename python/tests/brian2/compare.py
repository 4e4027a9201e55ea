"""Runs a scenario on pyNN.nmtwin and pyNN.brian2, each in its own process."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def env():
    e = dict(os.environ)
    # absolute: the scenarios run in temporary directories
    paths = [os.path.abspath(p) for p in e.get("PYTHONPATH", "").split(os.pathsep) if p]
    if not any(os.path.isdir(os.path.join(p, "pyNN", "nmtwin")) for p in paths):
        paths.insert(0, os.path.join(ROOT, "python", "pynn"))
    build = e.get("NMTWIN_BUILD_DIR", os.path.join(ROOT, "build"))
    if not any(os.path.isdir(os.path.join(p, "nmtwin")) for p in paths):
        paths.append(os.path.join(build, "python"))
    e["PYTHONPATH"] = os.pathsep.join(paths)
    e.pop("NMTWIN_TARGET", None)
    e["PYTHONHASHSEED"] = "0"
    return e


def run(scenario, simulator, *args):
    """A scenario of scenarios/ (`NAME`), or an example (`examples/pynn/NAME.py`, run as
    `NAME.py SIMULATOR --json OUT ARGS`), in its own process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        if scenario.startswith("examples/"):
            cmd = [PYTHON, os.path.join(ROOT, scenario), simulator, "--json", out] + list(args)
        else:
            cmd = [PYTHON, os.path.join(HERE, "scenarios", scenario + ".py"), simulator, out] + list(args)
        if simulator == "brian2":
            # Brian 2's NumPy code generation: no C compiler runs, which for these small networks is
            # much faster than compiling a Cython extension per object (same equations, same results).
            with open(os.path.join(tmp, "brian_preferences"), "w") as f:
                f.write("codegen.target = 'numpy'\n")
        r = subprocess.run(cmd, env=env(), cwd=tmp, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("%s on %s failed:\n%s%s" % (scenario, simulator, r.stdout, r.stderr))
        with open(out) as f:
            return json.load(f)


def both(scenario, *args):
    return run(scenario, "nmtwin", *args), run(scenario, "brian2", *args)


if __name__ == "__main__":
    a, b = both(sys.argv[1], *sys.argv[2:])
    for k in a:
        for i, (x, y) in enumerate(zip(a[k], b[k])):
            print(k, i, "nmtwin", len(x), x[:12])
            print(k, i, "brian2", len(y), y[:12])
