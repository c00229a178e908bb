#include "services/matching/domain/placement_rules.h"

#include "absl/strings/str_cat.h"

namespace ips::matching {
namespace {

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

absl::CivilDay LastChange(const PlacementFacts& p) { return p.hours.empty() ? p.start : p.hours.back().from; }

constexpr int kEducationStep = 100;

}  // namespace

std::optional<RuleBreach> CheckHours(int hours_per_week, const std::string& field) {
  if (hours_per_week < 1 || hours_per_week > kMaxPlacementHours) {
    return RuleBreach{field, absl::StrCat("must be 1 to ", kMaxPlacementHours, " hours per week")};
  }
  return std::nullopt;
}

std::optional<RuleBreach> CheckHoursChange(const PlacementFacts& p, const HoursStep& change) {
  if (!p.running) return RuleBreach{"name", "the placement has ended; its hours can no longer change"};
  if (auto bad = CheckHours(change.hours_per_week, "change.hours_per_week")) return bad;
  if (change.from <= LastChange(p)) {
    return RuleBreach{"change.effective_date",
                      absl::StrCat("must be after the last change of hours (", Day(LastChange(p)), ")")};
  }
  return std::nullopt;
}

int ChainStep(OpeningKind kind) {
  switch (kind) {
    case OpeningKind::kCompanyInternship:
      return 1;
    case OpeningKind::kWageSubsidyJob:
      return 2;
    case OpeningKind::kSmallJob:
      return 3;
    case OpeningKind::kPartTimeJob:
    case OpeningKind::kFlexJob:
      return 4;
    case OpeningKind::kOrdinaryJob:
      return 5;
    case OpeningKind::kEducation:
      return kEducationStep;
  }
  return 0;
}

std::optional<RuleBreach> CheckConversion(const PlacementFacts& p, OpeningKind to, absl::CivilDay new_start) {
  if (!p.running) return RuleBreach{"name", "the placement has ended or was converted already"};
  const int from_step = ChainStep(p.kind), to_step = ChainStep(to);
  const bool allowed = to == OpeningKind::kEducation ? from_step <= ChainStep(OpeningKind::kWageSubsidyJob)
                                                     : from_step != kEducationStep && to_step > from_step;
  if (!allowed) {
    return RuleBreach{"kind",
                      "must move up the chain internship, wage subsidy, small job, part-time or flex job, "
                      "ordinary job (education may follow an internship or wage-subsidy job)"};
  }
  if (new_start <= LastChange(p)) {
    return RuleBreach{"start_date",
                      absl::StrCat("must be after the placement's start and last change of hours (",
                                   Day(LastChange(p)), ")")};
  }
  return std::nullopt;
}

std::optional<RuleBreach> CheckEnd(const PlacementFacts& p, absl::CivilDay end) {
  if (!p.running) return RuleBreach{"name", "the placement has ended or was converted already"};
  if (end < LastChange(p)) {
    return RuleBreach{"end_date", absl::StrCat("must be on or after the placement's start and last change of "
                                               "hours (",
                                               Day(LastChange(p)), ")")};
  }
  return std::nullopt;
}

namespace {

std::optional<RuleBreach> OnOrAfterCourseStart(absl::CivilDay course_start, absl::CivilDay day,
                                               const char* field) {
  if (day >= course_start) return std::nullopt;
  return RuleBreach{field, absl::StrCat("must be on or after the course's start (",
                                        absl::FormatCivilTime(course_start), ")")};
}

}  // namespace

std::optional<RuleBreach> CheckStartInCourse(absl::CivilDay course_start, absl::CivilDay start) {
  return OnOrAfterCourseStart(course_start, start, "placement.start_date");
}

std::optional<RuleBreach> CheckContactInCourse(absl::CivilDay course_start, absl::CivilDay contact_day) {
  return OnOrAfterCourseStart(course_start, contact_day, "contact.contact_date");
}

OpeningFit FitToOpening(bool opening_open, OpeningKind opening_kind, OpeningKind placement_kind) {
  if (!opening_open) return OpeningFit::kNotOpen;
  if (opening_kind != placement_kind) return OpeningFit::kOtherKind;
  return OpeningFit::kFits;
}

bool TakesLastSlot(int taken, int slots) { return taken + 1 >= slots; }

std::optional<int> DaysFromEnrollment(absl::CivilDay enrollment_start, absl::CivilDay placement_start) {
  if (placement_start < enrollment_start) return std::nullopt;
  return static_cast<int>(placement_start - enrollment_start);
}

}  // namespace ips::matching
