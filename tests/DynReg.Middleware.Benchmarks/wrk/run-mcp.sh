#!/usr/bin/env bash
# MCP connect load test: starts the sample in Release on 127.0.0.1 (Development: the management
# client, the demo user, the MCP server at /mcp) with the abuse limits off (one address makes every
# registration and sign-in), then runs the benchmark project's load driver twice, side by side:
#   signin  full sign-in round trips in fresh browsers (the figure of run-signin.sh)
#   mcp     full MCP connects: 401 → RFC 9728 and RFC 8414 metadata → registration → authorize
#           (PKCE, resource) → login → consent → token → tools/call, a new client each time
# Each alternates ROUNDS measured runs with the in-process baseline of the cryptography a sign-in
# cannot avoid (one password hash, two RS256 signatures), and prints rates, latency and the ratio.
#
#   tests/DynReg.Middleware.Benchmarks/wrk/run-mcp.sh
#   RUN_SECONDS=20 WARMUP=5 CONCURRENCY=16 ROUNDS=2 tests/DynReg.Middleware.Benchmarks/wrk/run-mcp.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

RUN_SECONDS=${RUN_SECONDS:-20}
WARMUP=${WARMUP:-5}
CONCURRENCY=${CONCURRENCY:-16}
ROUNDS=${ROUNDS:-2}

# shellcheck source=lib.sh
. tests/DynReg.Middleware.Benchmarks/wrk/lib.sh

build_driver

sample_port=$(free_port)
start sample "$sample_dll" "$sample_port" "${no_registration_limits[@]}" --DynReg:LoginPage:SignInsStartedPerIpPerMinute=0
wait_ready sample "http://127.0.0.1:$sample_port/" "${pids[0]}"
url="http://127.0.0.1:$sample_port"

status=0
for mode in signin mcp; do
  echo "== $mode --seconds $RUN_SECONDS --warmup $WARMUP --concurrency $CONCURRENCY --rounds $ROUNDS"
  dotnet "$driver_dll" "$mode" --url "$url" --server-pid "${pids[0]}" --seconds "$RUN_SECONDS" --warmup "$WARMUP" --concurrency "$CONCURRENCY" --rounds "$ROUNDS" || status=1
  echo
done

if [ "$status" -ne 0 ]; then
  echo "the driver reported errors; the sample's log:" >&2
  tail -n 50 "$work/sample.log" >&2
fi
exit "$status"
