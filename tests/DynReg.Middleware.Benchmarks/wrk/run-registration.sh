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

if ! command -v wrk >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sample_project=samples/DynReg.Sample/DynReg.Sample.csproj
baseline_project=tests/DynReg.Middleware.Benchmarks.Baseline/DynReg.Middleware.Benchmarks.Baseline.csproj
echo "building the sample and the baseline (Release)"
dotnet build "$sample_project" -c Release -nologo -v q >/dev/null
dotnet build "$baseline_project" -c Release -nologo -v q >/dev/null
sample_dll=$(dotnet msbuild "$sample_project" -p:Configuration=Release -getProperty:TargetPath)
baseline_dll=$(dotnet msbuild "$baseline_project" -p:Configuration=Release -getProperty:TargetPath)

# A port nobody listens on (checked, not reserved: good enough on a test machine).
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

# start NAME DLL PORT [ARGS...]: runs the app in the background from its own temp content
# root (the sample's development signing key lands there), logging at Warning.
start() {
  local name=$1 dll=$2 port=$3
  shift 3
  mkdir -p "$work/$name"
  dotnet "$dll" --urls "http://127.0.0.1:$port" --environment Development --contentRoot "$work/$name" \
    --Logging:LogLevel:Default=Warning "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
}

wait_ready() {
  local name=$1 url=$2 pid=$3
  for _ in $(seq 300); do
    if curl -fs -o /dev/null "$url"; then
      return
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name did not answer at $url; its log:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

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
start sample "$sample_dll" "$sample_port" --DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true
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

# Per run: requests/s, wrk's non-2xx/3xx count, the Lua script's non-201 count, socket errors.
summarise() {
  awk '
    /^Requests\/sec:/              { rps = $2 }
    /Non-2xx or 3xx responses:/    { non2xx = $NF }
    /^non-201 responses:/          { non201 = $3 }
    /Socket errors:/               { sub(/^ *Socket errors: */, ""); errors = $0 }
    END { printf "%s %d %d %s\n", rps, non2xx, non201, (errors == "" ? "none" : errors) }' "$1"
}

for round in $(seq "$ROUNDS"); do
  for name in sample baseline; do
    url=$sample_url; [ "$name" = baseline ] && url=$baseline_url
    echo "== round $round: $name, wrk -t$THREADS -c$CONNECTIONS -d$DURATION POST $url"
    load "$DURATION" "$url" | tee "$work/$name.$round.txt"
  done
done

best() {
  local name=$1 line best_rps=0 non2xx=0 non201=0 runs="" rps n2 n201 errors
  for round in $(seq "$ROUNDS"); do
    line=$(summarise "$work/$name.$round.txt")
    read -r rps n2 n201 errors <<<"$line"
    runs="$runs $rps"
    non2xx=$((non2xx + n2)); non201=$((non201 + n201))
    if awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then best_rps=$rps; fi
    [ "$errors" != none ] && echo "$name round $round socket errors: $errors" >&2
  done
  echo "$best_rps $non2xx $non201 $runs"
}

read -r sample_rps sample_non2xx sample_non201 sample_runs <<<"$(best sample)"
read -r baseline_rps baseline_non2xx baseline_non201 baseline_runs <<<"$(best baseline)"
ratio=$(awk -v s="$sample_rps" -v b="$baseline_rps" 'BEGIN { printf "%.1f", (b > 0 ? 100 * s / b : 0) }')

echo
echo "== summary (best of $ROUNDS x $DURATION, wrk -t$THREADS -c$CONNECTIONS, $(nproc) cores)"
echo "registration (sample POST /oidc/register): $sample_rps req/s  [runs:$sample_runs]  non-2xx: $sample_non2xx  non-201: $sample_non201"
echo "baseline     (POST /register):             $baseline_rps req/s  [runs:$baseline_runs]  non-2xx: $baseline_non2xx  non-201: $baseline_non201"
echo "ratio registration/baseline: $ratio% (target >= 50%, zero non-2xx)"

# Refusals under load mean the figures measure the wrong thing.
if [ $((sample_non2xx + sample_non201 + baseline_non2xx + baseline_non201)) -ne 0 ]; then
  echo "some answers were not 201 Created" >&2
  exit 1
fi
