#pragma once

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"
#include "services/common/violations.h"

namespace ips {

// Business dates are registered after the fact, so most may not lie in the
// future; none may lie before the programme's records begin (2015).
inline constexpr int kEarliestYear = 2015;

// A real date from 2015-01-01 up to `days_ahead` days after today in
// Copenhagen; nullopt (with a violation unless unset and optional) otherwise.
std::optional<absl::CivilDay> BusinessDate(const google::type::Date& date, const std::string& field,
                                           Violations& v, bool required, int days_ahead = 0);

}  // namespace ips
