#!/usr/bin/env bash
# Make a Docker engine reachable for swarmnet, installing one only where we may.
# Idempotent: does nothing when a daemon already answers `docker version`.
set -euo pipefail

log() { printf '[swarmnet] %s\n' "$*" >&2; }

if docker version >/dev/null 2>&1; then
  exit 0
fi

is_debian_like() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }

if [ "$(id -u)" != 0 ] || ! is_debian_like; then
  log "No Docker daemon answers on ${DOCKER_HOST:-unix:///var/run/docker.sock}."
  log "Start one (e.g. 'sudo systemctl start docker'), or set DOCKER_HOST, then run again."
  log "As root on Debian/Ubuntu this script installs and starts docker.io itself."
  exit 1
fi

start=$(date +%s)
if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  log "installing docker.io, iptables and debootstrap from the distribution (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io iptables debootstrap ca-certificates >/dev/null
fi

log "starting dockerd (log: /var/log/swarmnet-dockerd.log)..."
# setsid: the daemon must outlive the npm/CI process group that started it.
setsid dockerd --host unix:///var/run/docker.sock >/var/log/swarmnet-dockerd.log 2>&1 < /dev/null &

for _ in $(seq 1 150); do
  if docker version >/dev/null 2>&1; then
    log "docker daemon ready ($(docker version --format '{{.Server.Version}}')) after $(( $(date +%s) - start ))s"
    exit 0
  fi
  sleep 0.2
done
log "dockerd did not answer within 30s; last lines of /var/log/swarmnet-dockerd.log:"
tail -n 20 /var/log/swarmnet-dockerd.log >&2
exit 1
