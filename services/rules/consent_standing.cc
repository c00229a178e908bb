#include "services/rules/consent_standing.h"

namespace ips::rules {

ConsentStanding StandingOn(const ConsentPeriod& c, absl::CivilDay on) {
  // Withdrawal wins over everything: from that day nothing is covered.
  if (c.withdrawn && *c.withdrawn <= on) return ConsentStanding::kWithdrawn;
  if (on < c.given) return ConsentStanding::kNotYetValid;
  if (c.expiry < on) return ConsentStanding::kExpired;
  return ConsentStanding::kActive;
}

}  // namespace ips::rules
