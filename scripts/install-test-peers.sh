#!/usr/bin/env bash
# Installs the real peers that differential tests compare Tidemark with, when they are missing.
# Idempotent: a second run finds them and says so. Debian packages only (see shared/DEPENDENCIES.md):
#   prometheus         Prometheus 2.42 with promtool, for ./tidemark test (the server beside Prometheus) and test-promql-diff
#   victoria-metrics   VictoriaMetrics 1.79 (single node), for ./tidemark bench storage
set -euo pipefail

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-peers: not root and no sudo; install 'prometheus' and 'victoria-metrics' by hand" >&2; exit 1; }
  SUDO=(sudo)
fi

updated=0
ensure_package() { # $1 package, $2 a command it provides
  if command -v "$2" >/dev/null 2>&1; then
    echo "install-test-peers: $1 present ($(command -v "$2"))"
    return 0
  fi
  if [ "$updated" -eq 0 ]; then
    echo "install-test-peers: apt-get update"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    updated=1
  fi
  echo "install-test-peers: installing $1 with apt-get"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
  command -v "$2" >/dev/null 2>&1 || { echo "install-test-peers: $1 installed but '$2' is not on PATH" >&2; exit 1; }
  # Debian's victoria-metrics prints an empty version; the package version says it then.
  local version; version="$("$2" --version 2>&1 | head -n 1)"
  [ -n "$version" ] || version="package $(dpkg-query -W -f '${Version}' "$1" 2>/dev/null)"
  echo "install-test-peers: installed $1 ($version)"
}

ensure_package prometheus prometheus
ensure_package prometheus promtool
ensure_package victoria-metrics victoria-metrics
