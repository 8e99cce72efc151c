#!/usr/bin/env bash
# Builds browser bundles of Auth0's Lock widget from the npm registry for the Lock tests
# (LOCK.md §(e) 3), one per version, into a cache outside the repository:
#   ${DYNREG_LOCK_BUNDLES:-${XDG_CACHE_HOME:-$HOME/.cache}/dynreg-lock}/<version>/lock.js
#   .../<version>/en.json   (Lock's English dictionary from the same package)
# A version whose bundle was built by the same scripts is skipped. Needs node and npm.
# usage: build.sh [version...]   (default: every version the tests use)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${DYNREG_LOCK_BUNDLES:-${XDG_CACHE_HOME:-$HOME/.cache}/dynreg-lock}"
esbuild_version="0.28.2"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(10.7.3 10.24.3 11.35.1 12.5.1 14.3.0)

# A change to any of these scripts rebuilds every bundle.
build_id="$(cat "$here"/build.sh "$here"/bundle.mjs "$here"/entry.js "$here"/*-stub.js "$here"/*-shim.js | sha256sum | cut -c1-16)-esbuild-${esbuild_version}"
npm_install=(npm install --no-audit --no-fund --no-update-notifier --loglevel=error)

tools="$cache/tools/esbuild-$esbuild_version"
if [ ! -x "$tools/node_modules/.bin/esbuild" ]; then
  rm -rf "$tools" && mkdir -p "$tools"
  "${npm_install[@]}" --prefix "$tools" "esbuild@$esbuild_version" >/dev/null
fi

for version in "${versions[@]}"; do
  out="$cache/$version"
  if [ -s "$out/lock.js" ] && [ -s "$out/en.json" ] && [ "$(cat "$out/build-id" 2>/dev/null)" = "$build_id" ]; then
    echo "lock $version: cached"
    continue
  fi

  started=$SECONDS
  packages=("auth0-lock@$version")
  shims=no
  case "$version" in
    10.*|11.*) packages+=(util events process); shims=yes ;;
    # 12.x requires Node's "events" without declaring it.
    12.*) packages+=(events) ;;
  esac
  case "$version" in
    # npm resolves React 16 for 10.7.x, which then fails with React error #290.
    10.[0-8].*) packages+=(react@15 react-dom@15 react-addons-css-transition-group@15) ;;
  esac

  work="$cache/work-$version"
  rm -rf "$work" "$out" && mkdir -p "$work"
  # Lock's dependencies need no install scripts.
  "${npm_install[@]}" --prefix "$work" --ignore-scripts --legacy-peer-deps "${packages[@]}" >/dev/null
  node "$here/bundle.mjs" "$tools" "$work" "$out" "$shims"
  echo "$build_id" > "$out/build-id"
  rm -rf "$work"
  echo "lock $version: built in $((SECONDS - started)) s ($(du -k "$out/lock.js" | cut -f1) KiB)"
done
