#include "services/treatment/domain/disclosure_consent.h"

namespace ips::treatment {

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
