#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/reporting/domain/fidelity_scale.h"

namespace ips::reporting {

// Reads the fidelity scale from its JSON text (fidelity_scale.json, or the
// file --fidelity_scale names): "edition", "bands" {exemplary_from,
// good_from, fair_from} and 25 "items", each {number, title} and, for the
// items the data answer, {measure, better: "higher"|"lower", bounds: four
// numbers for the scores 2..5, source: "scale, checked" | "scale, not yet
// checked" | "configured", reference}. Refused with INVALID_ARGUMENT naming
// the item and the rule: not JSON, an unknown key, a missing or mistyped
// value, or a scale ValidateScale refuses.
absl::StatusOr<FidelityScale> ParseFidelityScale(const std::string& json_text);

// The words the JSON uses for a source, for the review's answer.
std::string SourceName(AnchorSource source);

}  // namespace ips::reporting
