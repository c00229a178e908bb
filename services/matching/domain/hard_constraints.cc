#include "services/matching/domain/hard_constraints.h"

namespace ips::matching {
namespace {

bool Needs(const PreparedConstraints& p, Accommodation a) { return (p.needs >> static_cast<int>(a)) & 1u; }

// Calls `on(exclusion)` for each that applies until it returns false.
template <typename On>
void ForEachExclusion(const PreparedConstraints& p, const Opening& o, On on) {
  if (Needs(p, Accommodation::kNoHeavyLifting) && o.demand == PhysicalDemand::kHeavy &&
      !on(Exclusion::kHeavyWork)) {
    return;
  }
  if (Needs(p, Accommodation::kDayShiftsOnly) && o.shift != ShiftPattern::kDay &&
      !on(Exclusion::kNotDayShift)) {
    return;
  }
  if (Needs(p, Accommodation::kNoAlcoholServingWorkplace) && o.serves_alcohol &&
      !on(Exclusion::kServesAlcohol)) {
    return;
  }
  if (Needs(p, Accommodation::kGradualStart) && !o.gradual_start_possible &&
      !on(Exclusion::kNoGradualStart)) {
    return;
  }
  if (Needs(p, Accommodation::kLimitedCustomerContact) && o.customer_facing &&
      !on(Exclusion::kCustomerFacing)) {
    return;
  }
  if (o.requires_driving_licence && !p.driving_licence && !on(Exclusion::kNeedsDrivingLicence)) return;
  if (o.requires_danish && !p.speaks_danish && !on(Exclusion::kNeedsDanish)) return;
  if (p.max_hours > 0 && o.min_hours > p.max_hours && !on(Exclusion::kTooManyHours)) return;
}

}  // namespace

PreparedConstraints Prepare(const JobProfile& profile) {
  PreparedConstraints p;
  for (Accommodation a : profile.accommodations) p.needs |= 1u << static_cast<int>(a);
  p.driving_licence = profile.driving_licence;
  p.speaks_danish = profile.speaks_danish;
  p.max_hours = profile.max_hours;
  return p;
}

std::vector<Exclusion> Exclusions(const JobProfile& profile, const Opening& opening) {
  std::vector<Exclusion> out;
  ForEachExclusion(Prepare(profile), opening, [&](Exclusion e) {
    out.push_back(e);
    return true;
  });
  return out;
}

bool Admissible(const JobProfile& profile, const Opening& opening) {
  return Admissible(Prepare(profile), opening);
}

bool Admissible(const PreparedConstraints& prepared, const Opening& opening) {
  bool ok = true;
  ForEachExclusion(prepared, opening, [&](Exclusion) {
    ok = false;
    return false;
  });
  return ok;
}

std::string Describe(Exclusion e) {
  switch (e) {
    case Exclusion::kHeavyWork:
      return "physically heavy work; the citizen must not lift heavily";
    case Exclusion::kNotDayShift:
      return "not a day shift; the citizen works day shifts only";
    case Exclusion::kServesAlcohol:
      return "the workplace serves alcohol";
    case Exclusion::kNoGradualStart:
      return "no gradual start possible; the citizen needs one";
    case Exclusion::kCustomerFacing:
      return "customer-facing; the citizen needs limited customer contact";
    case Exclusion::kNeedsDrivingLicence:
      return "requires a driving licence the citizen does not have";
    case Exclusion::kNeedsDanish:
      return "requires Danish";
    case Exclusion::kTooManyHours:
      return "minimum hours exceed the citizen's maximum";
  }
  return "";
}

}  // namespace ips::matching
