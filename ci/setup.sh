#!/usr/bin/env bash
# Shared set-up for the npm entry points: dependencies installed, a Docker engine up.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[swarmnet] installing npm dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
bash ci/ensure-docker.sh
bash ci/ensure-uml.sh
