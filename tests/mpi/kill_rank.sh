#!/bin/sh
# Killing one rank of a split simulation mid-run ends the whole job within seconds, with
# an error that names the rank (issue 15, docs/scaleout.md "When a rank fails").
# usage: kill_rank.sh MPIEXEC [mpiexec options...] -n N PROGRAM [args...]
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" > "$out" 2>&1 &
job=$!
victim=""
for _ in $(seq 1 100); do  # up to 10 s for the ranks to start and run
  sleep 0.1
  for p in $(pgrep -P "$job"); do
    if tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1"; then victim=$p; fi
  done
  [ -n "$victim" ] && break
done
[ -n "$victim" ] || { echo "kill_rank: rank 1 never started" >&2; cat "$out" >&2; kill "$job"; exit 1; }
sleep 2  # mid-run
kill -9 "$victim"
start=$(date +%s)
wait "$job"
status=$?
took=$(( $(date +%s) - start ))
cat "$out"
[ "$status" -ne 0 ] || { echo "kill_rank: the job ended with status 0 after rank 1 was killed" >&2; exit 1; }
grep -Eq "process rank 1 with PID [0-9]+ on node .* exited on signal 9" "$out" ||
  { echo "kill_rank: no message naming rank 1" >&2; exit 1; }
echo "kill_rank: the job ended $took s after rank 1 was killed, status $status"
