#!/usr/bin/env bash
# The main job: the scenario suite with readable progress. Extra arguments go to
# cucumber-js, e.g. `npm start -- features/tutorial` or `npm start -- --tags @smoke`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
# tsx itself, not npx: npx dies on SIGTERM without passing it on to the suite.
exec node_modules/.bin/tsx scripts/suite.ts "$@"
