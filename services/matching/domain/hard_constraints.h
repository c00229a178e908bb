#pragma once

#include <string>
#include <vector>

#include "services/matching/domain/match_model.h"

namespace ips::matching {

// Why an opening cannot be offered to a citizen: an accommodation it
// violates, or a requirement the citizen does not meet.
enum class Exclusion {
  kHeavyWork,       // kNoHeavyLifting
  kNotDayShift,     // kDayShiftsOnly
  kServesAlcohol,   // kNoAlcoholServingWorkplace
  kNoGradualStart,  // kGradualStart
  kCustomerFacing,  // kLimitedCustomerContact
  kNeedsDrivingLicence,
  kNeedsDanish,
  kTooManyHours,  // the opening's minimum exceeds the citizen's maximum
};

// A profile's constraints prepared for checking many openings: the
// accommodations as a bit set.
struct PreparedConstraints {
  unsigned needs = 0;  // bit (1 << Accommodation)
  bool driving_licence = false;
  bool speaks_danish = true;
  int max_hours = 0;
};
PreparedConstraints Prepare(const JobProfile& profile);

// Every exclusion that applies, in enum order; empty means the opening may
// be offered.
std::vector<Exclusion> Exclusions(const JobProfile& profile, const Opening& opening);

// True when no exclusion applies (the fast path of ranking: stops at the
// first one).
bool Admissible(const JobProfile& profile, const Opening& opening);
bool Admissible(const PreparedConstraints& prepared, const Opening& opening);

// A case worker's sentence for an exclusion.
std::string Describe(Exclusion e);

}  // namespace ips::matching
