#include "services/common/retention.h"

namespace ips {

std::optional<absl::CivilDay> RetentionEnds(const SubjectHistory& h, int retention_days) {
  if (h.open) return std::nullopt;
  return h.last_day + retention_days;
}

bool PastRetention(const SubjectHistory& h, absl::CivilDay today, int retention_days) {
  const auto ends = RetentionEnds(h, retention_days);
  return ends && today >= *ends;
}

}  // namespace ips
