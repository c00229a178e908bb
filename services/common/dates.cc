#include "services/common/dates.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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

void SetTime(google::protobuf::Timestamp* t, long long micros) {
  t->set_seconds(micros / 1000000);
  t->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
}

absl::CivilDay CivilDayOf(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

std::string DateText(const google::type::Date& d) {
  if (IsUnset(d)) return "";
  return FormatDay(CivilDayOf(d));
}

google::type::Date DateFromText(const std::string& text) {
  auto day = ParseDay(text);
  return day ? ToProtoDate(*day) : google::type::Date();
}

absl::CivilDay AddPeriod(absl::CivilDay from, Period period) {
  if (period.months != 0) {
    // The same day of the month `months` later, or that month's last day
    // (CivilDay would carry the 31st of a short month into the next).
    const absl::CivilMonth month = absl::CivilMonth(from) + period.months;
    const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
    from = std::min(absl::CivilDay(month.year(), month.month(), from.day()), last);
  }
  return from + period.days;
}

absl::StatusOr<Period> ParsePeriod(const std::string& text) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("`", text, "` is not a period such as \"6 months\", \"1 week\" or \"14 days\""));
  };
  std::vector<std::string> words = absl::StrSplit(text, ' ', absl::SkipEmpty());
  if (words.size() != 2) return bad();
  int n = 0;
  if (!absl::SimpleAtoi(words[0], &n) || n < 0 || n > 1200) return bad();
  const std::string& unit = words[1];
  Period p;
  if (unit == "month" || unit == "months") {
    p.months = n;
  } else if (unit == "week" || unit == "weeks") {
    p.days = 7 * n;
  } else if (unit == "day" || unit == "days") {
    p.days = n;
  } else {
    return bad();
  }
  return p;
}

std::string FormatPeriod(Period p) {
  std::vector<std::string> parts;
  if (p.months) parts.push_back(absl::StrCat(p.months, p.months == 1 ? " month" : " months"));
  if (p.days % 7 == 0 && p.days) {
    parts.push_back(absl::StrCat(p.days / 7, p.days == 7 ? " week" : " weeks"));
  } else if (p.days) {
    parts.push_back(absl::StrCat(p.days, p.days == 1 ? " day" : " days"));
  }
  return parts.empty() ? "0 days" : absl::StrJoin(parts, " ");
}

}  // namespace ips
