#include "services/registry/domain/caseload_scope.h"

namespace ips::registry {

bool MayAccessCitizen(const CaseloadScope& scope, const std::string& active_consultant_id) {
  if (scope.whole_register) return true;
  if (active_consultant_id.empty()) return true;
  return !scope.consultant_id.empty() && scope.consultant_id == active_consultant_id;
}

}  // namespace ips::registry
