#include "services/common/database_url.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace ips {

absl::StatusOr<std::string> PostgresConnInfo(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return absl::InvalidArgumentError("db: not a URL");
  std::string rest = url.substr(scheme + 3);
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string dbname;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    dbname = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string user, password;
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    user = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (auto colon = user.find(':'); colon != std::string::npos) {
      password = user.substr(colon + 1);
      user = user.substr(0, colon);
    }
  }
  std::string host = rest, port;
  if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  // Values are quoted for libpq; quotes and backslashes inside are escaped.
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\\' || c == '\'') out.push_back('\\');
      out.push_back(c);
    }
    return out + "'";
  };
  std::string info;
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) absl::StrAppend(&info, info.empty() ? "" : " ", key, "=", quote(value));
  };
  add("host", host);
  add("port", port);
  add("user", user);
  add("password", password);
  add("dbname", dbname);
  for (absl::string_view kv : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    auto eq = kv.find('=');
    if (eq == absl::string_view::npos) return absl::InvalidArgumentError("db: malformed URL query");
    add(std::string(kv.substr(0, eq)).c_str(), std::string(kv.substr(eq + 1)));
  }
  return info;
}

std::string WithoutPassword(const std::string& url) {
  std::string out = url;
  const auto scheme = out.find("://");
  const auto at = out.find('@', scheme == std::string::npos ? 0 : scheme);
  if (scheme != std::string::npos && at != std::string::npos) {
    const auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  if (auto p = out.find("password="); p != std::string::npos) {
    const auto end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

}  // namespace ips
