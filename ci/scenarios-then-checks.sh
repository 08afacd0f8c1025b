#!/usr/bin/env bash
# scenarios_then_checks LEFTOVER_CHECK SUMMARY SCENARIO_COMMAND...
# Runs the scenarios, then the leftover check and the summary whatever the scenarios
# did (a failed run is when leftovers matter most). Returns the scenarios' exit code
# if they failed, else the leftover check's, else the summary's (it fails on a
# scenario that passed only on a retry, under CI).
scenarios_then_checks() {
  local leftover_check=$1 summary=$2
  shift 2
  "$@"
  local scenarios=$?
  echo "[swarmnet] == leftovers" >&2
  bash -c "$leftover_check"
  local leftovers=$?
  bash -c "$summary"
  local summary_rc=$?
  if [ "$scenarios" -ne 0 ]; then return "$scenarios"; fi
  if [ "$leftovers" -ne 0 ]; then return "$leftovers"; fi
  return "$summary_rc"
}
