#!/usr/bin/env bash
# Everything CI checks: types, lint (formatting and layering included), unit tests,
# then the scenario suite with reports, the leftover check and the summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
source ci/scenarios-then-checks.sh
bash ci/setup.sh || exit $?
step() { echo "[swarmnet] == $1" >&2; }
step "typecheck"; npm run --silent typecheck || exit $?
step "lint"; npm run --silent lint || exit $?
step "unit tests"; npm run --silent test:unit || exit $?
step "scenarios (cucumber, profile ci: reports/)"
scenarios_then_checks "bash ci/check-no-leftovers.sh" "node_modules/.bin/tsx scripts/summary.ts" node_modules/.bin/tsx scripts/suite.ts --profile ci "$@"
