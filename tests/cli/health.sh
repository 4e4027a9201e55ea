#!/usr/bin/env bash
# usage: health.sh NMTWIN WORKDIR
# nmtwin health from the command line: a healthy twin passes (with this build's firmware
# health kernel) with exit status 0; a lossy link degrades (1), a stuck register bit and
# a dead link fail (2), each named, in text, JSON and Prometheus; a bad --fault spec is
# refused naming it; `nmtwin sim --fault` injects into a server that health reaches over UDP.
set -euo pipefail
nmtwin=$1
dir=$2
mkdir -p "$dir"
cd "$dir"

expect() {  # expect STATUS OUTFILE ARGS...: runs nmtwin with ARGS, requires exit STATUS
  local want=$1 out=$2
  shift 2
  local got=0
  "$nmtwin" "$@" >"$out" 2>"$out.err" || got=$?
  [ "$got" = "$want" ] || { echo "FAIL: nmtwin $* exited $got, not $want"; cat "$out" "$out.err"; exit 1; }
}
has() { grep -qF -- "$2" "$1" || { echo "FAIL: $1 lacks '$2':"; cat "$1"; exit 1; }; }

expect 0 healthy.txt health
has healthy.txt "healthy: "
has healthy.txt "firmware           healthy   health kernel: healthy"

expect 1 lossy.json health --topology pair --fault lossy_link:link=0,ber=2e-3 --firmware none --json
has lossy.json '"status": "degraded"'
has lossy.json 'lossy link: '

expect 2 stuck.txt health --fault stuck_bit:addr=0x010008,bit=5 --firmware none --prometheus stuck.prom
has stuck.txt "chip neuron[0].output (0x80010008): bit(s) 5 stuck at 1"
has stuck.txt "failed: "
has stuck.prom 'nmtwin_health_status{target="sim:"} 2'
has stuck.prom 'nmtwin_health_check_status{node="0",check="register_patterns"} 2'

expect 2 dead.txt health --topology pair --fault dead_link:node=1 --firmware none
has dead.txt "link down: no packet received"

expect 2 bad.txt health --fault melted:link=0
has bad.txt.err "--fault 'melted:link=0': unknown fault kind 'melted'"
expect 2 nolink.txt health --fault dead_link:link=0
has nolink.txt.err "--fault 'dead_link:link=0': the system has 0 link(s)"

# A server with a fault, reached over UDP.
"$nmtwin" sim --port 0 --fault stuck_bit:addr=0x010008,bit=2,value=0 >server.txt 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q listening server.txt && break; sleep 0.1; done
port=$(grep -o '127\.0\.0\.1:[0-9]*' server.txt | head -1 | cut -d: -f2)
reset=$(grep -o 'reset port [0-9]*' server.txt | head -1 | cut -d' ' -f3)
[ -n "$port" ] || { echo "FAIL: nmtwin sim --fault did not start:"; cat server.txt; exit 1; }
expect 2 udp.txt health --target "udp://127.0.0.1:$port?reset_port=$reset" --firmware none
has udp.txt "bit(s) 2 stuck at 0"
kill -TERM $server
wait $server || true
trap - EXIT

got=0
"$nmtwin" sim --port 0 --fault stuck_bit:bit=1 >badsim.txt 2>&1 || got=$?
[ "$got" != 0 ] || { echo "FAIL: nmtwin sim accepted a bad --fault"; exit 1; }
has badsim.txt "--fault 'stuck_bit:bit=1': stuck_bit needs addr= and bit="
echo "ok: healthy 0, lossy 1, stuck bit and dead link 2, each named; bad specs refused; sim --fault over UDP"
