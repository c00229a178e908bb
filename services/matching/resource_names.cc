#include "services/matching/resource_names.h"

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"

namespace ips::matching {

absl::StatusOr<std::string> ParseEmployerName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "employers", field);
}

absl::StatusOr<std::string> ParseEmployerParent(const std::string& name, const std::string& field,
                                                bool allow_all) {
  if (allow_all && name == "employers/-") return std::string();
  return ParseEmployerName(name, field);
}

absl::StatusOr<ChildName> ParseOpeningName(const std::string& name, const std::string& field) {
  auto ids = MatchResourceName(name, {"employers", "", "openings", ""}, field);
  if (!ids.ok()) return ids.status();
  return ChildName{(*ids)[0], (*ids)[1]};
}

absl::StatusOr<std::string> ParseCitizenName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "citizens", field);
}

absl::StatusOr<std::string> ParseConsultantName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "consultants", field);
}

absl::StatusOr<std::string> ParseCitizenParent(const std::string& name, const std::string& field,
                                               bool allow_all) {
  if (allow_all && name == "citizens/-") return std::string();
  return ParseCitizenName(name, field);
}

absl::StatusOr<ChildName> ParsePlacementName(const std::string& name, const std::string& field) {
  auto ids = MatchResourceName(name, {"citizens", "", "placements", ""}, field);
  if (!ids.ok()) return ids.status();
  return ChildName{(*ids)[0], (*ids)[1]};
}

absl::StatusOr<std::string> ParseJobProfileName(const std::string& name, const std::string& field) {
  auto ids = MatchResourceName(name, {"citizens", "", "jobProfile"}, field);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

std::string EmployerName(const std::string& id) { return absl::StrCat("employers/", id); }
std::string OpeningName(const std::string& employer_id, const std::string& id) {
  return absl::StrCat("employers/", employer_id, "/openings/", id);
}
std::string ContactName(const std::string& employer_id, const std::string& id) {
  return absl::StrCat("employers/", employer_id, "/contacts/", id);
}
std::string ConsultantName(const std::string& id) { return absl::StrCat("consultants/", id); }
std::string JobProfileName(const std::string& citizen_id) {
  return absl::StrCat("citizens/", citizen_id, "/jobProfile");
}

std::string CitizenName(const std::string& id) { return absl::StrCat("citizens/", id); }
std::string PlacementName(const std::string& citizen_id, const std::string& id) {
  return absl::StrCat("citizens/", citizen_id, "/placements/", id);
}

}  // namespace ips::matching
