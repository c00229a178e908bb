#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/rules/rule_book.h"

namespace ips::rules {

// Reads the rule versions from the JSON text of a rules file (its
// "versions" and "not_yet_known" members) and checks them as a whole, so a
// file is refused before anything is judged by it. Each version lists what
// changes from the one before (the first lists everything). Refused with
// INVALID_ARGUMENT naming the file's line, the version and the rule:
//   - not JSON, an unknown key, a missing or mistyped value;
//   - versions not in date order, or two taking effect on the same day;
//   - an unknown outcome, match group, benefit or district;
//   - a conversation plan whose due points lie outside its period, or a
//     match group the version admits without a plan;
//   - an announced change dated before the version it would follow.
absl::StatusOr<RuleBook> ParseRuleBook(const std::string& json_text);

}  // namespace ips::rules
