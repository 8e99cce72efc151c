#!/usr/bin/env bash
# Load-and-soak test: the sample in Release on Kestrel at 127.0.0.1, driven by wrk with the mix of
# soak.lua (registration, /authorize to the login page, client-credentials tokens, Management API
# reads) for DURATION seconds at CONNECTIONS connections, once on the in-memory stores and once on
# Redis (a redis-server this script starts on a free loopback port, no persistence). Per store it
# checks: no 5xx, resident memory (VmRSS) at the end within 20% of its level after the first minute,
# and as many stored dynamic clients as 201 answers (Management API, and SCARD for Redis).
# Registration runs under the default tenant limit (5 per second) with the per-address limit off:
# wrk's one address stands in for many callers. Exits non-zero when a check fails.
#
#   tests/DynReg.Middleware.Benchmarks/wrk/run-soak.sh
#   DURATION=60 STORES=memory tests/DynReg.Middleware.Benchmarks/wrk/run-soak.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

DURATION=${DURATION:-300}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
STORES=${STORES:-memory redis}
LUA=tests/DynReg.Middleware.Benchmarks/wrk/soak.lua
[ "$DURATION" -ge 120 ] || { echo "DURATION must be at least 120 seconds (memory is compared with its level after 60 s)" >&2; exit 2; }

# shellcheck source=lib.sh
source tests/DynReg.Middleware.Benchmarks/wrk/lib.sh
if ! command -v redis-server >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq redis-server >/dev/null
fi

echo "building the sample (Release)"
dotnet build "$sample_project" -c Release -nologo -v q >/dev/null
sample_dll=$(dotnet msbuild "$sample_project" -p:Configuration=Release -getProperty:TargetPath)

management_id=sample-management-client
management_secret=sample-management-secret-change-me
failed=0

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
json_field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }

# Counts the clients the Management API lists as third-party (dynamically registered), page by page.
count_dynamic() {
  local base=$1 token=$2 page=0 count=0 n body
  while :; do
    body=$(curl -fs "$base/api/v2/clients?per_page=100&page=$page" -H "authorization: Bearer $token")
    n=$(grep -o '"client_id"' <<<"$body" | wc -l)
    count=$((count + $(grep -o '"is_first_party":false' <<<"$body" | wc -l)))
    [ "$n" -lt 100 ] && break
    page=$((page + 1))
  done
  echo "$count"
}

soak() {
  local store=$1 port base pid token connection client_id rss_start rss_end rss_min=0 created stored redis_count=""
  port=$(free_port)
  local args=(--DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true --DynReg:Registration:Limits:PermitsPerIpPerMinute=0)
  [ "$store" = redis ] && args+=(--ConnectionStrings:Redis="127.0.0.1:$redis_port")
  start "soak-$store" "$sample_dll" "$port" "${args[@]}"
  pid=${pids[-1]}
  base="http://127.0.0.1:$port"
  wait_ready "soak-$store" "$base/.well-known/openid-configuration" "$pid"

  # Set-up, as the README walkthrough: a Management API token, the domain connection, one client.
  token=$(curl -fs "$base/oauth/token" -H 'content-type: application/json' \
    -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$management_id\",\"client_secret\":\"$management_secret\",\"audience\":\"$base/api/v2/\"}" | json_field access_token)
  connection=$(curl -fs "$base/api/v2/connections?name=Username-Password-Authentication" -H "authorization: Bearer $token" | json_field id)
  curl -fs -o /dev/null -X PATCH "$base/api/v2/connections/$connection" -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -d '{"is_domain_connection":true}'
  client_id=$(curl -fs "$base/oidc/register" -H 'content-type: application/json' \
    -d '{"client_name":"Soak client","redirect_uris":["https://application.example.com/callback"]}' | json_field client_id)
  curl -fs -o /dev/null "$base/authorize?response_type=code&client_id=$client_id&redirect_uri=https%3A%2F%2Fapplication.example.com%2Fcallback&scope=openid&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"

  echo "== $store: ${DURATION}s, $THREADS threads, $CONNECTIONS connections, server pid $pid"
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$LUA" "$base" \
    -- "$token" "$client_id" "$management_id" "$management_secret" "$base/api/v2/" >"$work/soak-$store.txt" &
  local wrk_pid=$!
  sleep 60
  rss_start=$(rss_kb "$pid")
  echo "VmRSS after 60 s: $rss_start kB"
  local elapsed=60
  while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 30
    elapsed=$((elapsed + 30))
    kill -0 "$pid" 2>/dev/null && echo "VmRSS after $elapsed s: $(rss_kb "$pid") kB"
  done
  wait "$wrk_pid" || { echo "wrk failed" >&2; failed=1; }
  rss_end=$(rss_kb "$pid")
  cat "$work/soak-$store.txt"

  created=$(sed -nE 's/^soak: 201=([0-9]+).*/\1/p' "$work/soak-$store.txt")
  created=$((created + 1))   # the set-up's client
  stored=$(count_dynamic "$base" "$token")
  if [ "$store" = redis ]; then
    local key
    key=$(redis-cli -p "$redis_port" --scan --pattern '*clients:dynamic' | head -1)
    redis_count=$(redis-cli -p "$redis_port" SCARD "$key")
  fi
  local server_errors
  server_errors=$(sed -nE 's/.* 5xx=([0-9]+).*/\1/p' "$work/soak-$store.txt")
  local growth
  growth=$(awk -v a="$rss_start" -v b="$rss_end" 'BEGIN { printf "%.1f", 100 * (b - a) / a }')
  echo "result $store: 201s=$created stored=$stored${redis_count:+ redis-scard=$redis_count} 5xx=$server_errors VmRSS 60s=${rss_start}kB end=${rss_end}kB (${growth}%)"

  [ "$server_errors" = 0 ] || { echo "FAIL $store: $server_errors answers were 5xx" >&2; failed=1; }
  [ "$stored" = "$created" ] || { echo "FAIL $store: $stored stored clients for $created 201 answers" >&2; failed=1; }
  [ -z "$redis_count" ] || [ "$redis_count" = "$created" ] || { echo "FAIL $store: SCARD $redis_count for $created 201 answers" >&2; failed=1; }
  awk -v g="$growth" 'BEGIN { exit !(g <= 20 && g >= -20) }' || { echo "FAIL $store: VmRSS moved ${growth}% after the first minute" >&2; failed=1; }

  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for store in $STORES; do
  if [ "$store" = redis ]; then
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.1; done
  fi
  soak "$store"
done

[ "$failed" = 0 ] && echo "soak: all checks passed" || echo "soak: some checks failed" >&2
exit "$failed"
