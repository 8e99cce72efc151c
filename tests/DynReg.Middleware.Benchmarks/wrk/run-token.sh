#!/usr/bin/env bash
# Load test of POST /oauth/token with grant_type=client_credentials: the sample app's
# Development management client (sample-management-client) asking for a Management API token,
# against the baseline web app's POST /token, which only signs an RS256 JWT with the same
# claims (tests/DynReg.Middleware.Benchmarks.Baseline/BaselineToken.cs). Both in Release on
# 127.0.0.1, the same form body (client_secret_post, audience {issuer}api/v2/, the full scope),
# alternated ROUNDS times; reports the best requests/s of each, the ratio and non-200 answers.
#
#   tests/DynReg.Middleware.Benchmarks/wrk/run-token.sh
#   DURATION=20s ROUNDS=2 THREADS=2 CONNECTIONS=32 tests/DynReg.Middleware.Benchmarks/wrk/run-token.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
LUA=tests/DynReg.Middleware.Benchmarks/wrk/token.lua
# The sample's Development-only management client (samples/DynReg.Sample/Program.cs).
CLIENT_ID=sample-management-client
CLIENT_SECRET=sample-management-secret-change-me

# shellcheck source=lib.sh
. tests/DynReg.Middleware.Benchmarks/wrk/lib.sh
build_apps

sample_port=$(free_port)
start sample "$sample_dll" "$sample_port"
baseline_port=$(free_port)
while [ "$baseline_port" = "$sample_port" ]; do baseline_port=$(free_port); done
start baseline "$baseline_dll" "$baseline_port"

sample_url="http://127.0.0.1:$sample_port/oauth/token"
baseline_url="http://127.0.0.1:$baseline_port/token"
wait_ready sample "http://127.0.0.1:$sample_port/" "${pids[0]}"
wait_ready baseline "http://127.0.0.1:$baseline_port/" "${pids[1]}"

# The Management API's audience on this port; then the scope the client is granted, taken
# from one answer of the sample, so both servers sign a token with the same claims.
audience="http://127.0.0.1:$sample_port/api/v2/"
form="grant_type=client_credentials&client_id=$CLIENT_ID&client_secret=$CLIENT_SECRET&audience=$(printf %s "$audience" | sed 's/:/%3A/g; s#/#%2F#g')"
status=$(curl -s -o "$work/first" -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' -d "$form" "$sample_url")
if [ "$status" != 200 ]; then
  echo "the sample answered $status instead of 200:" >&2
  cat "$work/first" >&2
  exit 1
fi
scope=$(grep -o '"scope":"[^"]*"' "$work/first" | cut -d'"' -f4)
[ -n "$scope" ] || { echo "no scope in the sample's answer: $(cat "$work/first")" >&2; exit 1; }
body="$form&scope=$(printf %s "$scope" | sed 's/:/%3A/g; s/ /%20/g')"

# One request to each with the load test's body: a load test of refusals would measure nothing.
for name in sample baseline; do
  url=$sample_url; [ "$name" = baseline ] && url=$baseline_url
  status=$(curl -s -o "$work/$name.first" -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' -d "$body" "$url")
  if [ "$status" != 200 ]; then
    echo "$name answered $status instead of 200:" >&2
    cat "$work/$name.first" >&2
    exit 1
  fi
  # The JWT's payload length, to show both sign tokens of the same size.
  token=$(grep -o '"access_token":"[^"]*"' "$work/$name.first" | cut -d'"' -f4)
  echo "$name: access token of ${#token} characters (payload segment $(printf %s "$token" | cut -d. -f2 | wc -c) bytes)"
done

load() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" -s "$LUA" "$2" -- "$body"
}

echo "warming up both for $WARMUP"
load "$WARMUP" "$sample_url" >/dev/null
load "$WARMUP" "$baseline_url" >/dev/null

for round in $(seq "$ROUNDS"); do
  for name in sample baseline; do
    url=$sample_url; [ "$name" = baseline ] && url=$baseline_url
    pid=${pids[0]}; [ "$name" = baseline ] && pid=${pids[1]}
    echo "== round $round: $name, wrk -t$THREADS -c$CONNECTIONS -d$DURATION POST $url"
    measure "$name" "$round" "$url" "$pid"
  done
done

read -r sample_rps sample_non2xx sample_non200 sample_runs <<<"$(best sample)"
read -r baseline_rps baseline_non2xx baseline_non200 baseline_runs <<<"$(best baseline)"

echo
echo "== summary (best of $ROUNDS x $DURATION, wrk -t$THREADS -c$CONNECTIONS, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "client credentials (sample POST /oauth/token): $sample_rps tokens/s  [runs:$sample_runs]  non-2xx: $sample_non2xx  non-200: $sample_non200"
echo "baseline (POST /token, RS256 signing only):    $baseline_rps tokens/s  [runs:$baseline_runs]  non-2xx: $baseline_non2xx  non-200: $baseline_non200"
echo "ratio client credentials/baseline: $(ratio "$sample_rps" "$baseline_rps")%"
read -r sample_cpu sample_cpu_runs <<<"$(least_cpu sample)"
read -r baseline_cpu baseline_cpu_runs <<<"$(least_cpu baseline)"
echo "server CPU ms per token (least of the rounds): sample $sample_cpu [$sample_cpu_runs], baseline $baseline_cpu [$baseline_cpu_runs]; baseline/sample $(ratio "$baseline_cpu" "$sample_cpu")%"

if [ $((sample_non2xx + sample_non200 + baseline_non2xx + baseline_non200)) -ne 0 ]; then
  echo "some answers were not 200 OK" >&2
  exit 1
fi
