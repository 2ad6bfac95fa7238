#!/usr/bin/env bash
# Runs every bench once in smoke mode (--smoke: one iteration, tiny sizes, the real path, every step
# checked, no figure kept), so that a change that breaks a bench fails ./test.sh. The full runs stay
# manual (bench/README.md).
# Each bench runs in a network namespace of its own holding only loopback (unshare --net, as root):
# what it builds (the preflight's bridges) never touches the host's network, and changes of the host's
# (other tests, other runs) cannot abort its Chromium's page loads (net::ERR_NETWORK_CHANGED).
# Needs the Release build (dotnet build Runner.sln -c Release). One line per bench, then "benches: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bin=bin/Release/net10.0
passed=0
failed=0

bench() {
  local name=$1 log started status tenths
  shift
  log=$(mktemp)
  started=$(date +%s%N)
  timeout 300 unshare --net -- /bin/sh -c 'ip link set lo up && exec "$@"' sh "$@" >"$log" 2>&1
  status=$?
  tenths=$(( ($(date +%s%N) - started) / 100000000 ))
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "bench $name: passed ($((tenths / 10)).$((tenths % 10)) s)"
  else
    failed=$((failed + 1))
    echo "bench $name: FAILED (exit $status after $((tenths / 10)).$((tenths % 10)) s): $*"
    tail -n 40 "$log" | sed 's/^/    /'
  fi
  rm -f "$log"
}

bench startup python3 bench/startup.py --smoke
bench architecture python3 bench/architecture.py --smoke
bench engine_overhead python3 bench/engine_overhead.py --smoke
bench Ingest dotnet "bench/Ingest/$bin/Ingest.dll" --smoke
bench LogView dotnet "bench/LogView/$bin/LogView.dll" --smoke
bench Preflight dotnet "bench/Preflight/$bin/Preflight.dll" --smoke
bench artifacts python3 bench/artifacts.py --smoke

echo "benches: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
