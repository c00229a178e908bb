#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/resource_name.h"

namespace ips::treatment {

// The treatment service's resource names. Citizens are the registry's
// (`citizens/{citizen}`); records hang below them as
// `citizens/{citizen}/{collection}/{id}`. Parse errors are INVALID_ARGUMENT
// naming `field` and the expected pattern.

inline constexpr char kOutreachContacts[] = "outreachContacts";
inline constexpr char kReferrals[] = "referrals";
inline constexpr char kEpisodes[] = "episodes";
inline constexpr char kNotes[] = "coordinationNotes";
inline constexpr char kConsents[] = "consents";

absl::StatusOr<std::string> ParseUnitName(const std::string& name, const std::string& field);
absl::StatusOr<std::string> ParseCitizenName(const std::string& name, const std::string& field);
// `citizens/{citizen}`, or `citizens/-` (returned as "") when `allow_all`.
absl::StatusOr<std::string> ParseCitizenParent(const std::string& name, const std::string& field,
                                               bool allow_all);
// `citizens/{citizen}/treatmentStatus`: the citizen id.
absl::StatusOr<std::string> ParseTreatmentStatusName(const std::string& name, const std::string& field);

struct ChildName {
  std::string citizen_id;
  std::string id;
};
absl::StatusOr<ChildName> ParseChildName(const std::string& name, const std::string& collection,
                                         const std::string& field);

std::string UnitName(const std::string& id);
std::string CitizenName(const std::string& id);
std::string ChildNameOf(const std::string& citizen_id, const std::string& collection, const std::string& id);
std::string TreatmentStatusName(const std::string& citizen_id);

}  // namespace ips::treatment
