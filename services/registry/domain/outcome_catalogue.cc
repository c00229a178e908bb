#include "services/registry/domain/outcome_catalogue.h"

namespace ips::registry {

bool OutcomeAllowed(const std::vector<OutcomeCatalogue>& catalogues, absl::CivilDay course_start,
                    int outcome) {
  const OutcomeCatalogue* best = nullptr;
  for (const auto& c : catalogues) {
    if (c.effective_from <= course_start && (!best || c.effective_from > best->effective_from)) {
      best = &c;
    }
  }
  return best && best->allowed.count(outcome) > 0;
}

}  // namespace ips::registry
