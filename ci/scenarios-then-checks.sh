#!/usr/bin/env bash
# scenarios_then_checks LEFTOVER_CHECK SUMMARY SCENARIO_COMMAND...
# Runs the scenarios, then the leftover check and the summary whatever the scenarios
# did (a failed run is when leftovers matter most). Returns the scenarios' exit code
# if they failed, else the leftover check's.
scenarios_then_checks() {
  local leftover_check=$1 summary=$2
  shift 2
  "$@"
  local scenarios=$?
  echo "[swarmnet] == leftovers" >&2
  bash -c "$leftover_check"
  local leftovers=$?
  bash -c "$summary"
  if [ "$scenarios" -ne 0 ]; then return "$scenarios"; fi
  return "$leftovers"
}
