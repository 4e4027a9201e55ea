#!/usr/bin/env bash
# usage: warp_exact.sh NMTWIN SOURCE_DIR WORKDIR
# Warp changes nothing a user sees (docs/performance.md, "Warp"): every regression
# scenario passes its golden files (spikes, reads, counters) with warp and with
# --no-warp, and the demo's spike CSV, the synfire example's rasters and the latency
# study's built-in sweep (its CSV files) are byte-identical both ways.
set -euo pipefail
nmtwin=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

for mode in warp step; do
  flags=()
  [ "$mode" = step ] && flags=(--no-warp)
  mkdir -p "$mode/synfire"
  (
    cd "$mode"
    "$nmtwin" regress "$src/regressions" "${flags[@]}" | tee regress.txt
    grep -q " 0 failed" regress.txt || fail "regressions failed with $mode"
    "$nmtwin" demo -o demo.csv "${flags[@]}" > demo.txt
    (cd synfire && "$nmtwin" run "$src/examples/synfire.toml" "${flags[@]}" > run.txt)
    "$nmtwin" study latency -o study "${flags[@]}" > study.txt
  )
done

for f in demo.csv synfire/synfire_strong.svg synfire/synfire_weak.svg study/study.csv study/latency_by_hops.csv \
         study/latency_cdf.csv; do
  [ -s "warp/$f" ] || fail "warp/$f is missing or empty"
  cmp "warp/$f" "step/$f" || fail "$f differs between warp and --no-warp"
done
# The printed summaries agree too, but for wall-clock times.
for f in demo.txt synfire/run.txt study.txt; do
  diff <(grep -v -E "wall|[0-9.]+ s\b|M cycles/s" "warp/$f") <(grep -v -E "wall|[0-9.]+ s\b|M cycles/s" "step/$f") ||
    fail "$f differs between warp and --no-warp"
done
echo "ok: regressions, demo, synfire and the latency study identical with and without warp"
