#!/bin/bash
# `mpirun -np N nmtwin regress --waves-on-fail` of a failing ring4 scenario writes the
# waveforms of the run in one process: the system trace (system.vcd) byte for byte, every
# node's trace (VCD, compared without its date line) and the GTKWave files (their paths
# aside). docs/scaleout.md.
# usage: cli_split_waves.sh NMTWIN REGRESSIONS RANKS -- MPIEXEC [mpiexec options...]
set -euo pipefail
nmtwin=$1 regressions=$2 ranks=$3
shift 3
[ "$1" = "--" ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "cli_split_waves: $*" >&2; exit 1; }
mkdir -p "$work/s/golden"
cp "$regressions/multichip_deadline.toml" "$work/s/"
# One counter off by one: the scenario fails and runs again with waveforms.
sed -e 's/^counter 2 delay_events\[0\] 10$/counter 2 delay_events[0] 11/' \
  "$regressions/golden/multichip_deadline.golden" > "$work/s/golden/multichip_deadline.golden"
cd "$work"
for run in one split; do
  launcher=()
  [ $run = split ] && launcher=("$@" -n "$ranks")
  set +e
  "${launcher[@]}" "$nmtwin" regress s --waves-on-fail "$run" --waves-vcd > "$run.txt"
  code=$?
  set -e
  [ "$code" -eq 1 ] || fail "$run: exit code $code, expected 1: $(cat "$run.txt")"
done
sed "s|split/|one/|g" split.txt | cmp one.txt - || fail "the reports differ"
d=multichip_deadline
cmp "one/$d/system.vcd" "split/$d/system.vcd" || fail "system.vcd differs between one process and $ranks ranks"
for i in 0 1 2 3; do
  [ -s "split/$d/node$i.vcd" ] || fail "split/$d/node$i.vcd missing"
  cmp <(grep -v '^\$date\|^ *[A-Z][a-z][a-z] [A-Z][a-z][a-z] ' "one/$d/node$i.vcd") \
    <(grep -v '^\$date\|^ *[A-Z][a-z][a-z] [A-Z][a-z][a-z] ' "split/$d/node$i.vcd") ||
    fail "node$i.vcd differs between one process and $ranks ranks"
  cmp <(sed "s|$work/split|$work/one|g" "split/$d/node$i.gtkw") "one/$d/node$i.gtkw" || fail "node$i.gtkw differs"
done
cmp <(sed "s|$work/split|$work/one|g" "split/$d/$d.gtkw") "one/$d/$d.gtkw" || fail "$d.gtkw differs"
echo "cli_split_waves: system.vcd, 4 node traces and the GTKWave files identical over $ranks ranks"
