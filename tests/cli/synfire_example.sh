#!/usr/bin/env bash
# usage: synfire_example.sh NMTWIN EXAMPLE WORKDIR
# The synfire example runs from the CLI, prints the hop comparison and writes two
# rasters that are well-formed SVG with the spikes of both regimes.
set -euo pipefail
nmtwin=$1
example=$2
mkdir -p "$3"
cd "$3"
out=$("$nmtwin" run "$example")
echo "$out"
grep -q "hop latency (strong inhibition): on-chip" <<<"$out" || { echo "FAIL: no hop comparison"; exit 1; }
for f in synfire_strong.svg synfire_weak.svg; do
  [ -s "$f" ] || { echo "FAIL: $f missing"; exit 1; }
  python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$f" || { echo "FAIL: $f is not XML"; exit 1; }
done
strong=$(grep -c 'class="spike"' synfire_strong.svg)
weak=$(grep -c 'class="spike"' synfire_weak.svg)
[ "$weak" -gt $((3 * strong)) ] || { echo "FAIL: weak inhibition should give many more spikes ($weak vs $strong)"; exit 1; }
echo "ok: $strong spikes with strong, $weak with weak inhibition"
