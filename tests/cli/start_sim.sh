# Sourced by the CLI tests: start_sim NMTWIN starts `nmtwin sim --port 0` in the current
# directory (its output in server.txt), stops it when the test exits, and sets `port`,
# `reset` (its data and reset ports) and `url` (udp://127.0.0.1:PORT?reset_port=RESET, node 0);
# a server that does not start fails the test.
start_sim() {
  "$1" sim --port 0 >server.txt 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 200); do grep -q listening server.txt && break; sleep 0.1; done
  port=$(grep -o '127\.0\.0\.1:[0-9]*' server.txt | head -1 | cut -d: -f2)
  reset=$(grep -o 'reset port [0-9]*' server.txt | head -1 | cut -d' ' -f3)
  [ -n "$port" ] || { echo "FAIL: nmtwin sim did not start:"; cat server.txt; exit 1; }
  url="udp://127.0.0.1:$port?reset_port=$reset"
}
