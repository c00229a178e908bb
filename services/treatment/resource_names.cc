#include "services/treatment/resource_names.h"

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"

namespace ips::treatment {

absl::StatusOr<std::string> ParseUnitName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "units", field);
}

absl::StatusOr<std::string> ParseCitizenName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "citizens", field);
}

absl::StatusOr<std::string> ParseCitizenParent(const std::string& name, const std::string& field,
                                               bool allow_all) {
  if (allow_all && name == "citizens/-") return std::string();
  return ParseCitizenName(name, field);
}

absl::StatusOr<std::string> ParseTreatmentStatusName(const std::string& name, const std::string& field) {
  auto ids = MatchResourceName(name, {"citizens", "", "treatmentStatus"}, field);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

absl::StatusOr<ChildName> ParseChildName(const std::string& name, const std::string& collection,
                                         const std::string& field) {
  auto ids = MatchResourceName(name, {"citizens", "", collection, ""}, field);
  if (!ids.ok()) return ids.status();
  return ChildName{(*ids)[0], (*ids)[1]};
}

std::string UnitName(const std::string& id) { return absl::StrCat("units/", id); }
std::string CitizenName(const std::string& id) { return absl::StrCat("citizens/", id); }
std::string ChildNameOf(const std::string& citizen_id, const std::string& collection, const std::string& id) {
  return absl::StrCat("citizens/", citizen_id, "/", collection, "/", id);
}
std::string TreatmentStatusName(const std::string& citizen_id) {
  return absl::StrCat("citizens/", citizen_id, "/treatmentStatus");
}

}  // namespace ips::treatment
