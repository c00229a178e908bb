#include "services/treatment/domain/minimal_status.h"

namespace ips::treatment {

StatusSince DeriveMinimalStatus(const std::vector<ReferralFact>& referrals,
                                const std::vector<EpisodeFact>& episodes, absl::CivilDay as_of) {
  // A running episode wins; with several, the earliest start is "since".
  std::optional<absl::CivilDay> running_since, last_end;
  for (const auto& e : episodes) {
    if (e.start > as_of) continue;
    if (!e.end || *e.end > as_of) {
      if (!running_since || e.start < *running_since) running_since = e.start;
    } else if (!last_end || *e.end > *last_end) {
      last_end = *e.end;
    }
  }
  if (running_since) return {MinimalStatus::kInTreatment, running_since};
  // A referral after the last episode ended (or with no episode) is open.
  std::optional<absl::CivilDay> open_referral;
  for (const auto& r : referrals) {
    if (r.requested > as_of) continue;
    if (last_end && r.requested <= *last_end) continue;
    if (!open_referral || r.requested < *open_referral) open_referral = r.requested;
  }
  if (open_referral) return {MinimalStatus::kReferred, open_referral};
  if (last_end) return {MinimalStatus::kEnded, last_end};
  return {MinimalStatus::kNone, std::nullopt};
}

}  // namespace ips::treatment
