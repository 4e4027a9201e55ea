#!/bin/sh
# `mpirun -np N nmtwin run` of the synfire example on TOPOLOGY writes what the run in one
# process writes, byte for byte: both rasters and everything printed (docs/scaleout.md).
# usage: cli_split.sh NMTWIN EXAMPLE TOPOLOGY RANKS [nmtwin options...] -- MPIEXEC [mpiexec options...]
set -eu
nmtwin=$1 example=$2 topology=$3 ranks=$4
shift 4
options=""
while [ "$1" != "--" ]; do options="$options $1"; shift; done
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in one split; do
  mkdir "$work/$run"
  sed -e "s|^topology = .*|topology = \"$topology\"|" -e "s|^output = .*|output = \"$work/out/synfire\"|" \
    "$example" > "$work/$run/synfire.toml"
done
mkdir "$work/out"
"$nmtwin" run "$work/one/synfire.toml" > "$work/one/printed"
mv "$work/out" "$work/one/out"
mkdir "$work/out"
# shellcheck disable=SC2086  # the options are words
"$@" -n "$ranks" "$nmtwin" $options run "$work/split/synfire.toml" > "$work/split/printed"
mv "$work/out" "$work/split/out"
for f in printed out/synfire_strong.svg out/synfire_weak.svg; do
  if ! cmp "$work/one/$f" "$work/split/$f"; then
    echo "cli_split: $f differs between the run in one process and over $ranks ranks ($options)" >&2
    diff "$work/one/$f" "$work/split/$f" | head -20 >&2
    exit 1
  fi
done
grep -q "hop latency" "$work/split/printed" || { echo "cli_split: nothing printed by rank 0" >&2; exit 1; }
echo "cli_split: identical over $ranks ranks ($options)"
