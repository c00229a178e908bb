#include "services/treatment/domain/treatment_guarantee.h"

namespace ips::treatment {

absl::CivilDay GuaranteeDeadline(absl::CivilDay requested, const GuaranteeConfig& config) {
  return requested + config.days;
}

GuaranteeState EvaluateGuarantee(absl::CivilDay requested, std::optional<absl::CivilDay> offered,
                                 absl::CivilDay as_of, const GuaranteeConfig& config) {
  const absl::CivilDay deadline = GuaranteeDeadline(requested, config);
  if (offered) return *offered <= deadline ? GuaranteeState::kMet : GuaranteeState::kMissed;
  if (as_of > deadline) return GuaranteeState::kOverdue;
  if (deadline - as_of <= config.warn_days) return GuaranteeState::kDueSoon;
  return GuaranteeState::kOpen;
}

}  // namespace ips::treatment
