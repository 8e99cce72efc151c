#!/usr/bin/env bash
# Load test of POST /oidc/register: the sample app (DynReg.Middleware, in-memory stores)
# against the baseline web app (tests/DynReg.Middleware.Benchmarks.Baseline), both in
# Release on 127.0.0.1, with wrk and the same seed request. Alternates sample and baseline
# ROUNDS times and reports the best requests/s of each, the ratio, and non-201 answers.
#
#   tests/DynReg.Middleware.Benchmarks/wrk/run-registration.sh
#   DURATION=20s ROUNDS=2 THREADS=2 CONNECTIONS=32 tests/DynReg.Middleware.Benchmarks/wrk/run-registration.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
LUA=tests/DynReg.Middleware.Benchmarks/wrk/post.lua
SEED='{"client_name":"My Dynamic Client","redirect_uris":["https://application.example.com/callback"]}'

# shellcheck source=lib.sh
. tests/DynReg.Middleware.Benchmarks/wrk/lib.sh
build_apps

# One request first: a load test of refusals would measure nothing.
check_201() {
  local name=$1 url=$2 status
  status=$(curl -s -o "$work/$name.first" -w '%{http_code}' -H 'Content-Type: application/json' -d "$SEED" "$url")
  if [ "$status" != 201 ]; then
    echo "$name answered $status instead of 201:" >&2
    cat "$work/$name.first" >&2
    exit 1
  fi
}

sample_port=$(free_port)
start sample "$sample_dll" "$sample_port" --DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true "${no_registration_limits[@]}"
baseline_port=$(free_port)
while [ "$baseline_port" = "$sample_port" ]; do baseline_port=$(free_port); done
start baseline "$baseline_dll" "$baseline_port"

sample_url="http://127.0.0.1:$sample_port/oidc/register"
baseline_url="http://127.0.0.1:$baseline_port/register"
wait_ready sample "http://127.0.0.1:$sample_port/" "${pids[0]}"
wait_ready baseline "http://127.0.0.1:$baseline_port/" "${pids[1]}"
check_201 sample "$sample_url"
check_201 baseline "$baseline_url"

load() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" -s "$LUA" "$2"
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

read -r sample_rps sample_non2xx sample_non201 sample_runs <<<"$(best sample)"
read -r baseline_rps baseline_non2xx baseline_non201 baseline_runs <<<"$(best baseline)"

echo
echo "== summary (best of $ROUNDS x $DURATION, wrk -t$THREADS -c$CONNECTIONS, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "registration (sample POST /oidc/register): $sample_rps req/s  [runs:$sample_runs]  non-2xx: $sample_non2xx  non-201: $sample_non201"
echo "baseline     (POST /register):             $baseline_rps req/s  [runs:$baseline_runs]  non-2xx: $baseline_non2xx  non-201: $baseline_non201"
echo "ratio registration/baseline: $(ratio "$sample_rps" "$baseline_rps")% (target >= 50%, zero non-2xx)"
read -r sample_cpu sample_cpu_runs <<<"$(least_cpu sample)"
read -r baseline_cpu baseline_cpu_runs <<<"$(least_cpu baseline)"
echo "server CPU ms per registration (least of the rounds): sample $sample_cpu [$sample_cpu_runs], baseline $baseline_cpu [$baseline_cpu_runs]; baseline/sample $(ratio "$baseline_cpu" "$sample_cpu")%"

# Refusals under load mean the figures measure the wrong thing.
if [ $((sample_non2xx + sample_non201 + baseline_non2xx + baseline_non201)) -ne 0 ]; then
  echo "some answers were not 201 Created" >&2
  exit 1
fi
