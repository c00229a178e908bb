#include "services/treatment/domain/disclosure_consent.h"

namespace ips::treatment {

ConsentStanding StandingOn(const ConsentFact& c, absl::CivilDay on) {
  // Withdrawal wins over everything: from that day nothing is covered.
  if (c.withdrawn && *c.withdrawn <= on) return ConsentStanding::kWithdrawn;
  if (on < c.given) return ConsentStanding::kNotYetValid;
  if (c.expiry < on) return ConsentStanding::kExpired;
  return ConsentStanding::kActive;
}

ConsentDecision DecideDisclosure(const std::vector<ConsentFact>& consents, ConsentScope scope,
                                 absl::CivilDay on) {
  if (consents.empty()) return ConsentDecision::kNoConsent;
  const ConsentFact* latest = nullptr;
  for (const auto& c : consents) {
    if (c.scope != scope) continue;
    const bool withdrawn = c.withdrawn && *c.withdrawn <= on;
    if (c.given <= on && on <= c.expiry && !withdrawn) return ConsentDecision::kAllowed;
    if (!latest || c.given > latest->given) latest = &c;
  }
  if (!latest) return ConsentDecision::kWrongScope;
  if (latest->withdrawn && *latest->withdrawn <= on) return ConsentDecision::kWithdrawn;
  if (on < latest->given) return ConsentDecision::kNotYetGiven;
  return ConsentDecision::kExpired;
}

}  // namespace ips::treatment
