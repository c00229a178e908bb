#include "services/common/resource_name.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace ips {

bool ValidResourceId(const std::string& id) {
  // "-" stands for "every" in list parents (AIP-159), so an id starts with
  // a letter or digit.
  if (id.empty() || id.size() > 64 || id[0] == '-') return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::vector<std::string>> MatchResourceName(const std::string& name,
                                                           const std::vector<std::string>& pattern,
                                                           const std::string& field) {
  std::vector<std::string> display;
  for (const auto& p : pattern) display.push_back(p.empty() ? "{id}" : p);
  auto bad = [&] {
    return errors::InvalidArgument(
        field, absl::StrCat("must be a resource name like `", absl::StrJoin(display, "/"), "`"));
  };
  if (name.empty()) return errors::InvalidArgument(field, "is required");
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != pattern.size()) return bad();
  std::vector<std::string> ids;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (pattern[i].empty()) {
      if (!ValidResourceId(parts[i])) return bad();
      ids.push_back(parts[i]);
    } else if (parts[i] != pattern[i]) {
      return bad();
    }
  }
  return ids;
}

absl::StatusOr<std::string> ParseTopLevelName(const std::string& name, const std::string& collection,
                                              const std::string& field) {
  auto ids = MatchResourceName(name, {collection, ""}, field);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

std::string LastSegment(const std::string& name) { return name.substr(name.rfind('/') + 1); }

}  // namespace ips
