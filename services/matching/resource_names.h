#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/resource_name.h"

namespace ips::matching {

// The matching service's resource names: `employers/{employer}`,
// `employers/{employer}/openings/{opening}`,
// `employers/{employer}/contacts/{contact}`, the registry's
// `citizens/{citizen}` and `consultants/{consultant}`, and
// `citizens/{citizen}/jobProfile` and `citizens/{citizen}/placements/{placement}`. Parse errors are
// INVALID_ARGUMENT naming `field` and the expected pattern.

struct ChildName {
  std::string parent_id;
  std::string id;
};

absl::StatusOr<std::string> ParseEmployerName(const std::string& name, const std::string& field);
// `employers/{employer}`, or `employers/-` (returned as "") when `allow_all`.
absl::StatusOr<std::string> ParseEmployerParent(const std::string& name, const std::string& field,
                                                bool allow_all);
absl::StatusOr<ChildName> ParseOpeningName(const std::string& name, const std::string& field);
absl::StatusOr<std::string> ParseCitizenName(const std::string& name, const std::string& field);
absl::StatusOr<std::string> ParseConsultantName(const std::string& name, const std::string& field);
// `citizens/{citizen}`, or `citizens/-` (returned as "") when `allow_all`.
absl::StatusOr<std::string> ParseCitizenParent(const std::string& name, const std::string& field,
                                               bool allow_all);
// `citizens/{citizen}/placements/{placement}` (parent_id is the citizen).
absl::StatusOr<ChildName> ParsePlacementName(const std::string& name, const std::string& field);
absl::StatusOr<std::string> ParseJobProfileName(const std::string& name, const std::string& field);

std::string EmployerName(const std::string& id);
std::string OpeningName(const std::string& employer_id, const std::string& id);
std::string ContactName(const std::string& employer_id, const std::string& id);
std::string ConsultantName(const std::string& id);
std::string JobProfileName(const std::string& citizen_id);
std::string CitizenName(const std::string& id);
std::string PlacementName(const std::string& citizen_id, const std::string& id);

}  // namespace ips::matching
