#!/usr/bin/env bash
# Installs the MCP TypeScript SDK packages the MCP client tests drive (McpTypeScriptSdkTests.cs),
# each pinned exactly, from the npm registry into a cache outside the repository:
#   ${DYNREG_MCP_CLIENT:-${XDG_CACHE_HOME:-$HOME/.cache}/dynreg-mcp-client}/<package>@<version>/node_modules
# A package already installed at its version is skipped. Needs node and npm.
# usage: install.sh [package@version...]   (default: every package the tests use)
set -euo pipefail

cache="${DYNREG_MCP_CLIENT:-${XDG_CACHE_HOME:-$HOME/.cache}/dynreg-mcp-client}"
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(@modelcontextprotocol/sdk@1.32.2 @modelcontextprotocol/client@2.4.0)
npm_install=(npm install --no-audit --no-fund --no-update-notifier --loglevel=error --ignore-scripts --save-exact)

for spec in "${packages[@]}"; do
  name="${spec%@*}"
  version="${spec##*@}"
  dir="$cache/$spec"
  installed=$(node -e 'try { console.log(require(process.argv[1]).version) } catch { }' "$dir/node_modules/$name/package.json")
  if [ "$installed" = "$version" ]; then
    echo "$spec: cached"
    continue
  fi

  started=$SECONDS
  rm -rf "$dir" && mkdir -p "$dir"
  "${npm_install[@]}" --prefix "$dir" "$spec" >/dev/null
  echo "$spec: installed in $((SECONDS - started)) s"
done
