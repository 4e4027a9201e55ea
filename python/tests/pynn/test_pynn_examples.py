"""PyNN 0.10.1's own examples that use only what pyNN.nmtwin supports, unchanged, with
`nmtwin` as the simulator argument. The examples are fetched (never vendored) by
python/fetch_pynn_examples.sh into build/cache; docs/pynn.md lists why the others
cannot run."""
import datetime
import os
import re
import subprocess

import pytest

import run_script

ROOT = run_script.compare.ROOT
CACHE = os.environ.get("NMTWIN_PYNN_EXAMPLES",
                       os.path.join(os.environ.get("NMTWIN_BUILD_DIR", os.path.join(ROOT, "build")), "cache",
                                    "pynn-0.10.1", "examples"))

RUNS = ["update_spike_source_array.py", "varying_poisson.py"]


@pytest.fixture(scope="module")
def examples():
    if not os.path.isdir(CACHE):
        subprocess.run([os.path.join(ROOT, "python", "fetch_pynn_examples.sh"), os.path.dirname(os.path.dirname(CACHE))],
                       check=True)
    return CACHE


@pytest.mark.parametrize("name", RUNS)
def test_example_runs_unchanged(examples, name, tmp_path):
    r = subprocess.run([run_script.compare.PYTHON, os.path.join(examples, name), "nmtwin"], env=run_script.compare.env(),
                       cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    actual = re.search(r"Actual spike counts: \[([^\]]*)\]", r.stdout)
    expected = re.search(r"Expected mean spike counts: \[([^\]]*)\]", r.stdout)
    a = [float(x) for x in actual.group(1).split(",")]
    e = [float(x) for x in expected.group(1).split(",")]
    # Poisson counts: within 4 standard deviations of the mean (exactly equal for the arrays)
    assert all(abs(x - y) <= 4 * y ** 0.5 for x, y in zip(a, e)), (a, e)


@pytest.mark.parametrize("name", ["simpleRandomNetwork.py", "StepCurrentSource.py"])
def test_example_with_record_v_runs_unchanged(examples, name, tmp_path):
    # the examples write Results/YYYYMMDD/... and expect the directory (as with any simulator)
    (tmp_path / "Results" / datetime.date.today().strftime("%Y%m%d")).mkdir(parents=True)
    r = subprocess.run([run_script.compare.PYTHON, os.path.join(examples, name), "nmtwin"],
                       env=run_script.compare.env(), cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert any(f.endswith(".pkl") for _, _, files in os.walk(tmp_path / "Results") for f in files)
