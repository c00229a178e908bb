#pragma once

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"

namespace ips::treatment {

// The only treatment information BIF may receive (with consent): a status
// and since when. Substances, units, modalities, notes and diagnoses are
// never part of it.
enum class MinimalStatus { kNone, kReferred, kInTreatment, kEnded };

struct StatusSince {
  MinimalStatus status = MinimalStatus::kNone;
  std::optional<absl::CivilDay> since;
};

struct ReferralFact {
  absl::CivilDay requested;
};

struct EpisodeFact {
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;
};

// The status on `as_of`: in treatment while an episode runs (since its
// start); ended after the last episode ended (since its end) unless a later
// referral is open; referred from a referral's request date until an
// episode starts; none before any of it. Facts after `as_of` are ignored.
StatusSince DeriveMinimalStatus(const std::vector<ReferralFact>& referrals,
                                const std::vector<EpisodeFact>& episodes, absl::CivilDay as_of);

}  // namespace ips::treatment
