#!/usr/bin/env bash
# Waits until reporting has read every event the demo wrote, then prints
# the programme report against its targets.
set -euo pipefail
: "${IPSCTL:?set IPSCTL to the ipsctl binary}"
: "${REPORTING_ADDR:?set REPORTING_ADDR to the reporting service}"
analyst() { IPS_ADDR=$REPORTING_ADDR IPS_AS_SUBJECT=analyst IPS_AS_AGENCY=JOINT IPS_AS_ROLES=analyst "$IPSCTL" "$@"; }
# The newest event of each publisher, as reporting must reach it. The feeds
# open only to a configured feed reader's certificate (FEED_CERT/FEED_KEY,
# reporting's in the demo) with an event_reader token.
last() { IPS_ADDR=$1 IPS_CERT=${FEED_CERT:?} IPS_KEY=${FEED_KEY:?} IPS_AS_AGENCY=JOINT IPS_AS_ROLES=event_reader \
  "$IPSCTL" events stream --service="$2" --timeout=1 --json |
  tail -n 1 | jq -r '.sequence // 0'; }
want="$(last "$IPS_ADDR" registry) $(last "$MATCHING_ADDR" matching) $(last "$TREATMENT_ADDR" treatment)"
for _ in $(seq 1 100); do
  have=$(analyst feeds status --json | jq -r '[.feeds[] | (.applied_sequence // 0 | tostring)] | join(" ")')
  [ "$have" = "$want" ] && break
  sleep 0.1
done
echo
echo "== Programme report (reporting, from the event feeds; counts under 5 shown as <5) =="
analyst report get --json | jq -r '
  def status: {"TARGET_STATUS_MET": "met", "TARGET_STATUS_NOT_MET": "NOT MET",
               "TARGET_STATUS_NO_DATA": "no data yet", "TARGET_STATUS_NO_TARGET": ""}[. // ""] // "";
  "as of \(.as_of.year)-\(.as_of.month)-\(.as_of.day)",
  "",
  (.kpis[] | "\(.title | .[0:58] | . + " " * (60 - length)) \(.value | . + " " * (22 - length)) \(if (.target // "") != "" then "target \(.target): \(.status | status)" else "" end)"),
  "",
  "cohorts (start quarter: enrolled, job/education within 12 / 24 months):",
  (.cohorts[] | "  \(.cohort): \(.enrolled), \(.within_12_months) / \(.within_24_months)"),
  "",
  "caseload per consultant (budget 25, IPS fidelity 20) and employer contacts per week:",
  (.consultants[] | "  \(.consultant_id[0:8]): \(.caseload) (\(.band | sub("CASELOAD_BAND_"; "") | ascii_downcase)), \(.employer_contacts_per_week * 10 | round / 10) contacts/week"),
  "",
  "outcomes of ended courses: " + ([.outcomes[] | "\(.outcome) \(.count)"] | join(", "))'
echo
echo "== IPS fidelity review, the last year (items the data answer; the reviewers rate the rest on site) =="
analyst report fidelity --json | jq -r '
  def rating: {"FIDELITY_RATING_FROM_DATA": "", "FIDELITY_RATING_BY_REVIEWERS": "rated by the reviewers",
               "FIDELITY_RATING_NOT_YET_FED": "not yet in the feeds"}[. // ""] // "";
  (.items[] | "\(.number | tostring | " " * (2 - length) + .) \(.title | .[0:46] | . + " " * (48 - length)) \(if (.score // 0) > 0 then "score \(.score)" else "       " end)  \(.value // "") \(.rating | rating)"),
  "",
  "scored \(.items_scored // 0) of 25 items, \(.scored_total // 0) points\(if (.total // 0) > 0 then "; total \(.total): \(.band)" else "" end)",
  "per consultant:",
  (.items[] | select((.consultants // []) | length > 0) | "  item \(.number): " + ([.consultants[] | "\(.consultant_id[0:8]) \(.value) (\(.score // "-"))"] | join(", ")))'
html="${REPORT_HTML:-state/ips-report.html}"
analyst report export --format=html --out="$html" 2>/dev/null
analyst report export --format=csv --out="${html%.html}.csv" 2>/dev/null
fidelity="${html%/*}/ips-fidelity.html"
analyst report fidelity-export --format=html --out="$fidelity" 2>/dev/null
echo
echo "The report with its charts: $html (CSV: ${html%.html}.csv); the fidelity review: $fidelity"
