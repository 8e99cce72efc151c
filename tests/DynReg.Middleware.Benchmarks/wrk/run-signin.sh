#!/usr/bin/env bash
# Sign-in load test (issue 4): starts the sample in Release on 127.0.0.1 (Development: the
# management client and the demo user), then runs the benchmark project's load driver twice:
#   signin  full sign-in round trips in fresh browsers for SECONDS after WARMUP seconds
#   codes   COUNT codes (code + PKCE) issued first, then redeemed concurrently at /oauth/token
# Each alternates ROUNDS measured runs with an in-process baseline of the cryptography the flow
# cannot avoid (measured by the driver between the runs), and prints the rates, p50/p95/p99
# latency, errors (must be 0), the best of each and the ratio.
#
#   tests/DynReg.Middleware.Benchmarks/wrk/run-signin.sh
#   RUN_SECONDS=20 WARMUP=5 CONCURRENCY=16 COUNT=20000 ROUNDS=2 tests/DynReg.Middleware.Benchmarks/wrk/run-signin.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

RUN_SECONDS=${RUN_SECONDS:-20}
WARMUP=${WARMUP:-5}
CONCURRENCY=${CONCURRENCY:-16}
COUNT=${COUNT:-20000}
ROUNDS=${ROUNDS:-2}

# shellcheck source=lib.sh
. tests/DynReg.Middleware.Benchmarks/wrk/lib.sh

build_driver

sample_port=$(free_port)
start sample "$sample_dll" "$sample_port"
wait_ready sample "http://127.0.0.1:$sample_port/" "${pids[0]}"
url="http://127.0.0.1:$sample_port"

status=0
echo "== signin --seconds $RUN_SECONDS --warmup $WARMUP --concurrency $CONCURRENCY --rounds $ROUNDS"
dotnet "$driver_dll" signin --url "$url" --server-pid "${pids[0]}" --seconds "$RUN_SECONDS" --warmup "$WARMUP" --concurrency "$CONCURRENCY" --rounds "$ROUNDS" || status=1
echo
echo "== codes --count $COUNT --concurrency $CONCURRENCY --rounds $ROUNDS"
dotnet "$driver_dll" codes --url "$url" --server-pid "${pids[0]}" --count "$COUNT" --concurrency "$CONCURRENCY" --rounds "$ROUNDS" || status=1

if [ "$status" -ne 0 ]; then
  echo "the driver reported errors; the sample's log:" >&2
  tail -n 50 "$work/sample.log" >&2
fi
exit "$status"
