#!/usr/bin/env bash
# Prints the caseload, enrolment, treatment and placement summary from the
# running registry, treatment and matching services.
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
    "treatment rule checked with SOF: \($e | map(select(.decision.treatment_check == "TREATMENT_CHECK_VERIFIED")) | length), self-declared without consent: \($e | map(select(.decision.treatment_check == "TREATMENT_CHECK_UNVERIFIED_NO_CONSENT")) | length)",
    "job conversations on time:    \($met) of \($due) due" + (if $due > 0 then " = \(($met * 100 / $due) | floor)%" else "" end),
    "attendance:                   \($held) held, \($noshow) no-shows" + (if ($held + $noshow) > 0 then " = \(($held * 100 / ($held + $noshow)) | floor)%" else "" end),
    "",
    "courses by the rules version of their start (each judged by its own):",
    ($e | group_by(.rules_version) | map("  \(.[0].rules_version): \(length)" +
        (if (map(select(.rules_provisional == true)) | length) > 0
         then " (\(map(select(.rules_provisional == true)) | length) provisionally: the law from 2027-01-01 is not yet known)"
         else "" end)) | .[]),
    "",
    "course outcomes (ended):",
    ($e | map(select(.state == "ENROLLMENT_STATE_ENDED")) | group_by(.outcome)
        | map("  \(.[0].outcome | sub("COURSE_OUTCOME_"; "") | ascii_downcase): \(length)") | .[]),
    ($e | map(select(.outcome == "COURSE_OUTCOME_RESOURCE_COURSE")) as $rc
        | "resource courses: \($rc | length), all of courses started before 2026-02-01 (abolished for new cases from then): \($rc | map(select(.start_date.year > 2026 or (.start_date.year == 2026 and .start_date.month >= 2))) | length) started later")
' <<<"$enrollments"
echo
echo "== Treatment (SOF) =="
referrals=$(IPS_ADDR=$TREATMENT_ADDR IPS_AS_AGENCY=SOF IPS_AS_ROLES=sof_treatment "$IPSCTL" referral list citizens/- --page-size 1000 --json)
jq -r '
  (.referrals // []) as $r
  | ($r | map(select(.guarantee.state == "GUARANTEE_STATE_MET")) | length) as $met
  | ($r | map(select(.guarantee.state == "GUARANTEE_STATE_MISSED")) | length) as $missed
  | "referrals:                    \($r | length) (\($r | map(select(.referred_by == "REFERRER_IPS_CONSULTANT")) | length) by the IPS consultant)",
    "14-day guarantee:             \($met) met, \($missed) missed, \($r | map(select(.guarantee.state == "GUARANTEE_STATE_OVERDUE" or .guarantee.state == "GUARANTEE_STATE_DUE_SOON")) | length) open at risk" + (if ($met + $missed) > 0 then " = \(($met * 100 / ($met + $missed)) | floor)% met" else "" end)
' <<<"$referrals"
echo
echo "== Employers and placements (matching) =="
at_matching() { IPS_ADDR=$MATCHING_ADDR "$IPSCTL" "$@" --page-size 1000 --json; }
employers=$(at_matching employer list)
openings=$(at_matching opening list employers/-)
# Contacts run to thousands: counted page by page (all, on a citizen's
# behalf, and visits on a citizen's behalf), not passed to jq whole.
contacts='0 0 0'
token=''
while :; do
  page=$(at_matching employer-contact list employers/- ${token:+--page-token "$token"})
  contacts=$(jq -r --arg sum "$contacts" '($sum | split(" ") | map(tonumber)) as $s | (.contacts // []) as $c
    | ($c | map(select(.citizen != null))) as $b
    | "\($s[0] + ($c | length)) \($s[1] + ($b | length)) \($s[2] + ($b | map(select(.channel == "CONTACT_CHANNEL_VISIT")) | length))"' <<<"$page")
  token=$(jq -r '.next_page_token // ""' <<<"$page")
  [ -n "$token" ] || break
done
read -r contacts_all contacts_behalf contacts_visits <<<"$contacts"
placements=$(at_matching placement list citizens/-)
jq -r --argjson employers "$employers" --argjson openings "$openings" \
  --arg contacts "$contacts_all ($contacts_behalf on a citizen's behalf, $contacts_visits of them visits)" '
  (.placements // []) as $p
  | ($p | map(select(.converted_from == null)) | map(.days_from_enrollment // 0) | sort) as $first
  | "employers:                    \($employers.employers // [] | length), \($employers.employers // [] | map(.hires_from_programme // 0) | add // 0) hires from the programme",
    "openings open / filled:       \($openings.openings // [] | map(select(.state == "OPENING_STATE_OPEN")) | length) / \($openings.openings // [] | map(select(.state == "OPENING_STATE_FILLED")) | length)",
    "employer contacts:            \($contacts)",
    "placements:                   \($p | length): \($p | map(select(.state == "PLACEMENT_STATE_ACTIVE")) | length) running, \($p | map(select(.state == "PLACEMENT_STATE_CONVERTED")) | length) converted, \($p | map(select(.state == "PLACEMENT_STATE_ENDED")) | length) ended",
    "days to first placement:      median \(if ($first | length) > 0 then $first[(($first | length) / 2 | floor)] else "-" end), within 30 days: \($first | map(select(. <= 30)) | length) of \($first | length)",
    "placement kinds:",
    ($p | group_by(.kind) | map("  \(.[0].kind | sub("OPENING_KIND_"; "") | ascii_downcase): \(length)") | .[])
' <<<"$placements"
