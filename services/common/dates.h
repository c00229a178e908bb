#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/type/date.pb.h"

namespace ips {

// The one date library of the suite. Business dates are civil days (no time
// zone); the wire form is google.type.Date and the stored form is
// "YYYY-MM-DD" text, which sorts and compares correctly in both SQLite and
// PostgreSQL. System times are microseconds since the Unix epoch.

// The earliest business date any service takes: the programme's records
// begin in 2015.
inline constexpr absl::CivilDay kEarliestBusinessDay{2015, 1, 1};

// True when the date is entirely unset (0-0-0), i.e. "not given".
bool IsUnset(const google::type::Date& d);

// Parses a complete, real calendar date; `field` names it in the error.
absl::StatusOr<absl::CivilDay> ToCivilDay(const google::type::Date& d, const std::string& field);

google::type::Date ToProtoDate(absl::CivilDay day);
// A date already known to be real (a stored or validated one).
absl::CivilDay CivilDayOf(const google::type::Date& d);

// The stored form of business dates: "YYYY-MM-DD", "" for an unset date.
std::string DateText(const google::type::Date& d);
google::type::Date DateFromText(const std::string& text);

std::string FormatDay(absl::CivilDay day);
std::optional<absl::CivilDay> ParseDay(const std::string& text);

// Today in Copenhagen, the programme's time zone.
absl::CivilDay TodayInCopenhagen();
// The day `t` falls on in Copenhagen.
absl::CivilDay DayInCopenhagen(absl::Time t);

// Microseconds since the Unix epoch, the stored form of system timestamps.
int64_t NowMicros();
void SetTime(google::protobuf::Timestamp* t, long long micros);

// A period as the law words one: months are calendar months, weeks are 7
// days. `days` holds weeks too.
struct Period {
  int months = 0;
  int days = 0;
  bool operator==(const Period&) const = default;
};

// The day a period from `from` ends: months first, clamped to the month's
// last day (31 January + 1 month = 28 or 29 February), then days. A
// deadline "within" the period falls on that day: a course started on 26
// October has its six months end on 26 April.
absl::CivilDay AddPeriod(absl::CivilDay from, Period period);

// "6 months", "1 week", "14 days" (singular or plural); INVALID_ARGUMENT
// otherwise.
absl::StatusOr<Period> ParsePeriod(const std::string& text);
// "6 months", "1 week", "2 months 3 days".
std::string FormatPeriod(Period period);

}  // namespace ips
