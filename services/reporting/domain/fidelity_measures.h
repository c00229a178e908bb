#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/reporting/domain/fidelity_facts.h"
#include "services/reporting/domain/fidelity_scale.h"
#include "services/reporting/domain/kpi_formulas.h"

namespace ips::reporting {

// What the data say for one item: the value its anchors are read against
// (a percent, a mean of days, contacts per week, a caseload), the share
// behind it for the items that are shares, and how many citizens' courses
// the figure rests on, which small-cell suppression reads.
struct Measured {
  std::optional<double> value;  // unset when nothing in the period bears on the item
  std::optional<Share> share;
  long long citizens = 0;
};

// Who carried a course on `day`, from its spells (not empty): the first
// spell's consultant before it.
const std::string& CarrierOn(const std::vector<FidelityFacts::Spell>& spells, absl::CivilDay day);

// Item `number`'s measure over `period`, for the programme (`consultant`
// unset) or for the courses, jobs and contacts of one consultant. A course
// is its consultant's who carried it on the period's last day or on its
// end, whichever came first; a job is the consultant's who placed it.
// Unset value for an item the data do not answer (MeasuredFromData).
//
//  1 caseload: the courses a consultant carried, on average over the days
//    of the period they carried any (course-days over consultant-days); the
//    programme's pools its consultants' days the same way.
//  3 vocational generalist: % of the courses running in the period that one
//    consultant carried from enrolment (no reassignment by the period's end).
//  4 integration with treatment: % of the courses running in the period with
//    coordination with SOF in it.
//  9 zero exclusion: % of the entry decisions in the period that excluded
//    the citizen (lower is better; programme only).
// 12, 13 benefits counselling, disclosure: % of the jobs (not education)
//    started in the period with the conversation in the course on or before
//    the start.
// 15 rapid job search: mean days from enrolment to the first face-to-face
//    employer contact on the citizen's behalf, of the courses started in the
//    period; a course without one counts with the days it has run, once
//    those pass 30 (before that it is not yet late).
// 17 job development: face-to-face employer contacts on a named citizen's
//    behalf per consultant per week.
// 19, 20 diversity: distinct job types (employers) as % of the jobs started
//    in the period.
// 21 competitive jobs: % of the jobs started in the period that are
//    competitive.
// 23 follow-along: % of the jobs with a follow-along contact in each full
//    30-day window of their first 120 days, as far as they lasted within the
//    period (jobs with no full window yet are not counted).
// 24 community-based services: % of the contacts with citizens in the
//    period held out in the community.
// 25 assertive engagement: the lesser of % of the courses ended in the
//    period not closed for no-shows and % of the no-shows in the period
//    followed by outreach within 14 days.
Measured MeasureItem(int number, const FidelityFacts& facts, const FidelityPeriod& period,
                     const std::optional<std::string>& consultant = std::nullopt);

// The items measured per consultant (all measured items but zero exclusion,
// whose entry decisions are the programme's).
bool MeasuredPerConsultant(int number);

// The consultants the facts name, sorted.
std::vector<std::string> ConsultantsOf(const FidelityFacts& facts);

struct ReviewedItem {
  int number = 0;
  Measured programme;  // unset value for the items the reviewers rate
  // The score: from the anchors for a measured item with a value, the
  // reviewers' for the others when they gave one.
  std::optional<int> score;
  struct PerConsultant {
    std::string consultant_id;
    Measured measured;
    std::optional<int> score;
  };
  std::vector<PerConsultant> consultants;  // for MeasuredPerConsultant items
};

struct FidelityReview {
  std::vector<ReviewedItem> items;  // 1..25
  int items_scored = 0;
  int scored_total = 0;      // the sum of the scores there are
  std::optional<int> total;  // when all 25 are scored
  std::optional<std::string> band;
};

// Why the reviewers' `score` for item `number` cannot stand ("is scored
// from the data, not by the reviewers"), or nullopt when it can.
std::optional<std::string> ReviewerScoreProblem(int number, int score);

// The review of `period`: each item scored on `scale` (ValidateScale'd),
// with the reviewers' scores (1..5) for the items they rate. An error names
// the item of a reviewer score out of range or given for a measured item.
absl::StatusOr<FidelityReview> ReviewFidelity(const FidelityScale& scale, const FidelityFacts& facts,
                                              const FidelityPeriod& period,
                                              const std::map<int, int>& reviewer_scores);

}  // namespace ips::reporting
