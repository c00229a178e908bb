#include "services/common/dates.h"

#include "absl/strings/str_format.h"
#include "services/common/errors.h"

namespace ips {

bool IsUnset(const google::type::Date& d) { return d.year() == 0 && d.month() == 0 && d.day() == 0; }

absl::StatusOr<absl::CivilDay> ToCivilDay(const google::type::Date& d, const std::string& field) {
  if (IsUnset(d)) return errors::InvalidArgument(field, "is required");
  if (d.year() < 1900 || d.year() > 2200 || d.month() < 1 || d.month() > 12 || d.day() < 1 || d.day() > 31) {
    return errors::InvalidArgument(field, "must be a complete date between 1900 and 2200");
  }
  absl::CivilDay day(d.year(), d.month(), d.day());
  // CivilDay normalises 2023-02-30 to 2023-03-02; a normalised date is not real.
  if (day.year() != d.year() || day.month() != d.month() || day.day() != d.day()) {
    return errors::InvalidArgument(field, "is not a real calendar date");
  }
  return day;
}

google::type::Date ToProtoDate(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int32_t>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (text.empty() || !absl::ParseCivilTime(text, &day)) return std::nullopt;
  return day;
}

absl::CivilDay DayInCopenhagen(absl::Time t) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/Copenhagen", &tz)) tz = absl::FixedTimeZone(3600);
  return absl::ToCivilDay(t, tz);
}

absl::CivilDay TodayInCopenhagen() { return DayInCopenhagen(absl::Now()); }

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

}  // namespace ips
