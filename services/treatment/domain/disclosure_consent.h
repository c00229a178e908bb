#pragma once

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/rules/consent_standing.h"

namespace ips::treatment {

// What a consent lets SOF disclose to BIF's IPS team.
enum class ConsentScope { kTreatmentStatus = 1, kCoordination = 2 };

// One consent as recorded by SOF.
struct ConsentFact {
  ConsentScope scope;
  absl::CivilDay given;
  absl::CivilDay expiry;  // last valid day
  std::optional<absl::CivilDay> withdrawn;
};

// Where one consent stands on a day (rules/consent_standing.h).
using rules::ConsentStanding;
ConsentStanding StandingOn(const ConsentFact& consent, absl::CivilDay on);

// Why a disclosure is or is not allowed; the reasons become ErrorInfo
// reasons for BIF callers ("consent is missing"), most specific first.
enum class ConsentDecision {
  kAllowed,
  kNoConsent,    // no consent of any scope
  kWrongScope,   // consents exist, none for this scope
  kNotYetGiven,  // the scope's consent starts after the date asked about
  kExpired,      // the scope's consent ended before the date
  kWithdrawn,    // the scope's consent was withdrawn on or before the date
};

// Whether a consent of `scope` covers `on`: given on or before it, not
// expired before it, not withdrawn on or before it. With several consents
// of the scope, any one that covers the date allows; otherwise the reason
// of the most recently given one is reported.
ConsentDecision DecideDisclosure(const std::vector<ConsentFact>& consents, ConsentScope scope,
                                 absl::CivilDay on);

}  // namespace ips::treatment
