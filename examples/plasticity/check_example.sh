#!/bin/sh
# plasticity_example test: runs the example twice for the default seed (no plots) and
# compares the results byte for byte. Usage: check_example.sh PLASTICITY OUTDIR
set -eu
exe=$1 out=$2
rm -rf "$out"
for run in a b; do
  code=0
  "$exe" -o "$out/$run" --no-plots > "$out.$run.log" 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then
    echo "check_example: run $run failed (exit code $code):"; cat "$out.$run.log"; exit 1
  fi
done
cat "$out.a.log"
grep -q "target reached at trial" "$out.a.log"
for f in trials.csv weights.csv; do
  cmp "$out/a/$f" "$out/b/$f" || { echo "check_example: $f differs between two runs of the same seed"; exit 1; }
done
echo "check_example: both runs reached the target with identical trials.csv and weights.csv"
