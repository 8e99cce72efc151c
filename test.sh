#!/usr/bin/env bash
# Runs every test of the repository from a fresh clone: installs what the tests need
# when it is missing, builds, runs all test projects, and ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests need, installed only when missing (root on CI; sudo elsewhere).
# chromium: the browser and Lock tests drive Debian's /usr/bin/chromium (never a downloaded browser).
# redis-server: the Redis store tests run against a real server this script starts below.
# postgresql: so do the EF Core store tests, against a PostgreSQL server of this script's own.
need_apt_packages=(chromium redis-server postgresql)
if [ ${#need_apt_packages[@]} -gt 0 ]; then
  missing=()
  for pkg in "${need_apt_packages[@]}"; do
    # "install ok installed", not merely known to dpkg (a removed package keeps its config).
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log=$(mktemp)
redis_pid=""
postgres_pid=""
postgres_dir=""
cleanup() {
  # Only the redis-server and postgres this script started, by their process ids.
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  if [ -n "$postgres_pid" ]; then
    kill -INT "$postgres_pid" 2>/dev/null || true  # SIGINT: PostgreSQL's fast shutdown
    for _ in $(seq 1 100); do kill -0 "$postgres_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "$postgres_dir" ]; then rm -rf "$postgres_dir"; fi
  rm -f "$log"
}
trap cleanup EXIT

# A redis-server of our own for DynReg.Middleware.Redis.Tests: loopback only, a free port, nothing
# written to disk. The tests find it through DYNREG_TEST_REDIS.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
  redis_port=$(( 20000 + RANDOM % 10000 ))  # below the ephemeral range (32768-): no outgoing connection holds it
  port_in_use "$redis_port" && continue
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do
    port_in_use "$redis_port" && break
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$redis_pid" 2>/dev/null && port_in_use "$redis_port"; then break; fi
  kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; redis_pid=""
done
if [ -z "$redis_pid" ]; then echo "could not start redis-server for the Redis tests" >&2; exit 1; fi
export DYNREG_TEST_REDIS="127.0.0.1:${redis_port}"
echo "redis-server for the tests: ${DYNREG_TEST_REDIS} (pid ${redis_pid})"

# A PostgreSQL server of our own for DynReg.Middleware.EntityFrameworkCore.Tests: a fresh cluster in a
# temporary folder, loopback only, a free port below the ephemeral range, no fsync (the tests need no
# durability across a power cut). PostgreSQL refuses to run as root, so it runs as nobody. The tests
# find it through DYNREG_TEST_POSTGRES (a connection string); each test makes a database of its own.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then echo "PostgreSQL's initdb not found under /usr/lib/postgresql/*/bin" >&2; exit 1; fi
pg_user=nobody; [ "$(id -u)" -ne 0 ] && pg_user=$(id -un)
as_pg_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$pg_user" -- "$@"; else "$@"; fi; }
postgres_dir=$(mktemp -d /tmp/dynreg-test-postgres.XXXXXX)
chmod 700 "$postgres_dir"; [ "$(id -u)" -eq 0 ] && chown "$pg_user" "$postgres_dir"
as_pg_user "$pg_bin/initdb" -D "$postgres_dir/data" -U postgres -A trust --no-sync >/dev/null
for attempt in 1 2 3 4 5; do
  postgres_port=$(( 20000 + RANDOM % 10000 ))
  port_in_use "$postgres_port" && continue
  as_pg_user "$pg_bin/postgres" -D "$postgres_dir/data" -p "$postgres_port" -h 127.0.0.1 -k "$postgres_dir" \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 >"$postgres_dir/log" 2>&1 &
  postgres_pid=$!
  for _ in $(seq 1 150); do
    port_in_use "$postgres_port" && break
    kill -0 "$postgres_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$postgres_pid" 2>/dev/null && port_in_use "$postgres_port"; then
    # The server's own pid (runuser's child), the one to signal at exit.
    postgres_pid=$(head -n 1 "$postgres_dir/data/postmaster.pid")
    break
  fi
  kill -INT "$postgres_pid" 2>/dev/null || true; wait "$postgres_pid" 2>/dev/null || true; postgres_pid=""
done
if [ -z "$postgres_pid" ]; then echo "could not start postgres for the EF Core tests" >&2; cat "$postgres_dir/log" >&2 || true; exit 1; fi
export DYNREG_TEST_POSTGRES="Host=127.0.0.1;Port=${postgres_port};Username=postgres;Database=postgres"
echo "postgres for the tests: 127.0.0.1:${postgres_port} (pid ${postgres_pid})"

# The Lock tests load Auth0's Lock widget bundled from the npm registry with esbuild (node and
# npm come with the machine image). Built once per version into a cache outside the repository
# and reused on later runs (tests/DynReg.Middleware.LockTests/lock-bundles/build.sh).
bash tests/DynReg.Middleware.LockTests/lock-bundles/build.sh
# The MCP client tests drive the MCP TypeScript SDK's own client, the packages pinned and
# installed the same way (tests/DynReg.Middleware.SampleTests/mcp-client/install.sh).
bash tests/DynReg.Middleware.SampleTests/mcp-client/install.sh

dotnet build DynReg.Middleware.sln -c Release -nologo -v q

# The NuGet packages: every project under src/ packed (from the build above) into
# artifacts/packages, with a version of this run's own so that no restore can take an older
# package of the same version from the NuGet cache. Then the minimal host that references the
# packed package, not the project, is restored and built (tests/DynReg.Middleware.PackageTests
# checks the package and runs that host). Local versions older than a day leave the cache.
rm -rf artifacts/packages
version_suffix="local.$(date -u +%Y%m%d%H%M%S).$$"
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release --no-build -o artifacts/packages --version-suffix "$version_suffix" -nologo -v q
done
packed=(artifacts/packages/DynReg.Middleware.[0-9]*.nupkg)
packed_version=${packed[0]#artifacts/packages/DynReg.Middleware.}
packed_version=${packed_version%.nupkg}
dotnet build tests/DynReg.Middleware.PackageTests/PackedHost -c Release -nologo -v q -p:DynRegPackageVersion="$packed_version"
nuget_cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
find "$nuget_cache" -maxdepth 2 -path "$nuget_cache/dynreg.middleware*/*-local.*" -mtime +1 -exec rm -rf {} + 2>/dev/null || true
set +e
mkdir -p TestResults && rm -f TestResults/*.trx
dotnet test DynReg.Middleware.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger trx --results-directory TestResults 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One line for humans and CI: the sums over every test assembly.
read -r passed failed skipped < <(awk '
  /^ +Passed: +[0-9]+ *$/  { p += $2 }
  /^ +Failed: +[0-9]+ *$/  { f += $2 }
  /^ +Skipped: +[0-9]+ *$/ { s += $2 }
  END { printf "%d %d %d\n", p, f, s }' "$log")

# The Redis tests must have run, against the server above, and none may have been skipped.
redis_ok=1
redis_trx=$(grep -il 'dynreg\.middleware\.redis\.tests\.dll' TestResults/*.trx 2>/dev/null | head -n 1 || true)
if [ -n "$redis_trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$redis_trx")
  redis_passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  redis_not_run=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  echo "Redis store tests against ${DYNREG_TEST_REDIS}: ${redis_passed:-0} passed, ${redis_not_run:-0} not run"
  if [ "${redis_passed:-0}" -eq 0 ] || [ "${redis_not_run:-0}" -ne 0 ]; then redis_ok=0; fi
else
  redis_ok=0
fi

# The same for the EF Core store tests, which include the PostgreSQL ones.
ef_ok=1
ef_trx=$(grep -il 'dynreg\.middleware\.entityframeworkcore\.tests\.dll' TestResults/*.trx 2>/dev/null | head -n 1 || true)
if [ -n "$ef_trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$ef_trx")
  ef_passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  ef_not_run=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  echo "EF Core store tests (SQLite and PostgreSQL on port ${postgres_port}): ${ef_passed:-0} passed, ${ef_not_run:-0} not run"
  if [ "${ef_passed:-0}" -eq 0 ] || [ "${ef_not_run:-0}" -ne 0 ]; then ef_ok=0; fi
else
  ef_ok=0
fi

echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
if [ "$redis_ok" -ne 1 ]; then echo "the Redis store tests were skipped or did not run" >&2; exit 1; fi
if [ "$ef_ok" -ne 1 ]; then echo "the EF Core (SQLite and PostgreSQL) store tests were skipped or did not run" >&2; exit 1; fi
