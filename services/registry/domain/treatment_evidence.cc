#include "services/registry/domain/treatment_evidence.h"

namespace ips::registry {

std::optional<TreatmentEvidence> WeighTreatmentEvidence(TreatmentAnswer answer, bool self_declared,
                                                        bool proceed_unverified) {
  switch (answer) {
    case TreatmentAnswer::kNotConfigured:
      return TreatmentEvidence{self_declared, TreatmentSource::kSelfDeclared};
    case TreatmentAnswer::kInTreatment:
      return TreatmentEvidence{true, TreatmentSource::kVerified};
    case TreatmentAnswer::kNotInTreatment:
      return TreatmentEvidence{self_declared, TreatmentSource::kVerified};
    case TreatmentAnswer::kNoConsent:
      return TreatmentEvidence{self_declared, TreatmentSource::kUnverifiedNoConsent};
    case TreatmentAnswer::kUnavailable:
      if (!proceed_unverified) return std::nullopt;
      return TreatmentEvidence{self_declared, TreatmentSource::kUnverifiedUnavailable};
  }
  return std::nullopt;
}

}  // namespace ips::registry
