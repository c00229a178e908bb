#!/usr/bin/env bash
# Prints the caseload and enrolment summary from a running registry.
set -euo pipefail
: "${IPSCTL:?set IPSCTL to the ipsctl binary}"
echo
echo "== IPS Sydhavnen: caseloads =="
"$IPSCTL" consultant list
echo
echo "== Enrolments =="
enrollments=$("$IPSCTL" enrollment list citizens/- --page-size 1000 --json)
citizens=$("$IPSCTL" citizen list --page-size 1000 --json)
jq -r --argjson citizens "$citizens" '
  (.enrollments // []) as $e
  | ($e | map(select(.state == "ENROLLMENT_STATE_ACTIVE")) | length) as $active
  | ($e | map(select(.state == "ENROLLMENT_STATE_ENDED")) | length) as $ended
  | ($citizens.citizens // [] | length) as $registered
  | ([$e[].conversation_statistics.due // 0] | add // 0) as $due
  | ([$e[].conversation_statistics.met_on_time // 0] | add // 0) as $met
  | ([$e[].conversation_statistics.held // 0] | add // 0) as $held
  | ([$e[].conversation_statistics.no_shows // 0] | add // 0) as $noshow
  | "citizens registered:          \($registered)",
    "enrolments active / ended:    \($active) / \($ended)",
    "not enrolled (entry rules):   \($registered - ($e | map(.name | split("/")[1]) | unique | length))",
    "eligibility overrides:        \($e | map(select(.decision.overridden == true)) | length)",
    "job conversations on time:    \($met) of \($due) due" + (if $due > 0 then " = \(($met * 100 / $due) | floor)%" else "" end),
    "attendance:                   \($held) held, \($noshow) no-shows" + (if ($held + $noshow) > 0 then " = \(($held * 100 / ($held + $noshow)) | floor)%" else "" end),
    "",
    "course outcomes (ended):",
    ($e | map(select(.state == "ENROLLMENT_STATE_ENDED")) | group_by(.outcome)
        | map("  \(.[0].outcome | sub("COURSE_OUTCOME_"; "") | ascii_downcase): \(length)") | .[])
' <<<"$enrollments"
