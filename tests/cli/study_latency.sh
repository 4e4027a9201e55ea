#!/usr/bin/env bash
# usage: study_latency.sh NMTWIN WORKDIR
# The built-in study runs from the CLI and writes its CSV files and every plot.
set -euo pipefail
nmtwin=$1
rm -rf "$2" && mkdir -p "$2" && cd "$2"
out=$("$nmtwin" study latency -o study)
echo "$out"
grep -q "points written to study/study.csv" <<<"$out" || { echo "FAIL: no CSV"; exit 1; }
grep -q "zero-load latency [0-9]* ns" <<<"$out" || { echo "FAIL: no zero-load latency"; exit 1; }
for f in study.csv latency_by_hops.csv latency_cdf.csv study.gp; do [ -s "study/$f" ] || { echo "FAIL: $f missing"; exit 1; }; done
for p in latency_vs_load throughput latency_cdf latency_vs_hops jitter aggregation deadline; do
  [ -s "study/$p.png" ] && [ -s "study/$p.svg" ] || { echo "FAIL: plot $p missing"; exit 1; }
  python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "study/$p.svg" || { echo "FAIL: $p.svg is not XML"; exit 1; }
done
[ "$(wc -l < study/study.csv)" -eq 17 ] || { echo "FAIL: expected 16 points"; exit 1; }
echo "ok"
