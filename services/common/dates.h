#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/type/date.pb.h"

namespace ips {

// Business dates are civil days (no time zone); the wire form is
// google.type.Date and the stored form is "YYYY-MM-DD" text, which sorts
// and compares correctly in both SQLite and PostgreSQL.

// True when the date is entirely unset (0-0-0), i.e. "not given".
bool IsUnset(const google::type::Date& d);

// Parses a complete, real calendar date; `field` names it in the error.
absl::StatusOr<absl::CivilDay> ToCivilDay(const google::type::Date& d, const std::string& field);

google::type::Date ToProtoDate(absl::CivilDay day);

std::string FormatDay(absl::CivilDay day);
std::optional<absl::CivilDay> ParseDay(const std::string& text);

// Today in Copenhagen, the programme's time zone.
absl::CivilDay TodayInCopenhagen();
// The day `t` falls on in Copenhagen.
absl::CivilDay DayInCopenhagen(absl::Time t);

// Microseconds since the Unix epoch, the stored form of system timestamps.
int64_t NowMicros();

}  // namespace ips
