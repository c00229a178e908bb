#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace ips::reporting {

// What reporting knows of the programme, derived from the services' event
// feeds: plain facts keyed by pseudonym, never a citizen id or CPR number.
// The KPI formulas (kpi_formulas.h) are pure functions over these.

// What a course or placement amounts to for the programme's main target.
enum class Attainment {
  kNone,
  kJob,        // ordinary, part-time or flex job
  kEducation,  // education or apprenticeship
  kOther,      // another offer, rehabilitation, pension, ...
  kEndedEarly,
};

struct PlacementFact {
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;       // last day, when ended or converted
  bool converted = false;                  // continued as another placement
  Attainment attains = Attainment::kNone;  // kJob / kEducation for those kinds
};

struct CourseFact {
  std::string pseudonym;
  std::string consultant_id;
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;
  Attainment outcome = Attainment::kNone;  // at the end of the course
  std::vector<PlacementFact> placements;   // those starting within the course
  bool social_progression = false;         // a social effort recorded during the course
  int conversations_due = 0, conversations_met_on_time = 0;
  int conversations_held = 0, conversations_no_show = 0;
  int referrals_after_start = 0, treatment_starts_after_start = 0;
};

}  // namespace ips::reporting
