#!/usr/bin/env bash
# scripts/bench as a user runs it: quick runs of two benchmarks write bench-results.json
# and .md with a figure of each; a second run compared with the first has the earlier
# figures and the change in its table; a wrong name is refused.  Checks the files, never
# the figures' values (wall clock).
# usage: bench_script.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$src/scripts/bench" --build-dir "$build" --quick --only bench_regress bench_ppu --out "$out/a" >"$out/a.txt"
for f in bench-results.json bench-results.md; do
  [ -s "$out/a/$f" ] || { echo "FAIL: no $f"; cat "$out/a.txt"; exit 1; }
done
/usr/bin/python3 - "$out/a/bench-results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
names = {(f["bench"], f["name"]) for f in r["figures"]}
for want in [("bench_ppu", "processor running a kernel"), ("bench_regress", "tracing slowdown")]:
    assert want in names, f"no figure {want} in {sorted(names)}"
for f in r["figures"]:
    assert f["better"] in ("higher", "lower") and f["value"] >= 0 and f["unit"], f
assert r["commit"] and r["date"] and r["machine"]
PY
"$src/scripts/bench" --build-dir "$build" --quick --only bench_regress --out "$out/b" \
  --compare "$out/a/bench-results.json" >"$out/b.txt"
grep -Eq '^\| bench_regress \| tracing slowdown \| [0-9.e+-]+ \| x \| [0-9.e+-]+ \| [+-][0-9.]+ %' "$out/b/bench-results.md" ||
  { echo "FAIL: no comparison in the table:"; cat "$out/b/bench-results.md"; exit 1; }
if "$src/scripts/bench" --build-dir "$build" --only bench_nope >"$out/c.txt" 2>&1; then
  echo "FAIL: an unknown benchmark was accepted"; exit 1
fi
grep -q "no benchmark bench_nope: choose from" "$out/c.txt" || { echo "FAIL: message:"; cat "$out/c.txt"; exit 1; }
echo "scripts/bench: ok"
