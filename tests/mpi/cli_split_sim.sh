#!/bin/bash
# `mpirun -np N nmtwin sim --topology ring4`: every FPGA reachable over UDP in the one
# port layout, served by the rank that owns its node; a host runs the ring4 regressions
# against it with the results of the in-process run; SIGTERM ends every rank with the
# statistics of every node (docs/scaleout.md).
# usage: cli_split_sim.sh NMTWIN REGRESSIONS RANKS -- MPIEXEC [mpiexec options...]
set -euo pipefail
nmtwin=$1 regressions=$2 ranks=$3
shift 3
[ "$1" = "--" ] && shift
work=$(mktemp -d)
fail() { echo "cli_split_sim: $*" >&2; cat "$work/server.log" >&2; exit 1; }
"$@" -n "$ranks" "$nmtwin" sim --port 0 --topology ring4 > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 600); do
  grep -q "node 3 listening" "$work/server.log" && break
  kill -0 $server 2>/dev/null || break
  sleep 0.1
done
grep -q "node 3 listening" "$work/server.log" || fail "the server did not start"
[ "$(grep -c "listening on" "$work/server.log")" -eq 4 ] || fail "not one listening line per node"
port=$(sed -n 's/.*node 0 listening on udp:\/\/127.0.0.1:\([0-9]*\) .*/\1/p' "$work/server.log")
# Every scenario on the server's topology, twice (a second host session after the first).
"$nmtwin" regress --topology ring4 "$regressions" --target sim: > "$work/sim.txt"
for run in 1 2; do
  "$nmtwin" regress --topology ring4 "$regressions" --target "udp://127.0.0.1:$port" > "$work/udp.txt" ||
    fail "the ring4 scenarios failed over UDP: $(cat "$work/udp.txt")"
  diff "$work/sim.txt" "$work/udp.txt" || fail "the reports over UDP and in process differ"
done
kill -TERM $server
for _ in $(seq 300); do
  kill -0 $server 2>/dev/null || break
  sleep 0.1
done
kill -0 $server 2>/dev/null && fail "the ranks did not stop within 30 s of SIGTERM"
wait $server || true
for i in 0 1 2 3; do
  grep -q "^  node $i: rx [1-9]" "$work/server.log" || fail "no statistics of node $i"
done
echo "cli_split_sim: over UDP against $ranks ranks, twice: $(tail -1 "$work/udp.txt"); stopped cleanly"
