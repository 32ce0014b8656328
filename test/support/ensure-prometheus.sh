#!/usr/bin/env bash
# Installs Debian's `prometheus` package (the server and promtool) when missing: the metrics test
# (test/integration/prometheus.spec.ts) runs the real server against a test gateway.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# --no-install-recommends: no node exporter; the test starts its own server on a private port.
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
prometheus --version | head -1
