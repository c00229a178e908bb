#include "services/registry/resource_names.h"

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"

namespace ips::registry {

absl::StatusOr<std::string> ParseCitizenName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "citizens", field);
}

absl::StatusOr<std::string> ParseConsultantName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "consultants", field);
}

absl::StatusOr<EnrollmentName> ParseEnrollmentName(const std::string& name, const std::string& field) {
  auto ids = MatchResourceName(name, {"citizens", "", "enrollments", ""}, field);
  if (!ids.ok()) return ids.status();
  return EnrollmentName{(*ids)[0], (*ids)[1]};
}

absl::StatusOr<EnrollmentChildName> ParseEnrollmentChildName(const std::string& name,
                                                             const std::string& collection,
                                                             const std::string& field) {
  auto ids = MatchResourceName(name, {"citizens", "", "enrollments", "", collection, ""}, field);
  if (!ids.ok()) return ids.status();
  return EnrollmentChildName{{(*ids)[0], (*ids)[1]}, (*ids)[2]};
}

absl::StatusOr<ConsentName> ParseConsentName(const std::string& name, const std::string& field) {
  auto ids = MatchResourceName(name, {"citizens", "", "consents", ""}, field);
  if (!ids.ok()) return ids.status();
  return ConsentName{(*ids)[0], (*ids)[1]};
}

std::string CitizenName(const std::string& id) { return absl::StrCat("citizens/", id); }
std::string ConsultantName(const std::string& id) { return absl::StrCat("consultants/", id); }
std::string EnrollmentNameOf(const std::string& citizen_id, const std::string& enrollment_id) {
  return absl::StrCat("citizens/", citizen_id, "/enrollments/", enrollment_id);
}

}  // namespace ips::registry
