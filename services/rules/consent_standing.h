#pragma once

#include <optional>

#include "absl/time/civil_time.h"

namespace ips::rules {

// A consent's dates, as the registry and SOF record them alike.
struct ConsentPeriod {
  absl::CivilDay given;
  absl::CivilDay expiry;  // the last day it is valid
  std::optional<absl::CivilDay> withdrawn;
};

// Where one consent stands on a day: the one coding of the rule both the
// registry (consents to share with matching's employers) and SOF
// (consents to disclose to BIF) show their callers.
enum class ConsentStanding { kActive, kNotYetValid, kExpired, kWithdrawn };

// Withdrawn from the withdrawal day on, whatever else holds; before the
// given day not yet valid; after the expiry day expired; else active.
ConsentStanding StandingOn(const ConsentPeriod& consent, absl::CivilDay on);

}  // namespace ips::rules
