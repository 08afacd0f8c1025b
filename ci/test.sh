#!/usr/bin/env bash
# Everything CI checks: types, lint, unit tests, then the scenario suite with reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
step() { echo "[swarmnet] == $1" >&2; }
step "typecheck"; npm run --silent typecheck
step "lint"; npm run --silent lint
step "unit tests"; npm run --silent test:unit
step "scenarios (cucumber, profile ci: reports/)"; npx cucumber-js --profile ci "$@"
step "leftovers"; bash ci/check-no-leftovers.sh
npx tsx scripts/summary.ts
