#pragma once

#include <optional>
#include <string>

#include "services/reporting/domain/kpi_formulas.h"

namespace ips::reporting {

// A share as published: hidden when its numerator, its complement or its
// base is a small count (suppression.h); the percent only when shown.
struct Shown {
  std::string text;
  bool suppressed = false;
  std::optional<double> percent;
};
Shown ShowShare(const Share& share, long long threshold);

// A count as published: "<threshold" from 1 to threshold - 1.
std::string ShowPlain(long long count, long long threshold);

}  // namespace ips::reporting
