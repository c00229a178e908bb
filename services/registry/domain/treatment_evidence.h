#pragma once

#include <optional>

namespace ips::registry {

// Where the answer to "is the citizen already in substance treatment?"
// came from. It is recorded on the enrolment's decision.
enum class TreatmentSource {
  kSelfDeclared,           // no treatment service configured
  kVerified,               // SOF's treatment service answered
  kUnverifiedNoConsent,    // SOF may not disclose (no consent): self-declared
  kUnverifiedUnavailable,  // SOF did not answer, configured to proceed: self-declared
};

// What asking SOF's treatment service gave.
enum class TreatmentAnswer { kNotConfigured, kInTreatment, kNotInTreatment, kNoConsent, kUnavailable };

struct TreatmentEvidence {
  bool in_treatment = false;
  TreatmentSource source = TreatmentSource::kSelfDeclared;
};

// Combines SOF's answer with the citizen's own declaration. The check never
// silently passes: an unavailable service gives nullopt (the enrolment must
// fail) unless `proceed_unverified`. A citizen who declares treatment is
// taken at their word even when SOF knows of none (treatment may be
// elsewhere); SOF knowing of treatment wins over a declaration of none.
std::optional<TreatmentEvidence> WeighTreatmentEvidence(TreatmentAnswer answer, bool self_declared,
                                                        bool proceed_unverified);

}  // namespace ips::registry
