#!/usr/bin/env bash
# scripts/ci-gate on the example host project (examples/host_project), as a host
# repository's CI runs it.
# usage: gate.sh CASE NMTWIN_BUILD_DIR WORKDIR
#   pass    it builds with find_package(nmtwin), passes, writes JUnit that the schema accepts
#   fail    a regression that no longer holds fails the gate, named in the JUnit file
#   killed  SIGTERM or SIGKILL to the gate takes its nmtwin sim servers down
#   topology --topology FILE is relative to the project, not the current directory; a
#           missing file or a server that cannot start still writes the JUnit file, with
#           the error in it
set -euo pipefail
case_name=$1 nmtwin_build=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
cp -r "$root/examples/host_project" "$work/project"
rm -rf "$work/project/build-ci-gate"
fail() { echo "FAIL: $*"; exit 1; }
gate=("$root/scripts/ci-gate" --nmtwin-build "$nmtwin_build" --build-dir "$work/build" --junit "$work/gate.xml")

case $case_name in
pass)
  "${gate[@]}" "$work/project" | tee "$work/log"
  grep -q "ci-gate: passed" "$work/log" || fail "the gate did not pass"
  xmllint --noout --schema "$here/junit.xsd" "$work/gate.xml" || fail "JUnit rejected"
  grep -q 'tests="3" failures="0" errors="0"' "$work/gate.xml" || fail "JUnit does not count 3 passed tests"
  ;;
fail)
  sed -i 's/^read 0 scratch 7$/read 0 scratch 8/' "$work/project/regressions/golden/registers.golden"
  set +e
  "${gate[@]}" "$work/project" > "$work/log" 2>&1
  code=$?
  set -e
  cat "$work/log"
  [ "$code" -ne 0 ] || fail "the gate passed a failing regression"
  grep -q "read-back scratch of node 0: expected 8, got 7" "$work/log" || fail "the divergence is not named"
  xmllint --noout --schema "$here/junit.xsd" "$work/gate.xml" || fail "JUnit rejected"
  grep -q '<failure message="read-back scratch of node 0: expected 8, got 7"' "$work/gate.xml" || fail "no failure in JUnit"
  ;;
killed)
  # A scenario long enough to kill the gate while it runs.
  cat > "$work/project/regressions/long.toml" <<'TOML'
[scenario]
tags = ["slow"]
duration_us = 400000
TOML
  for signal in TERM KILL; do
    "${gate[@]}" --no-tests --tag slow "$work/project" > "$work/log-$signal" 2>&1 &
    gate_pid=$!
    for _ in $(seq 400); do grep -q "serves topology" "$work/log-$signal" && break; sleep 0.05; done
    server=$(sed -n 's/.*nmtwin sim (pid \([0-9]*\)).*/\1/p' "$work/log-$signal" | head -1)
    [ -n "$server" ] || { cat "$work/log-$signal"; fail "no server started"; }
    sleep 0.3
    kill -s "$signal" "$gate_pid"
    wait "$gate_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$server" 2>/dev/null; then kill -9 "$server"; fail "nmtwin sim $server outlived a SIG$signal to the gate"; fi
    echo "SIG$signal: the server went with the gate"
  done
  ;;
topology)
  cp "$root/examples/topologies/two_chips_one_switch.toml" "$work/project/net.toml"
  cp "$root/tests/cli/bad/two_parts.toml" "$work/project/two_parts.toml"
  mkdir "$work/elsewhere" && cd "$work/elsewhere"  # neither file is here
  junit_has_error() {  # $1: what the <error> must say
    xmllint --noout --schema "$here/junit.xsd" "$work/gate.xml" || fail "JUnit rejected"
    grep -q "<error message=\"$1" "$work/gate.xml" || { cat "$work/gate.xml"; fail "no <error> '$1' in the JUnit file"; }
  }
  set +e
  "${gate[@]}" --topology nope.toml "$work/project" > "$work/log" 2>&1; code=$?
  set -e
  cat "$work/log"
  [ "$code" -ne 0 ] || fail "the gate passed with a missing topology file"
  junit_has_error "--topology: there is no topology file $work/project/nope.toml"
  rm "$work/gate.xml"
  set +e
  "${gate[@]}" --topology two_parts.toml "$work/project" > "$work/log" 2>&1; code=$?
  set -e
  cat "$work/log"
  [ "$code" -ne 0 ] || fail "the gate passed although its server could not start"
  junit_has_error "nmtwin sim did not start for topology $work/project/two_parts.toml"
  grep -q "node 2 is not connected to node 0" "$work/gate.xml" || fail "the JUnit file lacks the server's reason"
  "${gate[@]}" --topology net.toml "$work/project" | tee "$work/log"
  grep -q "serves topology $work/project/net.toml" "$work/log" || fail "net.toml not taken from the project"
  grep -q "ci-gate: passed" "$work/log" || fail "the gate did not pass"
  ;;
*) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
