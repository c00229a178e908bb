#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ips {

// Resource names (AIP-122) such as `citizens/{citizen}/referrals/{referral}`.
// Ids are lowercase letters, digits and dashes, at most 64 characters, not
// starting with a dash.
bool ValidResourceId(const std::string& id);

// Splits `name` by '/' and checks it against `pattern`, where an empty
// segment stands for an id; returns the ids in order. Errors are
// INVALID_ARGUMENT on `field` showing the expected pattern.
absl::StatusOr<std::vector<std::string>> MatchResourceName(const std::string& name,
                                                           const std::vector<std::string>& pattern,
                                                           const std::string& field);

// The id of a top-level resource `{collection}/{id}`, e.g. "citizens/abc".
absl::StatusOr<std::string> ParseTopLevelName(const std::string& name, const std::string& collection,
                                              const std::string& field);

// The id at the end of a resource name ("citizens/abc" -> "abc").
std::string LastSegment(const std::string& name);

}  // namespace ips
