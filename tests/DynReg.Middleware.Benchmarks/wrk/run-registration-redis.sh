#!/usr/bin/env bash
# Load test of POST /oidc/register on the sample with the Redis stores beside the same sample
# with the in-memory stores, in one run: both in Release on 127.0.0.1 with wrk and the seed
# request, against a redis-server this script starts (loopback, free port, no persistence).
# Reports the best requests/s of each, the ratio (target: Redis >= 40% of in-memory), and non-201s.
#
#   tests/DynReg.Middleware.Benchmarks/wrk/run-registration-redis.sh
#   DURATION=20s ROUNDS=2 THREADS=2 CONNECTIONS=32 tests/DynReg.Middleware.Benchmarks/wrk/run-registration-redis.sh
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
if ! command -v redis-server >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq redis-server >/dev/null
fi
build_apps

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.1; done

memory_port=$(free_port)
start memory "$sample_dll" "$memory_port" --DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true "${no_registration_limits[@]}"
redis_sample_port=$(free_port)
while [ "$redis_sample_port" = "$memory_port" ] || [ "$redis_sample_port" = "$redis_port" ]; do redis_sample_port=$(free_port); done
start redis "$sample_dll" "$redis_sample_port" --DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true "${no_registration_limits[@]}" \
  --ConnectionStrings:Redis="127.0.0.1:$redis_port"

memory_url="http://127.0.0.1:$memory_port/oidc/register"
redis_url="http://127.0.0.1:$redis_sample_port/oidc/register"
wait_ready memory "http://127.0.0.1:$memory_port/" "${pids[1]}"
wait_ready redis "http://127.0.0.1:$redis_sample_port/" "${pids[2]}"
for url in "$memory_url" "$redis_url"; do
  status=$(curl -s -o "$work/first" -w '%{http_code}' -H 'Content-Type: application/json' -d "$SEED" "$url")
  if [ "$status" != 201 ]; then echo "$url answered $status instead of 201:" >&2; cat "$work/first" >&2; exit 1; fi
done

load() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" -s "$LUA" "$2"
}

echo "warming up both for $WARMUP"
load "$WARMUP" "$memory_url" >/dev/null
load "$WARMUP" "$redis_url" >/dev/null

for round in $(seq "$ROUNDS"); do
  for name in memory redis; do
    url=$memory_url; pid=${pids[1]}
    if [ "$name" = redis ]; then url=$redis_url; pid=${pids[2]}; fi
    echo "== round $round: $name, wrk -t$THREADS -c$CONNECTIONS -d$DURATION POST $url"
    measure "$name" "$round" "$url" "$pid"
  done
done

read -r memory_rps memory_non2xx memory_non201 memory_runs <<<"$(best memory)"
read -r redis_rps redis_non2xx redis_non201 redis_runs <<<"$(best redis)"
stored=$(redis-cli -p "$redis_port" --scan --pattern 'dynreg:clients:record:*' | wc -l)

echo
echo "== summary (best of $ROUNDS x $DURATION, wrk -t$THREADS -c$CONNECTIONS, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "in-memory stores: $memory_rps req/s  [runs:$memory_runs]  non-2xx: $memory_non2xx  non-201: $memory_non201"
echo "Redis stores:     $redis_rps req/s  [runs:$redis_runs]  non-2xx: $redis_non2xx  non-201: $redis_non201"
echo "ratio Redis/in-memory: $(ratio "$redis_rps" "$memory_rps")% (target >= 40%, zero non-2xx)"
echo "client keys in Redis after the run: $stored"

if [ $((memory_non2xx + memory_non201 + redis_non2xx + redis_non201)) -ne 0 ]; then
  echo "some answers were not 201 Created" >&2
  exit 1
fi
