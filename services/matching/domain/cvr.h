#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ips::matching {

// A CVR number (Det Centrale Virksomhedsregister) identifies a Danish
// company: 8 digits, the first not 0, passing the modulus-11 check with
// weights 2, 7, 6, 5, 4, 3, 2, 1. Accepted written as "12345678",
// "1234 5678", "12 34 56 78" or with a "DK" prefix (as on invoices).
// Returns the 8 digits, or INVALID_ARGUMENT saying which rule failed.
absl::StatusOr<std::string> ParseCvr(absl::string_view text);

}  // namespace ips::matching
