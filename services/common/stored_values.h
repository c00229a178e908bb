#pragma once

#include <string>
#include <utility>

#include "services/common/dates.h"

namespace ips {

// The stored forms of values every service's tables share.

// (Dates and times: dates.h.)

// "v{version}", the etag of a row.
std::string EtagOf(long long version);
// The version an etag from EtagOf stands for (0 when malformed).
long long VersionOfEtag(const std::string& etag);

// Keyset cursors of lists ordered by a date then an id are "date|id".
std::string DateIdKey(const std::string& date_text, const std::string& id);
std::pair<std::string, std::string> SplitDateIdKey(const std::string& key);

}  // namespace ips
