#!/usr/bin/python3
"""Runs every file of the given directories through a libFuzzer target once (no fuzzing):
the CTest entry of each target replays its committed seed corpus and the inputs of the bugs
fuzzing found (fuzz/regressions/TARGET). Missing directories are skipped; no input at all
is an error (a target without a corpus tests nothing).

usage: replay.py TARGET DIR...
"""
import os
import subprocess
import sys

SUPPRESSIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "sanitizers", "lsan.supp")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    target, dirs = sys.argv[1], sys.argv[2:]
    files = []
    for d in dirs:
        if os.path.isdir(d):
            files += sorted(os.path.join(d, f) for f in os.listdir(d)
                            if os.path.isfile(os.path.join(d, f)) and not f.startswith("."))
    if not files:
        sys.exit(f"replay.py: no input in {' '.join(dirs)}: commit a seed corpus for {os.path.basename(target)}")
    # The corpus directory is the working directory: files that inputs name are found there.
    env = dict(os.environ, LSAN_OPTIONS=f"suppressions={SUPPRESSIONS}")
    rc = subprocess.run([target] + [os.path.abspath(f) for f in files], cwd=os.path.abspath(dirs[0]),
                        env=env).returncode
    print(f"replay.py: {len(files)} inputs through {os.path.basename(target)}: "
          f"{'all clean' if rc == 0 else 'a finding (above), exit status %d' % rc}")
    sys.exit(rc)


if __name__ == "__main__":
    main()
