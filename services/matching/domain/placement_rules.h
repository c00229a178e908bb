#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/matching/domain/match_model.h"

namespace ips::matching {

// The rules of a placement's life: its hours over time, the conversion
// chain and its end. Plain facts in, a reason out (nullopt = allowed); the
// service turns a reason into an error on the field it names.

// Most weekly hours a placement may have (the Working Time Act's average
// ceiling); the least is one hour.
inline constexpr int kMaxPlacementHours = 48;

// Placements are agreed ahead of their start, up to half a year.
inline constexpr int kPlacementDaysAhead = 183;

struct HoursStep {
  absl::CivilDay from;
  int hours_per_week = 0;
};

struct PlacementFacts {
  OpeningKind kind = OpeningKind::kCompanyInternship;
  absl::CivilDay start;
  std::vector<HoursStep> hours;  // oldest first; the first starts on `start`
  bool running = true;           // not ended, not converted
};

struct RuleBreach {
  std::string field;
  std::string rule;
};

// Weekly hours within 1..48.
std::optional<RuleBreach> CheckHours(int hours_per_week, const std::string& field);

// A change of hours applies from a day after the last change (so the
// history stays one step per day, oldest first) on a running placement.
std::optional<RuleBreach> CheckHoursChange(const PlacementFacts& p, const HoursStep& change);

// Where a kind stands on the chain internship -> wage subsidy -> small job
// -> part-time or flex job -> ordinary job. Education sits beside the
// chain: an internship or wage-subsidy job may continue as education
// (an apprenticeship, say), and education continues as nothing.
int ChainStep(OpeningKind kind);

// A conversion moves a running placement strictly up the chain and starts
// after the old one started and after its last change of hours (the old
// placement ends the day before).
std::optional<RuleBreach> CheckConversion(const PlacementFacts& p, OpeningKind to, absl::CivilDay new_start);

// A running placement ends on or after its start and its last change of
// hours.
std::optional<RuleBreach> CheckEnd(const PlacementFacts& p, absl::CivilDay end);

// A placement starts within its citizen's course: on or after the course's
// start (the registry's answer; an ended course takes none).
std::optional<RuleBreach> CheckStartInCourse(absl::CivilDay course_start, absl::CivilDay start);

// An employer contact on a citizen's behalf is made within their running
// course: on or after its start.
std::optional<RuleBreach> CheckContactInCourse(absl::CivilDay course_start, absl::CivilDay contact_day);

// Whether a placement may fill a slot of an opening: the opening is open,
// and the placement is of the opening's kind.
enum class OpeningFit { kFits, kNotOpen, kOtherKind };
OpeningFit FitToOpening(bool opening_open, OpeningKind opening_kind, OpeningKind placement_kind);

// The placement that takes the last of an opening's slots fills it;
// `taken` counts the placements on it before this one.
bool TakesLastSlot(int taken, int slots);

// Days from the enrolment's start to a placement's start, the programme's
// "placement within a month" measure; nullopt when the placement starts
// before the enrolment (which CreatePlacement refuses).
std::optional<int> DaysFromEnrollment(absl::CivilDay enrollment_start, absl::CivilDay placement_start);

}  // namespace ips::matching
