#include "services/treatment/domain/disclosure_consent.h"

namespace ips::treatment {

ConsentStanding StandingOn(const ConsentFact& c, absl::CivilDay on) {
  return rules::StandingOn({c.given, c.expiry, c.withdrawn}, on);
}

ConsentDecision DecideDisclosure(const std::vector<ConsentFact>& consents, ConsentScope scope,
                                 absl::CivilDay on) {
  if (consents.empty()) return ConsentDecision::kNoConsent;
  const ConsentFact* latest = nullptr;
  for (const auto& c : consents) {
    if (c.scope != scope) continue;
    if (StandingOn(c, on) == ConsentStanding::kActive) return ConsentDecision::kAllowed;
    if (!latest || c.given > latest->given) latest = &c;
  }
  if (!latest) return ConsentDecision::kWrongScope;
  switch (StandingOn(*latest, on)) {
    case ConsentStanding::kWithdrawn:
      return ConsentDecision::kWithdrawn;
    case ConsentStanding::kNotYetValid:
      return ConsentDecision::kNotYetGiven;
    default:
      return ConsentDecision::kExpired;
  }
}

}  // namespace ips::treatment
