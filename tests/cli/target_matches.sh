#!/usr/bin/env bash
# usage: target_matches.sh NMTWIN WORKDIR
# The demo gives the same spikes and counters in-process (`sim:`, the default), on a
# sim: URL that hostlink::connect() builds its own simulator for, and, twice
# in a row, on a running `nmtwin sim` over UDP (the second run on a target that ran before).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nmtwin=$1
dir=$2
mkdir -p "$dir"
cd "$dir"
source "$here/start_sim.sh"
start_sim "$nmtwin"

"$nmtwin" demo -o inproc.csv >inproc.txt
"$nmtwin" demo -o simurl.csv --target "sim:node0?nodes=1" >simurl.txt
"$nmtwin" demo -o udp1.csv --target "$url" >udp1.txt
"$nmtwin" demo -o udp2.csv --target "$url" >udp2.txt
kill -TERM $server
wait $server || { echo "FAIL: nmtwin sim did not exit cleanly"; cat server.txt; exit 1; }
trap - EXIT

cmp inproc.csv simurl.csv || { echo "FAIL: --target sim:node0?nodes=1 differs from the in-process run"; exit 1; }
# Absolute systimes differ on a server that has been running; times from the start may not.
for run in udp1 udp2; do
  cmp <(cut -d, -f1,3,4 inproc.csv) <(cut -d, -f1,3,4 $run.csv) ||
    { echo "FAIL: $run.csv: spike times differ from the in-process run"; exit 1; }
  diff <(grep ' = ' inproc.txt) <(grep ' = ' $run.txt) ||
    { echo "FAIL: $run: register reads differ from the in-process run"; exit 1; }
done
[ "$(wc -l <inproc.csv)" -gt 10 ] || { echo "FAIL: too few spikes in inproc.csv"; exit 1; }
grep -q "ran on udp://127.0.0.1:$port" udp1.txt || { echo "FAIL: udp1.txt does not name the target"; exit 1; }
echo "ok: $(($(wc -l <inproc.csv) - 1)) spikes, identical in-process, on sim: and twice over UDP"
