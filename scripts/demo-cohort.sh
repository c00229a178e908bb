#!/usr/bin/env bash
# Loads a deterministic demo cohort into the running registry, treatment
# and matching services through ipsctl: 3 consultants, 36 citizens (some of
# whom fail the entry rules), SOF's consents, treatment and referrals (some
# by the IPS consultant after enrolment), job conversations with no-shows,
# activities, consents and ended courses; 8 employers with openings and the
# consultants' contacts with them, job profiles with work accommodations,
# and placements chosen by MatchOpenings that change hours, convert and
# end. Every create carries a request id, so a second run changes nothing.
set -euo pipefail
: "${IPSCTL:?set IPSCTL to the ipsctl binary}"
: "${TREATMENT_ADDR:?set TREATMENT_ADDR to the treatment service}"
: "${MATCHING_ADDR:?set MATCHING_ADDR to the matching service}"
q() { "$IPSCTL" "$@" --json 2>/dev/null || true; }
name_of() { jq -r '.name // empty'; }
# SOF's staff at the treatment service.
sof() { IPS_ADDR=$TREATMENT_ADDR IPS_AS_AGENCY=SOF IPS_AS_ROLES=sof_outreach,sof_treatment q "$@"; }
# A BIF consultant at the treatment service (referrals, the minimal status).
bif_at_sof() { IPS_ADDR=$TREATMENT_ADDR q "$@"; }
# The matching service (BIF).
job() { IPS_ADDR=$MATCHING_ADDR q "$@"; }

unit=$(sof unit create --display-name "Ambulatorium Sydhavn" --request-id demo-unit-1 | name_of)

consultants=()
for who in "Anna Holm" "Bo Lund" "Carla Berg"; do
  id=$(echo "$who" | tr 'A-Z ' 'a-z-')
  consultants+=("$(q consultant create --display-name "$who" --unit "IPS Sydhavnen" \
    --subject "$id" --request-id "demo-consultant-$id" | name_of)")
done

# Employers in and around Sydhavnen, two openings each, and each
# consultant's visits and calls to them over the last months.
cvrs=(35705643 37110698 11075487 13978921 28468288 34800685 42705861 48163238)
employer_names=("Café Sydhavn" "Sydhavn Lager ApS" "Kongens Enghave Rengøring" "Teglholmen Byg"
  "Mozarts Plads Bageri" "Havnens Kantine" "SV Cykler" "Sluseholmen Plejecenter")
industries=("food service" "warehouse" "cleaning" "construction" "bakery" "food service" "retail" "care")
titles=("kitchen assistant" "warehouse worker" "cleaner" "construction helper" "baker's assistant"
  "canteen assistant" "bicycle mechanic" "care helper")
kinds=(COMPANY_INTERNSHIP WAGE_SUBSIDY_JOB SMALL_JOB COMPANY_INTERNSHIP ORDINARY_JOB PART_TIME_JOB
  COMPANY_INTERNSHIP WAGE_SUBSIDY_JOB)
for k in $(seq 0 7); do
  employer=$(job employer create --cvr "${cvrs[$k]}" --display-name "${employer_names[$k]}"     --industry "${industries[$k]}" --municipality København --contact-name "Kontakt $k"     --request-id "demo-employer-$k" | name_of)
  [ -n "$employer" ] || { echo "employer $k not created" >&2; continue; }
  demand=LIGHT shift=DAY alcohol=false customer=false
  case $k in 1 | 3) demand=HEAVY ;; 0) shift=EVENING alcohol=true customer=true ;; 4) shift=NIGHT ;; 6) customer=true ;; esac
  for n in 0 1; do
    kind=${kinds[$(( (k + n * 3) % 8 ))]}
    job opening create "$employer" --kind "$kind" --title "${titles[$k]}" --min-hours $((8 + n * 7))       --max-hours $((20 + n * 12)) --demand $demand --shift $shift --serves-alcohol $alcohol       --customer-facing $customer --gradual-start true --slots 3       --lat "55.6$((45 + k))" --lng "12.5$((30 + k * 3))" --request-id "demo-opening-$k-$n" >/dev/null
  done
  for c in 0 1 2; do
    job employer-contact create "$employer" --consultant "${consultants[$c]}"       --channel $([ $(( (k + c) % 2 )) -eq 0 ] && echo VISIT || echo PHONE) --date "today-$(( 7 + k * 9 + c * 20 ))"       --purpose $([ $c -eq 0 ] && echo NEW_EMPLOYER || echo FOLLOW_UP)       --outcome $([ $(( k % 3 )) -eq 0 ] && echo OPENING_AGREED || echo NOT_NOW)       --request-id "demo-contact-$k-$c" >/dev/null
  done
done

# place I CITIZEN START: the citizen's job profile, then the best match for
# them, started some days into the course, with its hours, conversion and
# end as the course goes.
place() {
  local i=$1 citizen=$2 start=$3
  local accommodations=""
  (( i % 4 == 0 )) && accommodations+="NO_ALCOHOL_SERVING_WORKPLACE,"
  (( i % 5 == 0 )) && accommodations+="NO_HEAVY_LIFTING,"
  (( i % 6 == 0 )) && accommodations+="DAY_SHIFTS_ONLY,"
  (( i % 7 == 0 )) && accommodations+="GRADUAL_START,"
  job job-profile update "$citizen/jobProfile" --goal-industries "${industries[$(( i % 8 ))]}"     --goal-titles "${titles[$(( i % 8 ))]}" --preferred-hours $((15 + (i % 4) * 5)) --max-hours 37     ${accommodations:+--accommodations "$accommodations"} --speaks-danish true --home-lat "55.65$((i % 10))"     --home-lng 12.54 --max-travel-km $((5 + i % 3 * 5)) >/dev/null
  (( i % 5 == 1 || i % 4 == 3 )) && return 0   # no placement (yet) for these
  local opening after=$(( 3 + (i * 7) % 45 ))
  (( after >= start )) && after=$(( start / 2 ))
  local from=$(( start - after ))   # days ago the placement starts
  opening=$(job match openings "$citizen" --page-size 1 | jq -r '.matches[0].opening.name // empty')
  local placement
  placement=$(job placement create "$citizen" --opening "${opening}" --start-date "today-$from"     --hours $((10 + (i % 4) * 5)) --request-id "demo-placement-$i" )
  local name kind
  name=$(name_of <<<"$placement")
  kind=$(jq -r '.kind // empty' <<<"$placement")
  [ -n "$name" ] || return 0
  if (( i % 3 == 0 && from > 30 )); then
    job placement change-hours "$name" --from "today-$((from - 21))" --hours 25 >/dev/null
  fi
  if (( i % 6 == 2 && from > 20 )); then
    job placement end "$name" --end-date "today-$((from - 14))" --reason DROPPED_OUT >/dev/null
  elif (( from > 60 )) && [ "$kind" = OPENING_KIND_COMPANY_INTERNSHIP ]; then
    local next
    next=$(job placement convert "$name" --kind WAGE_SUBSIDY_JOB --start-date "today-$((from - 42))"       --hours 30 --request-id "demo-convert-$i" | name_of)
    if [ -n "$next" ] && (( from > 120 )); then
      job placement end "$next" --end-date "today-$((from - 110))" --reason HIRED >/dev/null
    fi
  fi
}

enrolled=0 rejected=0
for i in $(seq 1 36); do
  # Ages 32-60 on the start date; every 12th citizen is 26 (fails the age rule).
  if (( i % 12 == 0 )); then year=2000; seventh=4; else year=$((1966 + i % 28)); seventh=1; fi
  cpr=$(printf "%02d%02d%02d%d%03d" $(( (i % 28) + 1 )) $(( (i % 12) + 1 )) $((year % 100)) $seventh $i)
  district=SYDHAVNEN
  (( i % 7 == 0 )) && district=BAVNEHOEJ
  (( i % 10 == 0 )) && district=OTHER_COPENHAGEN
  housing=RENTED
  (( i % 9 == 0 )) && housing=SHELTER
  citizen=$(q citizen create --cpr "$cpr" --given-name "Borger" --family-name "Nr$i" \
    --district $district --housing $housing --request-id "demo-citizen-$i" | name_of)
  [ -n "$citizen" ] || { echo "citizen $i not created" >&2; continue; }

  start=$((12 + i * 10))   # days ago: spread over the last year
  in_treatment=false
  (( i % 11 == 0 )) && in_treatment=true
  # SOF: two in three citizens consent to SOF telling BIF their treatment
  # status; every 13th is already in treatment, which SOF then reports.
  if (( i % 3 != 1 )); then
    sof sof-consent create "$citizen" --scope treatment_status --given-date "today-$((start + 7))" \
      --expiry-date "today+$((700 - start - 7))" --request-id "demo-sof-consent-$i" >/dev/null
  fi
  if (( i % 13 == 0 )); then
    sof episode start "$citizen" --unit "$unit" --modality outpatient --start-date "today-$((start + 30))" \
      --request-id "demo-episode-before-$i" >/dev/null
  fi
  months=$(( (i * 7) % 50 ))
  extra=()
  if (( i == 18 )); then months=70; extra=(--override-reason "Long unemployment, strongly motivated; agreed at team meeting"); fi
  consultant=${consultants[$(( i % 3 ))]}
  enrollment=$(q enrollment create "$citizen" --start-date "today-$start" --consultant "$consultant" \
    --activity-ready true --benefit CASH_BENEFIT --substance-use true --unemployment-months $months \
    --in-treatment $in_treatment --request-id "demo-enrol-$i" "${extra[@]}" | name_of)
  if [ -z "$enrollment" ]; then rejected=$((rejected + 1)); continue; fi
  enrolled=$((enrolled + 1))

  # After enrolment the IPS consultant refers every 5th citizen to
  # treatment; SOF offers it, mostly within the 14 days, and starts it.
  if (( i % 5 == 0 && start > 30 )); then
    referral=$(bif_at_sof referral create "$citizen" --by ips_consultant --request-date "today-$((start - 10))" \
      --request-id "demo-referral-$i" | name_of)
    if [ -n "$referral" ] && (( i % 10 != 5 || start > 200 )); then
      wait=$(( i % 15 == 0 ? 20 : 9 ))
      sof episode start "$citizen" --unit "$unit" --modality outpatient --referral "$referral" \
        --start-date "today-$((start - 10 - wait))" --request-id "demo-episode-$i" >/dev/null
    fi
  fi

  conv() { q conversation create "$enrollment" --status "$1" --date "today-$2" --place "$3" \
             --request-id "demo-conv-$i-$2" >/dev/null; }
  conv HELD $((start - 3)) LOCAL_OFFICE
  if (( start > 45 )); then
    if (( i % 3 == 0 )); then conv NO_SHOW $((start - 40)) LOCAL_OFFICE; conv HELD $((start - 47)) PHONE
    else conv HELD $((start - 40)) LOCAL_OFFICE; fi
  fi
  (( start > 100 && i % 4 != 1 )) && conv HELD $((start - 100)) JOBCENTER
  (( start > 170 && i % 2 == 0 )) && conv HELD $((start - 170)) LOCAL_OFFICE
  if (( i % 2 == 0 )); then
    q activity create "$enrollment" --kind JOB_CLUB --start-date "today-$((start - 14))" \
      --request-id "demo-act-$i-club" >/dev/null
  fi
  if (( i % 5 == 0 )); then
    q activity create "$enrollment" --kind SOCIAL_FREE_CARD --start-date "today-$((start - 20))" \
      --request-id "demo-act-$i-card" >/dev/null
  fi
  if (( i % 3 == 0 )); then
    q consent create "$citizen" --scope COORDINATION --given-date "today-$start" \
      --expiry-date "today+$((365 - start))" --request-id "demo-consent-$i" >/dev/null
  fi
  place "$i" "$citizen" "$start"
  if (( start > 200 && (i % 4 == 0 || i % 7 == 3) )); then
    outcomes=(ORDINARY_JOB EDUCATION FLEX_JOB ENDED_EARLY)
    outcome=${outcomes[$(( (i / 4) % 4 ))]}
    q enrollment end "$enrollment" --end-date "today-$((start - 190))" --outcome $outcome \
      --reason "Moved on" >/dev/null
  fi
done
echo "demo cohort: $enrolled enrolled, $rejected refused by the entry rules (this run)" >&2
