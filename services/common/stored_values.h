#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <string>
#include <utility>

#include "google/type/date.pb.h"

namespace ips {

// The stored forms of values every service's tables share.

// System timestamps are stored as microseconds since the Unix epoch.
void SetTime(google::protobuf::Timestamp* t, long long micros);

// Business dates are stored as "YYYY-MM-DD" text, "" for an unset date.
std::string DateText(const google::type::Date& d);
google::type::Date DateFromText(const std::string& text);

// "v{version}", the etag of a row.
std::string EtagOf(long long version);
// The version an etag from EtagOf stands for (0 when malformed).
long long VersionOfEtag(const std::string& etag);

// Keyset cursors of lists ordered by a date then an id are "date|id".
std::string DateIdKey(const std::string& date_text, const std::string& id);
std::pair<std::string, std::string> SplitDateIdKey(const std::string& key);

}  // namespace ips
