#pragma once

#include <string>

namespace ips::registry {

// Record-level access (docs/architecture.md §6): a consultant works with their own
// caseload, team leads and the DPO with the whole register.
struct CaseloadScope {
  // Team lead, DPO: every citizen.
  bool whole_register = false;
  // The consultant the caller is (matched by token subject); "" when the
  // caller is not a registered consultant.
  std::string consultant_id;
};

// A consultant may work with a citizen who has no active enrolment (to find,
// register and enrol them) and with the citizens on their own caseload;
// `active_consultant_id` is the consultant of the citizen's active
// enrolment, "" when there is none.
bool MayAccessCitizen(const CaseloadScope& scope, const std::string& active_consultant_id);

}  // namespace ips::registry
