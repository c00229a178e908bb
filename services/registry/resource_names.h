#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/resource_name.h"

namespace ips::registry {

// Parsing and formatting of the registry's resource names. Parse errors are
// INVALID_ARGUMENT naming `field` and the expected pattern.

absl::StatusOr<std::string> ParseCitizenName(const std::string& name, const std::string& field);
absl::StatusOr<std::string> ParseConsultantName(const std::string& name, const std::string& field);

struct EnrollmentName {
  std::string citizen_id;
  std::string enrollment_id;
};
absl::StatusOr<EnrollmentName> ParseEnrollmentName(const std::string& name, const std::string& field);

// `citizens/{c}/enrollments/{e}/{collection}/{id}`: the enrolment and the child id.
struct EnrollmentChildName {
  EnrollmentName enrollment;
  std::string id;
};
absl::StatusOr<EnrollmentChildName> ParseEnrollmentChildName(const std::string& name,
                                                             const std::string& collection,
                                                             const std::string& field);

struct ConsentName {
  std::string citizen_id;
  std::string consent_id;
};
absl::StatusOr<ConsentName> ParseConsentName(const std::string& name, const std::string& field);

std::string CitizenName(const std::string& id);
std::string ConsultantName(const std::string& id);
std::string EnrollmentNameOf(const std::string& citizen_id, const std::string& enrollment_id);

}  // namespace ips::registry
