#!/usr/bin/env bash
# Runs every test of the repository from a fresh clone: installs what the tests need
# when it is missing, builds, runs all test projects, and ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests need, installed only when missing (root on CI; sudo elsewhere).
# chromium: the browser and Lock tests drive Debian's /usr/bin/chromium (never a downloaded browser).
need_apt_packages=(chromium)
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
trap 'rm -f "$log"' EXIT

# The Lock tests load Auth0's Lock widget bundled from the npm registry with esbuild (node and
# npm come with the machine image). Built once per version into a cache outside the repository
# and reused on later runs (tests/DynReg.Middleware.LockTests/lock-bundles/build.sh).
bash tests/DynReg.Middleware.LockTests/lock-bundles/build.sh

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
dotnet test DynReg.Middleware.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --results-directory TestResults 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One line for humans and CI: the sums over every test assembly.
read -r passed failed skipped < <(awk '
  /^ +Passed: +[0-9]+ *$/  { p += $2 }
  /^ +Failed: +[0-9]+ *$/  { f += $2 }
  /^ +Skipped: +[0-9]+ *$/ { s += $2 }
  END { printf "%d %d %d\n", p, f, s }' "$log")

echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
