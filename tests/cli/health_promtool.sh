#!/usr/bin/env bash
# usage: health_promtool.sh NMTWIN PROMTOOL WORKDIR
# The Prometheus text of `nmtwin health --prometheus` as Prometheus itself reads it:
# `promtool check metrics` (Debian's `prometheus` package, installed by scripts/setup)
# must accept it, lint rules included, for a healthy twin, one per injected fault and a
# ring of 8 nodes. A broken exposition is refused first, so that the check can fail.
set -euo pipefail
nmtwin=$1
promtool=$2
dir=$3
mkdir -p "$dir"
cd "$dir"

printf '# HELP x_stuck_bits A.\n# TYPE x_stuck_bits gauge\nx_stuck_bits 1\n' >bad.prom
if "$promtool" check metrics <bad.prom >bad.out 2>&1; then
  echo "FAIL: promtool accepted a metric named in bits:"; cat bad.out; exit 1
fi

check() {  # check NAME STATUS ARGS...: nmtwin health ARGS --prometheus NAME.prom exits STATUS
  local name=$1 want=$2 got=0
  shift 2
  "$nmtwin" health "$@" --prometheus "$name.prom" >"$name.txt" 2>&1 || got=$?
  [ "$got" = "$want" ] || { echo "FAIL: nmtwin health $* exited $got, not $want:"; cat "$name.txt"; exit 1; }
  [ -s "$name.prom" ] || { echo "FAIL: nmtwin health $* wrote no $name.prom"; exit 1; }
  if ! "$promtool" check metrics <"$name.prom" >"$name.promtool" 2>&1; then
    echo "FAIL: promtool check metrics refuses $dir/$name.prom (nmtwin health $*):"
    cat "$name.promtool"
    exit 1
  fi
  echo "ok: $name ($(grep -vc '^#' "$name.prom") samples)"
}

check healthy 0
check lossy 1 --topology pair --fault lossy_link:link=0,ber=2e-3 --firmware none
check stuck 2 --fault stuck_bit:addr=0x010008,bit=5 --firmware none
check dead 2 --topology pair --fault dead_link:node=1 --firmware none
check ring8 0 --topology ring8 --firmware none
