#!/usr/bin/env bash
# usage: compare_spikes.sh NMTWIN SYSTEMC_CHIP_DEMO EXPERIMENT WORKDIR
# The experiment gives the same spikes (label, time from the start) and register reads
# on the command line's fast path (built-in chip model), on the SystemC modules with the
# behavioural chip module, and on the SystemC modules with the example's LifChip.
set -euo pipefail
nmtwin=$1
demo=$2
experiment=$3
dir=$4
mkdir -p "$dir"
cd "$dir"
"$nmtwin" run "$experiment" -o fast.csv >fast.txt
"$demo" --chip behavioural "$experiment" -o behavioural.csv >behavioural.txt
"$demo" --chip lif "$experiment" -o lif.csv >lif.txt
[ "$(wc -l <fast.csv)" -gt 10 ] || { echo "FAIL: too few spikes in fast.csv"; exit 1; }
for run in behavioural lif; do
  # Absolute systimes depend on the host's timing; times from the start may not.
  cmp <(cut -d, -f1,3,4 fast.csv) <(cut -d, -f1,3,4 $run.csv) ||
    { echo "FAIL: $run.csv: spikes differ from the fast path (fast.csv)"; diff <(cut -d, -f1,3 fast.csv) <(cut -d, -f1,3 $run.csv) | head; exit 1; }
  diff <(grep ' = ' fast.txt) <(grep ' = ' $run.txt) ||
    { echo "FAIL: $run: register reads differ from the fast path"; exit 1; }
done
echo "ok: $(($(wc -l <fast.csv) - 1)) spikes, identical on the fast path, the behavioural chip module and LifChip"
