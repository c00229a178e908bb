#include "services/common/policy.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace ips {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

absl::StatusOr<std::vector<std::string>> StringList(const nlohmann::json& clause, const char* key,
                                                    const std::string& method) {
  std::vector<std::string> out;
  if (!clause.contains(key)) return out;
  const auto& list = clause[key];
  if (!list.is_array() || list.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy: ", method, ".", key, " must be a non-empty list of strings"));
  }
  for (const auto& v : list) {
    if (!v.is_string()) {
      return absl::InvalidArgumentError(absl::StrCat("policy: ", method, ".", key, " holds a non-string"));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

absl::StatusOr<Policy> Policy::Parse(const std::string& json_text) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return absl::InvalidArgumentError("policy: not a JSON object");
  if (!doc.contains("service") || !doc["service"].is_string()) {
    return absl::InvalidArgumentError("policy: `service` must name the gRPC service");
  }
  if (!doc.contains("methods") || !doc["methods"].is_object()) {
    return absl::InvalidArgumentError("policy: `methods` must be an object");
  }
  Policy policy;
  policy.service_ = doc["service"].get<std::string>();
  for (const auto& [method, clauses] : doc["methods"].items()) {
    if (!clauses.is_array()) {
      return absl::InvalidArgumentError(absl::StrCat("policy: ", method, " must be a list of clauses"));
    }
    std::vector<Clause> parsed;
    for (const auto& c : clauses) {
      if (!c.is_object())
        return absl::InvalidArgumentError(absl::StrCat("policy: ", method, " clause is not an object"));
      for (const auto& [key, unused] : c.items()) {
        if (key != "roles" && key != "agencies" && key != "services") {
          return absl::InvalidArgumentError(absl::StrCat("policy: ", method, " has unknown key ", key));
        }
      }
      Clause clause;
      auto roles = StringList(c, "roles", method);
      auto agencies = StringList(c, "agencies", method);
      auto services = StringList(c, "services", method);
      if (!roles.ok()) return roles.status();
      if (!agencies.ok()) return agencies.status();
      if (!services.ok()) return services.status();
      clause.roles = *roles;
      clause.agencies = *agencies;
      clause.services = *services;
      if (clause.roles.empty() && clause.agencies.empty() && clause.services.empty()) {
        // An empty clause would allow everyone; say so explicitly instead.
        return absl::InvalidArgumentError(absl::StrCat("policy: ", method, " has an empty clause"));
      }
      if (!clause.roles.empty() && clause.agencies.empty()) {
        // A role means nothing without the agency it is held for: a `dpo`
        // of SOF is not a DPO of BIF's registry.
        return absl::InvalidArgumentError(absl::StrCat(
            "policy: ", method, " has a clause naming roles without the agencies they hold for"));
      }
      parsed.push_back(std::move(clause));
    }
    policy.methods_[method] = std::move(parsed);
  }
  return policy;
}

bool Policy::Allows(const std::string& method, const Caller& caller) const {
  auto it = methods_.find(method);
  if (it == methods_.end()) return false;
  for (const auto& c : it->second) {
    bool role_ok = c.roles.empty() || std::any_of(caller.roles.begin(), caller.roles.end(),
                                                  [&](const std::string& r) { return Contains(c.roles, r); });
    bool agency_ok = c.agencies.empty() || Contains(c.agencies, caller.agency);
    bool service_ok = c.services.empty() || Contains(c.services, caller.service);
    if (role_ok && agency_ok && service_ok) return true;
  }
  return false;
}

}  // namespace ips
