#!/usr/bin/env bash
# usage: fw_failures.sh NMTWIN FIRMWARE_DIR WORKDIR
# `nmtwin fw` as docs/firmware.md promises, on one running `nmtwin sim`: hello prints and
# exits 0; a trap (crash), a runaway kernel (spin with --watchdog) and a kernel that never
# returns (sleeper with --max-cycles) each give their exit code and message, and after
# each the next program on the same target works. Then hello in-process (sim:).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nmtwin=$1
fw=$2
dir=$3
mkdir -p "$dir"
cd "$dir"
source "$here/start_sim.sh"
start_sim "$nmtwin"

# expect NAME CODE STDOUT_REGEX STDERR_REGEX ARGS...: runs nmtwin fw ARGS on the server.
expect() {
  local name=$1 code=$2 out_re=$3 err_re=$4
  shift 4
  "$nmtwin" fw "$@" --target "$url" >"$name.out" 2>"$name.err"
  local rc=$?
  [ "$rc" -eq "$code" ] || { echo "FAIL: $name: exit $rc, expected $code"; cat "$name.out" "$name.err"; exit 1; }
  grep -Eq -- "$out_re" "$name.out" || { echo "FAIL: $name: stdout does not match '$out_re':"; cat "$name.out"; exit 1; }
  # '^$' means nothing at all on stderr (grep finds no line in an empty file).
  if [ "$err_re" = '^$' ]; then
    [ ! -s "$name.err" ] || { echo "FAIL: $name: stderr is not empty:"; cat "$name.err"; exit 1; }
  else
    grep -Eq -- "$err_re" "$name.err" || { echo "FAIL: $name: stderr does not match '$err_re':"; cat "$name.err"; exit 1; }
  fi
  echo "ok: $name (exit $rc)"
}

expect hello 0 '^hello from the nmtwin PPU at systime [0-9]+$' '^$' "$fw/hello.elf"
expect crash 3 'crash: illegal instruction at depth 2' \
  'illegal instruction \(mcause 0x2\) at pc 0x[0-9a-f]{8} in crash_inner\+0x[0-9a-f]+: instruction 0x00000000' \
  "$fw/crash.elf"
grep -Eq '#1 crash_outer\+0x[0-9a-f]+' crash.err && grep -Eq '#2 main\+0x[0-9a-f]+' crash.err ||
  { echo "FAIL: crash: no backtrace crash_inner <- crash_outer <- main:"; cat crash.err; exit 1; }
expect hello_after_trap 0 '^hello from the nmtwin PPU' '^$' "$fw/hello.elf"
expect spin 4 'spin: looping forever' 'watchdog expired after 20000 cycles at pc 0x[0-9a-f]{8} in main' \
  "$fw/spin.elf" --watchdog 20000
expect hello_after_watchdog 0 '^hello from the nmtwin PPU' '^$' "$fw/hello.elf"
expect sleeper 5 'sleeper: sleeping forever' 'did not finish within 200000 cycles \(asleep in wfi' \
  "$fw/sleeper.elf" --max-cycles 200000
expect hello_after_timeout 0 '^hello from the nmtwin PPU' '^$' "$fw/hello.elf"

kill -TERM $server
wait $server || { echo "FAIL: nmtwin sim did not exit cleanly"; cat server.txt; exit 1; }
trap - EXIT
"$nmtwin" fw "$fw/hello.elf" >inproc.out || { echo "FAIL: hello in-process exited $?"; exit 1; }
grep -q '^hello from the nmtwin PPU' inproc.out || { echo "FAIL: hello in-process printed:"; cat inproc.out; exit 1; }
echo "ok: every failure reported, and the next program ran after each"
