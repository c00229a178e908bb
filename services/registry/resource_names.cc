#include "services/registry/resource_names.h"

#include <cctype>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace ips::registry {
namespace {

// Ids are issued by the registry: lowercase letters, digits and dashes.
bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

// Splits `name` by '/' and checks it against `pattern` ({} marks an id).
absl::StatusOr<std::vector<std::string>> Match(const std::string& name,
                                               const std::vector<std::string>& pattern,
                                               const std::string& field) {
  std::vector<std::string> display;
  for (const auto& p : pattern) display.push_back(p.empty() ? "{id}" : p);
  auto bad = [&] {
    return errors::InvalidArgument(
        field, absl::StrCat("must be a resource name like `", absl::StrJoin(display, "/"), "`"));
  };
  if (name.empty()) return errors::InvalidArgument(field, "is required");
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != pattern.size()) return bad();
  std::vector<std::string> ids;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (pattern[i].empty()) {
      if (!ValidId(parts[i])) return bad();
      ids.push_back(parts[i]);
    } else if (parts[i] != pattern[i]) {
      return bad();
    }
  }
  return ids;
}

}  // namespace

absl::StatusOr<std::string> ParseCitizenName(const std::string& name, const std::string& field) {
  auto ids = Match(name, {"citizens", ""}, field);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

absl::StatusOr<std::string> ParseConsultantName(const std::string& name, const std::string& field) {
  auto ids = Match(name, {"consultants", ""}, field);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

absl::StatusOr<EnrollmentName> ParseEnrollmentName(const std::string& name, const std::string& field) {
  auto ids = Match(name, {"citizens", "", "enrollments", ""}, field);
  if (!ids.ok()) return ids.status();
  return EnrollmentName{(*ids)[0], (*ids)[1]};
}

absl::StatusOr<EnrollmentChildName> ParseEnrollmentChildName(const std::string& name,
                                                             const std::string& collection,
                                                             const std::string& field) {
  auto ids = Match(name, {"citizens", "", "enrollments", "", collection, ""}, field);
  if (!ids.ok()) return ids.status();
  return EnrollmentChildName{{(*ids)[0], (*ids)[1]}, (*ids)[2]};
}

absl::StatusOr<ConsentName> ParseConsentName(const std::string& name, const std::string& field) {
  auto ids = Match(name, {"citizens", "", "consents", ""}, field);
  if (!ids.ok()) return ids.status();
  return ConsentName{(*ids)[0], (*ids)[1]};
}

std::string LastSegment(const std::string& name) { return name.substr(name.rfind('/') + 1); }

std::string CitizenName(const std::string& id) { return absl::StrCat("citizens/", id); }
std::string ConsultantName(const std::string& id) { return absl::StrCat("consultants/", id); }
std::string EnrollmentNameOf(const std::string& citizen_id, const std::string& enrollment_id) {
  return absl::StrCat("citizens/", citizen_id, "/enrollments/", enrollment_id);
}

}  // namespace ips::registry
