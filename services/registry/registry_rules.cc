#include "services/registry/registry_rules.h"

#include <nlohmann/json.hpp>

#include "services/common/crypto.h"
#include "services/rules/rule_book_json.h"

namespace ips::registry {

absl::StatusOr<RegistryRules> ParseRegistryRules(const std::string& json_text) {
  auto book = rules::ParseRuleBook(json_text);
  if (!book.ok()) return book.status();
  const auto doc = nlohmann::json::parse(json_text);  // parsed once already: valid
  RegistryRules out;
  for (const auto& [key, unused] : doc.items()) {
    if (key != "default_caseload_cap" && key != "versions" && key != "not_yet_known") {
      return absl::InvalidArgumentError("rules: unknown top-level key \"" + key + "\"");
    }
  }
  if (!doc.contains("default_caseload_cap") || !doc["default_caseload_cap"].is_number_integer() ||
      doc["default_caseload_cap"].get<int>() < 1 || doc["default_caseload_cap"].get<int>() > 100) {
    return absl::InvalidArgumentError("rules: default_caseload_cap must be a whole number from 1 to 100");
  }
  out.default_caseload_cap = doc["default_caseload_cap"].get<int>();
  out.book = *std::move(book);
  out.fingerprint = Sha256Hex(json_text);
  return out;
}

}  // namespace ips::registry
