#pragma once

#include <optional>

#include "absl/time/civil_time.h"

namespace ips::treatment {

// The treatment guarantee: drug treatment (serviceloven §101) and alcohol
// treatment (sundhedsloven §141) must be offered within 14 days of the
// citizen's request. The number of days is configuration (the law changes).
struct GuaranteeConfig {
  int days = 14;
  // A referral counts as "near its deadline" this many days before it.
  int warn_days = 3;
};

enum class GuaranteeState {
  kOpen,     // no offer yet, deadline more than warn_days away
  kDueSoon,  // no offer yet, deadline within warn_days (or today)
  kOverdue,  // no offer, deadline passed
  kMet,      // offered on or before the deadline
  kMissed,   // offered, but after the deadline
};

// The last day on which treatment may be offered: request date + days.
absl::CivilDay GuaranteeDeadline(absl::CivilDay requested, const GuaranteeConfig& config);

// Where a referral stands on `as_of`, given the day treatment was offered
// (if it was).
GuaranteeState EvaluateGuarantee(absl::CivilDay requested, std::optional<absl::CivilDay> offered,
                                 absl::CivilDay as_of, const GuaranteeConfig& config);

}  // namespace ips::treatment
