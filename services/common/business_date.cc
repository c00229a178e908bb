#include "services/common/business_date.h"

#include "absl/strings/str_cat.h"
#include "services/common/dates.h"

namespace ips {

std::optional<absl::CivilDay> BusinessDate(const google::type::Date& date, const std::string& field,
                                           Violations& v, bool required, int days_ahead) {
  auto day = v.Date(date, field, required);
  if (!day) return std::nullopt;
  if (*day < absl::CivilDay(kEarliestYear, 1, 1)) {
    v.Add(field, absl::StrCat("must be ", kEarliestYear, "-01-01 or later"));
    return std::nullopt;
  }
  if (*day > TodayInCopenhagen() + days_ahead) {
    v.Add(field, days_ahead == 0 ? "must not be in the future"
                                 : absl::StrCat("must be at most ", days_ahead, " days ahead"));
    return std::nullopt;
  }
  return day;
}

}  // namespace ips
