#!/usr/bin/env bash
# usage: fault.sh STATUS REGEX MPIRUN ARGS...
# Runs an MPI job in which a rank fails (tests/mpi_fault.cpp) and requires that it ends with
# exit status STATUS and output matching REGEX (the rank named). The test's TIMEOUT is the
# bound on how long the job may take; this script measures no time.
set -uo pipefail
expected=$1
regex=$2
shift 2
out=$("$@" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne "$expected" ]; then
  echo "fault.sh: the job ended with status $status, not $expected" >&2
  exit 1
fi
if ! grep -Eq -- "$regex" <<<"$out"; then
  echo "fault.sh: the job ended with status $status, but its output (above) does not match '$regex'" >&2
  exit 1
fi
echo "fault.sh: the job ended with status $status, naming the rank"
