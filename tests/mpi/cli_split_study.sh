#!/bin/sh
# `mpirun -np N nmtwin study latency` of one point on a 4x4x4 torus (64 nodes) writes the
# CSV files of the study in one process, byte for byte, for a shuffled [partition] map
# and each given quantum (docs/scaleout.md); a second split run writes them again.
# usage: cli_split_study.sh NMTWIN RANKS QUANTUM[,QUANTUM...] -- MPIEXEC [mpiexec options...]
set -eu
nmtwin=$1 ranks=$2 quanta=$3
shift 3
[ "$1" = "--" ] && shift
for quantum in $(echo "$quanta" | tr , ' '); do
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The torus with node ids 0-63 and switch ids 64-127, its links 32 cycles, and a map that
# scatters nodes and switches over the ranks (every rank gets nodes).
{
  printf '[network]\nshape = "torus"\ndims = [4, 4, 4]\nlatency_cycles = 32\nquantum_cycles = %s\n' "$quantum"
  printf '\n[partition]\nranks = %s\n' "$ranks"
  r=0
  while [ "$r" -lt "$ranks" ]; do
    nodes="" switches=""
    i=0
    while [ $i -lt 64 ]; do
      [ $(((i * 7 + 3) % ranks)) -eq $r ] && nodes="$nodes${nodes:+, }$i"
      [ $(((i * 5 + 1) % ranks)) -eq $r ] && switches="$switches${switches:+, }$((64 + (63 - i)))"
      i=$((i + 1))
    done
    printf '[[partition.rank]]\nnodes = [%s]\nswitches = [%s]\n' "$nodes" "$switches"
    r=$((r + 1))
  done
} > "$work/torus.toml"
study() {  # study OUTPUT [launcher...]
  out=$1
  shift
  "$@" "$nmtwin" study latency --topology "$work/torus.toml" --sweep rate=4 --set warmup_us=5 --set sample_us=20 \
    --set drain_us=20 --no-plots -o "$work/$out" > "$work/$out.printed"
}
study one
study split "$@" -n "$ranks"
study again "$@" -n "$ranks"
for run in split again; do
  for f in study.csv latency_by_hops.csv latency_cdf.csv; do
    if ! cmp "$work/one/$f" "$work/$run/$f"; then
      echo "cli_split_study: $f differs between the study in one process and over $ranks ranks (quantum $quantum)" >&2
      diff "$work/one/$f" "$work/$run/$f" | head -20 >&2
      exit 1
    fi
  done
  sed "s|$work/$run|$work/one|" "$work/$run.printed" | cmp "$work/one.printed" -
done
[ "$(wc -l < "$work/one/study.csv")" -eq 2 ] || { echo "cli_split_study: expected one point in study.csv" >&2; exit 1; }
echo "cli_split_study: identical over $ranks ranks (quantum $quantum, shuffled map), twice"
rm -rf "$work"
done
