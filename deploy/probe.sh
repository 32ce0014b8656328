#!/bin/bash
# The image's health check (Docker HEALTHCHECK): asks this node's own health endpoint,
#
#   bash deploy/probe.sh [live|ready]
#
# GET http://127.0.0.1:$HEALTH_PORT/live (or /ready), healthy on 200. bash's /dev/tcp is the whole
# client: a probe costs ~0.03 CPU-s, where starting Node to ask cost 0.16-0.36 CPU-s and made the
# checks time out on a busy host (docs/deployment.md). Kubernetes asks the same endpoint with
# httpGet. Exit code 0 when healthy, 1 when not; one line on stdout (Docker keeps it).
mode=${1:-live}
case "$mode" in live | ready) ;; *) echo "usage: probe.sh [live|ready]"; exit 2 ;; esac
port=${HEALTH_PORT:?HEALTH_PORT must name the health port of the node}
if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  echo "unhealthy: nothing answers on 127.0.0.1:$port"
  exit 1
fi
printf 'GET /%s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$mode" >&3
if ! IFS= read -r -t 3 status <&3; then
  echo "unhealthy: no answer on 127.0.0.1:$port within 3 s"
  exit 1
fi
body=$(timeout 3 cat <&3 | tail -c 300)
case "$status" in
  "HTTP/1."?" 200 "*) echo "healthy: ${body##*$'\n'}" ;;
  *) echo "unhealthy: ${status%$'\r'} ${body##*$'\n'}"; exit 1 ;;
esac
