#include "services/registry/registry_rules.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "ips/registry/v1/citizen.pb.h"
#include "ips/registry/v1/enrollment.pb.h"
#include "services/common/dates.h"

namespace ips::registry {
namespace {

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("rules: ", what));
}

}  // namespace

absl::StatusOr<RegistryRules> ParseRegistryRules(const std::string& json_text) {
  auto doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("not a JSON object");
  RegistryRules rules;
  try {
    rules.eligibility.minimum_age = doc.at("minimum_age").get<int>();
    rules.eligibility.unemployment_limit_months = doc.at("unemployment_limit_months").get<int>();
    rules.default_caseload_cap = doc.at("default_caseload_cap").get<int>();
    if (rules.default_caseload_cap < 1 || rules.default_caseload_cap > 100) {
      return Bad("default_caseload_cap must be 1..100");
    }
    for (const auto& name : doc.at("programme_districts")) {
      v1::District d;
      if (!v1::District_Parse(name.get<std::string>(), &d)) return Bad("unknown district " + name.dump());
      rules.programme_districts.insert(d);
    }
    for (const auto& s : doc.at("conversation_schedules")) {
      auto from = ParseDay(s.at("effective_from").get<std::string>());
      if (!from) return Bad("conversation_schedules.effective_from must be YYYY-MM-DD");
      ConversationSchedule schedule{s.at("version").get<std::string>(), *from,
                                    s.at("due_offsets_days").get<std::vector<int>>()};
      for (int offset : schedule.due_offsets_days) {
        if (offset < 0 || offset > 3650) return Bad("due_offsets_days must be 0..3650");
      }
      rules.schedules.push_back(std::move(schedule));
    }
    for (const auto& c : doc.at("outcome_catalogues")) {
      auto from = ParseDay(c.at("effective_from").get<std::string>());
      if (!from) return Bad("outcome_catalogues.effective_from must be YYYY-MM-DD");
      OutcomeCatalogue catalogue{*from, {}};
      for (const auto& name : c.at("allowed")) {
        v1::CourseOutcome o;
        if (!v1::CourseOutcome_Parse(name.get<std::string>(), &o) || o == v1::COURSE_OUTCOME_UNSPECIFIED) {
          return Bad("unknown outcome " + name.dump());
        }
        catalogue.allowed.insert(o);
      }
      rules.outcomes.push_back(std::move(catalogue));
    }
  } catch (const nlohmann::json::exception& e) {
    return Bad(e.what());
  }
  if (rules.schedules.empty()) return Bad("at least one conversation schedule is required");
  if (rules.outcomes.empty()) return Bad("at least one outcome catalogue is required");
  return rules;
}

}  // namespace ips::registry
