#include "services/common/stored_values.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/dates.h"

namespace ips {

std::string EtagOf(long long version) { return absl::StrCat("v", version); }

long long VersionOfEtag(const std::string& etag) {
  long long version = 0;
  if (etag.size() < 2 || !absl::SimpleAtoi(etag.substr(1), &version)) return 0;
  return version;
}

std::string DateIdKey(const std::string& date_text, const std::string& id) {
  return absl::StrCat(date_text, "|", id);
}

std::pair<std::string, std::string> SplitDateIdKey(const std::string& key) {
  std::pair<std::string, std::string> out;
  auto bar = key.find('|');
  if (bar != std::string::npos) out = {key.substr(0, bar), key.substr(bar + 1)};
  return out;
}

}  // namespace ips
