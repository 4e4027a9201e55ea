#!/bin/sh
# `mpirun -np N nmtwin regress --tag multichip` writes what the run in one process writes,
# byte for byte: the report and, with --update-golden, every golden file (each chip's
# spikes with their times, reads and counters). docs/scaleout.md.
# usage: cli_split_regress.sh NMTWIN SOURCE_DIR RANKS [nmtwin options...] -- MPIEXEC [mpiexec options...]
set -eu
nmtwin=$1 source=$2 ranks=$3
shift 3
options=""
while [ "$1" != "--" ]; do options="$options $1"; shift; done
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in one split; do
  mkdir "$work/$run"
  cp -r "$source/regressions" "$source/examples" "$work/$run/"
  rm -f "$work/$run"/regressions/golden/*.golden
done
"$nmtwin" regress --tag multichip --update-golden "$work/one/regressions" > "$work/one/printed"
# shellcheck disable=SC2086  # the options are words
"$@" -n "$ranks" "$nmtwin" $options regress --tag multichip --update-golden "$work/split/regressions" \
  > "$work/split/printed"
sed "s|$work/split|$work/one|g" "$work/split/printed" | cmp "$work/one/printed" -
count=0
for f in "$work/one/regressions/golden/"*.golden; do
  if ! cmp "$f" "$work/split/regressions/golden/$(basename "$f")"; then
    echo "cli_split_regress: $(basename "$f") differs between one process and $ranks ranks ($options)" >&2
    diff "$f" "$work/split/regressions/golden/$(basename "$f")" | head -20 >&2
    exit 1
  fi
  count=$((count + 1))
done
[ "$count" -ge 7 ] || { echo "cli_split_regress: only $count golden files written" >&2; exit 1; }
# And the committed goldens pass over the ranks.
"$@" -n "$ranks" "$nmtwin" $options regress --tag multichip "$source/regressions" > /dev/null
echo "cli_split_regress: $count golden files identical over $ranks ranks ($options)"
