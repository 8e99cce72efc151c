# Shared by the run-*.sh load tests: source it from the repository root after setting
# DURATION, WARMUP, ROUNDS, THREADS and CONNECTIONS. Starts apps on 127.0.0.1 only and stops
# only the processes it started.

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

# Registration load from one address measures throughput, not the abuse limits (on by default):
# pass these to `start` to turn them off.
no_registration_limits=(--DynReg:Registration:Limits:PermitsPerIpPerMinute=0
  --DynReg:Registration:Limits:TenantPermitsPerSecond=0 --DynReg:Registration:Limits:MaxDynamicClients=0)

sample_project=samples/DynReg.Sample/DynReg.Sample.csproj
baseline_project=tests/DynReg.Middleware.Benchmarks.Baseline/DynReg.Middleware.Benchmarks.Baseline.csproj

# Builds the sample and the baseline in Release; sets sample_dll and baseline_dll.
build_apps() {
  echo "building the sample and the baseline (Release)"
  dotnet build "$sample_project" -c Release -nologo -v q >/dev/null
  dotnet build "$baseline_project" -c Release -nologo -v q >/dev/null
  sample_dll=$(dotnet msbuild "$sample_project" -p:Configuration=Release -getProperty:TargetPath)
  baseline_dll=$(dotnet msbuild "$baseline_project" -p:Configuration=Release -getProperty:TargetPath)
}

# Builds the sample and the benchmark project's load driver in Release; sets sample_dll and driver_dll.
build_driver() {
  local driver_project=tests/DynReg.Middleware.Benchmarks/DynReg.Middleware.Benchmarks.csproj
  echo "building the sample and the load driver (Release)"
  dotnet build "$sample_project" -c Release -nologo -v q >/dev/null
  dotnet build "$driver_project" -c Release -nologo -v q >/dev/null
  sample_dll=$(dotnet msbuild "$sample_project" -p:Configuration=Release -getProperty:TargetPath)
  driver_dll=$(dotnet msbuild "$driver_project" -p:Configuration=Release -getProperty:TargetPath)
}

# A port nobody listens on (checked, not reserved: good enough on a test machine), 5 digits.
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
# root (the sample's development signing key and SQLite file land there, beside a copy of its
# appsettings files), logging at Warning.
start() {
  local name=$1 dll=$2 port=$3
  shift 3
  mkdir -p "$work/$name"
  # The app's settings (the sample's Development users among them) are read from the content root.
  cp "$(dirname "$dll")"/appsettings*.json "$work/$name/" 2>/dev/null || true
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

# cpu_ms PID: the process's processor time so far (user + system), in milliseconds.
clock_ticks=$(getconf CLK_TCK)
cpu_ms() {
  sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$clock_ticks" '{ printf "%d\n", ($12 + $13) * 1000 / hz }'
}

# measure NAME ROUND URL PID: one load run (the script's `load DURATION URL`) into
# $work/NAME.ROUND.txt, and the server's CPU milliseconds per request into $work/NAME.ROUND.cpu.
measure() {
  local name=$1 round=$2 url=$3 pid=$4 before after requests
  before=$(cpu_ms "$pid")
  load "$DURATION" "$url" | tee "$work/$name.$round.txt"
  after=$(cpu_ms "$pid")
  requests=$(awk '/ requests in / { print $1 }' "$work/$name.$round.txt")
  awk -v c=$((after - before)) -v n="${requests:-0}" 'BEGIN { printf "%.3f\n", (n > 0 ? c / n : 0) }' >"$work/$name.$round.cpu"
  echo "server CPU: $((after - before)) ms for ${requests:-0} requests, $(cat "$work/$name.$round.cpu") ms per request"
}

# least_cpu NAME: the least CPU ms per request over the rounds, then each round's.
least_cpu() {
  local name=$1 all=""
  for round in $(seq "$ROUNDS"); do
    all="$all $(cat "$work/$name.$round.cpu")"
  done
  echo "$(printf '%s\n' $all | sort -g | head -1)$all"
}

# Per run: requests/s, wrk's non-2xx/3xx count, the Lua script's unexpected-status count, socket errors.
summarise() {
  awk '
    /^Requests\/sec:/              { rps = $2 }
    /Non-2xx or 3xx responses:/    { non2xx = $NF }
    /^non-[0-9]+ responses:/       { unexpected = $3 }
    /Socket errors:/               { sub(/^ *Socket errors: */, ""); errors = $0 }
    END { printf "%s %d %d %s\n", rps, non2xx, unexpected, (errors == "" ? "none" : errors) }' "$1"
}

# best NAME: "best_rps non2xx unexpected runs..." over the ROUNDS files $work/NAME.ROUND.txt.
best() {
  local name=$1 line best_rps=0 non2xx=0 unexpected=0 runs="" rps n2 nu errors
  for round in $(seq "$ROUNDS"); do
    line=$(summarise "$work/$name.$round.txt")
    read -r rps n2 nu errors <<<"$line"
    runs="$runs $rps"
    non2xx=$((non2xx + n2)); unexpected=$((unexpected + nu))
    if awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then best_rps=$rps; fi
    [ "$errors" != none ] && echo "$name round $round socket errors: $errors" >&2
  done
  echo "$best_rps $non2xx $unexpected $runs"
}

# ratio A B: 100 * A / B with one decimal.
ratio() {
  awk -v s="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? 100 * s / b : 0) }'
}
