#!/usr/bin/env bash
# Tests of `nmtwin regress` itself, as a user runs it.
# usage: runner.sh CASE NMTWIN REGRESSIONS_DIR WORKDIR
#   smoke        the smoke set passes; its JUnit file passes the schema check
#   wrong_golden a deliberately wrong golden fails with the divergence named, and
#                --waves-on-fail leaves traces that gtkwave's converters and sigrok read
#   udp          --target udp:// against a running nmtwin sim gives the results of --target sim:
#   trigger      --waves-trigger drop keeps the node waveforms around the first drop only
#   tolerance    spikes within [tolerance] spike_time_cycles pass even when they swap
#                places with other nodes' spikes; beyond it they fail
#   parallel     two -j 2 runs give identical reports (JUnit times aside)
#   bad_input    broken scenario files and options give file:line errors
#   late_waits   spikes closer than the FPGA plays them are an ERROR naming node and count,
#                unless the scenario sets allow_late_waits = true
set -euo pipefail
case_name=$1 nmtwin=$2 regressions=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

case $case_name in
smoke)
  "$nmtwin" regress "$regressions" --tag smoke --junit smoke.xml | tee report.txt
  grep -q "passed, 0 failed" report.txt || fail "the smoke set did not pass"
  xmllint --noout --schema "$here/junit.xsd" smoke.xml || fail "JUnit file rejected by the schema"
  ;;
wrong_golden)
  mkdir -p s/golden s/topologies
  cp "$regressions/multichip_deadline.toml" s/
  # One spike 2 cycles late and one counter off by one.
  sed -e '0,/^spike 2 200 /s/^spike 2 200 \([0-9]*\)$/echo "spike 2 200 $((\1 + 2))"/e' \
      -e 's/^counter 2 delay_events\[0\] 10$/counter 2 delay_events[0] 11/' \
      "$regressions/golden/multichip_deadline.golden" > s/golden/multichip_deadline.golden
  set +e
  "$nmtwin" regress s --junit wrong.xml --waves-on-fail waves > report.txt
  code=$?
  set -e
  cat report.txt
  [ "$code" -eq 1 ] || fail "exit code $code, expected 1"
  grep -q "counter delay_events\[0\] of node 2: expected 11, got 10" report.txt || fail "counter divergence not named"
  grep -q "first divergent spike: node 2 label 200 (its #0): expected at systime start + [0-9]*.*-2 cycles" report.txt ||
    fail "spike divergence not named"
  xmllint --noout --schema "$here/junit.xsd" wrong.xml || fail "JUnit file rejected by the schema"
  grep -q '<failure message="counter delay_events' wrong.xml || fail "no <failure> in the JUnit file"
  d=waves/multichip_deadline
  for f in node0.fst node2.fst system.vcd multichip_deadline.gtkw node2.gtkw; do [ -s "$d/$f" ] || fail "$d/$f missing"; done
  fst2vcd "$d/node2.fst" > node2.vcd || fail "fst2vcd cannot read the node trace"
  grep -q "net_rx_valid_i" node2.vcd || fail "the node trace lacks the link port"
  vcd2fst "$d/system.vcd" system.fst || fail "vcd2fst cannot read the system VCD"
  fst2vcd system.fst > roundtrip.vcd || fail "fst2vcd cannot read the converted system trace"
  grep -q "spike_in_label" roundtrip.vcd || fail "the system trace lost its signals"
  sigrok-cli -I vcd:downsample=4000 -i "$d/system.vcd" -O csv > sigrok.csv || fail "sigrok-cli cannot read the system VCD"
  [ "$(wc -l < sigrok.csv)" -gt 10 ] || fail "sigrok-cli read no samples"
  ;;
trigger)
  mkdir -p s/golden
  cp "$regressions/expired_and_dropped.toml" s/
  sed 's/^counter 1 delay_events\[0\] 3$/counter 1 delay_events[0] 4/' "$regressions/golden/expired_and_dropped.golden" \
    > s/golden/expired_and_dropped.golden
  set +e
  "$nmtwin" regress s --waves-on-fail waves --waves-trigger drop --waves-pre 50 --waves-post 50 > report.txt
  set -e
  cat report.txt
  grep -q "from 50 cycles before the first dropped event to 50 after" report.txt || fail "no triggered waveforms"
  fst2vcd waves/expired_and_dropped/node0.fst > node0.vcd || fail "fst2vcd cannot read the triggered trace"
  first=$(grep -m1 '^#[0-9]' node0.vcd | tr -d '#')
  last=$(grep '^#[0-9]' node0.vcd | tail -1 | tr -d '#')
  span=$(( (last - first) / 8000 ))
  [ "$first" -gt 0 ] && [ "$span" -le 101 ] || fail "the trace spans cycles $((first / 8000)) + $span, not 100 around a drop"
  ;;
tolerance)
  mkdir -p s/golden
  cp -r "$regressions/topologies" s/
  cp "$regressions/multicast.toml" s/
  printf '\n[tolerance]\nspike_time_cycles = 3\n' >> s/multicast.toml
  # node 1's first spike 3 cycles later than measured: after node 2's and 3's of the same cycle.
  sed '0,/^spike 1 301 \([0-9]*\)$/s//echo "spike 1 301 $((\1 + 3))"/e' "$regressions/golden/multicast.golden" > s/golden/multicast.golden
  "$nmtwin" regress s > ok.txt || { cat ok.txt; fail "a spike 3 cycles off failed a tolerance of 3"; }
  sed -i 's/^spike_time_cycles = 3/spike_time_cycles = 2/' s/multicast.toml
  set +e
  "$nmtwin" regress s > bad.txt
  code=$?
  set -e
  [ "$code" -eq 1 ] && grep -q "node 1 label 301 (its #0).*-3 cycles" bad.txt || { cat bad.txt; fail "3 cycles off passed a tolerance of 2"; }
  ;;
udp)
  topology=ring4
  # --port 0 picks a free block in the documented layout (node i at PORT + 2i), which the
  # runner's --target relies on (docs/server.md, "Ports").
  "$nmtwin" sim --port 0 --topology "$topology" > server.log 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
  # A loaded machine may take seconds to build four models: wait up to 60 s, and stop
  # waiting at once if the server ended.
  for _ in $(seq 600); do
    grep -q "node 3 listening" server.log && break
    kill -0 $server 2>/dev/null || break
    sleep 0.1
  done
  grep -q "node 3 listening" server.log || { cat server.log; fail "nmtwin sim did not start"; }
  port=$(sed -n 's/.*node 0 listening on udp:\/\/127.0.0.1:\([0-9]*\) .*/\1/p' server.log)
  [ -n "$port" ] || { cat server.log; fail "no port of node 0 in the server's output"; }
  "$nmtwin" regress "$regressions/multichip_deadline.toml" --target sim: > sim.txt
  "$nmtwin" regress "$regressions/multichip_deadline.toml" --target "udp://127.0.0.1:$port" > udp.txt
  cat udp.txt
  diff sim.txt udp.txt || fail "udp and sim reports differ"
  grep -q "1 passed, 0 failed" udp.txt || fail "the scenario did not pass over UDP"
  ;;
parallel)
  "$nmtwin" regress "$regressions" -j 2 --junit a.xml > a.txt
  "$nmtwin" regress "$regressions" -j 2 --junit b.xml > b.txt
  diff a.txt b.txt || fail "two -j 2 reports differ"
  diff <(sed 's/ time="[0-9.]*"//g' a.xml) <(sed 's/ time="[0-9.]*"//g' b.xml) || fail "two -j 2 JUnit files differ"
  "$nmtwin" regress "$regressions" > serial.txt
  diff a.txt serial.txt || fail "-j 2 and -j 1 reports differ"
  # --seed reaches the links' bit errors: another seed, other repairs.
  set +e
  "$nmtwin" regress "$regressions/bit_errors.toml" --seed 99 > seed.txt
  set -e
  grep -q "FAIL bit_errors: counter link_" seed.txt || fail "--seed 99 changed no link repair: $(cat seed.txt)"
  ;;
bad_input)
  mkdir b
  printf '[scenario]\ntags = ["smoke"]\nduration_us = 5\ncounters = ["no_such_counter"]\n' > b/bad_counter.toml
  set +e
  out=$("$nmtwin" regress b 2>&1); code=$?
  set -e
  echo "$out"
  [ "$code" -ne 0 ] || fail "a bad scenario passed"
  grep -q "bad_counter.toml:4: counter 'no_such_counter' is no FPGA register" <<<"$out" || fail "no file:line error"
  set +e
  out=$("$nmtwin" regress "$regressions" --tag no_such_tag 2>&1); code=$?
  set -e
  [ "$code" -ne 0 ] && grep -q "has the tag(s) 'no_such_tag'" <<<"$out" || fail "unknown tag not reported: $out"
  set +e
  out=$("$nmtwin" regress "$regressions" --target tcp://x 2>&1); code=$?
  set -e
  [ "$code" -ne 0 ] && grep -q "use sim: (in-process) or udp://HOST:PORT" <<<"$out" || fail "bad target not reported: $out"
  # A program error names the instruction and shows those around it.
  mkdir e
  printf '[scenario]\ntags = ["x"]\nduration_us = 5\n[[chip]]\nnode = 0\n[[chip.read]]\naddress = 0x7FFFFFF0\n' > e/unmapped.toml
  set +e
  out=$("$nmtwin" regress e 2>&1); code=$?
  set -e
  [ "$code" -eq 1 ] || fail "exit code $code for a failing program"
  grep -q "ERROR unmapped: program failed on sim:node0" <<<"$out" && grep -q ">  #[0-9]* read 0x7ffffff0" <<<"$out" ||
    fail "the failing instruction is not shown: $out"
  ;;
late_waits)
  mkdir l
  # Four spikes one cycle apart: the FPGA needs two (docs/experiments.md, "Timing").
  printf '[scenario]\ntags = ["x"]\nduration_us = 3\n[[chip]]\nnode = 0\n[[chip.source]]\nlabel = 1\ntimes_us = [1.0, 1.008, 1.016, 1.024]\n' > l/dense.toml
  set +e
  out=$("$nmtwin" regress l --update-golden 2>&1); code=$?
  set -e
  echo "$out"
  [ "$code" -eq 1 ] || fail "exit code $code for late waits"
  grep -q "ERROR dense: node 0: 3 late waits (counter late_waits)" <<<"$out" || fail "late waits not reported"
  [ ! -e l/golden/dense.golden ] || fail "a golden file was written from a run with late waits"
  sed -i 's/^duration_us = 3$/duration_us = 3\nallow_late_waits = true  # the test means them/' l/dense.toml
  "$nmtwin" regress l --update-golden
  "$nmtwin" regress l | tee report.txt
  grep -q "1 passed, 0 failed" report.txt || fail "allowed late waits did not pass"
  # Spaced two cycles apart, the same spikes are on time.
  printf '[scenario]\ntags = ["x"]\nduration_us = 3\n[[chip]]\nnode = 0\n[[chip.source]]\nlabel = 1\ntimes_us = [1.0, 1.016, 1.032, 1.048]\n' > l/dense.toml
  "$nmtwin" regress l --update-golden | tee report.txt
  grep -q "golden file(s) written" report.txt || fail "spikes two cycles apart were late"
  ;;
*) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
