#include "services/rules/rule_book_json.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ips/registry/v1/citizen.pb.h"
#include "ips/registry/v1/enrollment.pb.h"
#include "services/common/status_macros.h"

namespace ips::rules {
namespace {

using nlohmann::json;

// The 1-based line of the `n`th (0-based) occurrence of `needle`, or 1.
int LineOf(const std::string& text, const std::string& needle, int n) {
  size_t at = std::string::npos;
  for (int i = 0; i <= n; ++i) {
    at = text.find(needle, at == std::string::npos ? 0 : at + 1);
    if (at == std::string::npos) return 1;
  }
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// What went wrong where, for the error.
struct Place {
  int line = 1;
  std::string what;  // "version LAB-2019" or "not_yet_known 1"
};

absl::Status Bad(const Place& at, const std::string& rule) {
  return absl::InvalidArgumentError(absl::StrCat("rules line ", at.line, ", ", at.what, ": ", rule));
}

absl::Status OnlyKeys(const json& object, const std::set<std::string>& keys, const Place& at) {
  for (const auto& [key, unused] : object.items()) {
    if (!keys.count(key))
      return Bad(at, absl::StrCat("unknown key \"", key, "\" (allowed: ", absl::StrJoin(keys, ", "), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilDay> Day(const json& value, const std::string& key, const Place& at) {
  if (!value.is_string()) return Bad(at, key + " must be a date YYYY-MM-DD");
  auto day = ParseDay(value.get<std::string>());
  if (!day || FormatDay(*day) != value.get<std::string>())
    return Bad(at, key + " must be a real date YYYY-MM-DD");
  return *day;
}

absl::StatusOr<std::string> Text(const json& value, const std::string& key, const Place& at) {
  if (!value.is_string() || value.get<std::string>().empty())
    return Bad(at, key + " must be a non-empty string");
  return value.get<std::string>();
}

absl::StatusOr<int> Int(const json& value, const std::string& key, int lo, int hi, const Place& at) {
  if (!value.is_number_integer() || value.get<long long>() < lo || value.get<long long>() > hi) {
    return Bad(at, absl::StrCat(key, " must be a whole number from ", lo, " to ", hi));
  }
  return value.get<int>();
}

absl::StatusOr<MatchGroup> GroupNamed(const std::string& name, const std::string& key, const Place& at) {
  if (name == "ACTIVITY_READY") return MatchGroup::kActivityReady;
  if (name == "JOB_READY") return MatchGroup::kJobReady;
  return Bad(at, absl::StrCat(key, ": unknown match group \"", name, "\" (ACTIVITY_READY, JOB_READY)"));
}

// A non-empty list of names of a proto enum (not its zero value).
template <typename Parse>
absl::StatusOr<std::set<int>> EnumNames(const json& value, const std::string& key, const char* kind,
                                        Parse parse, const Place& at) {
  if (!value.is_array() || value.empty()) return Bad(at, key + " must be a non-empty list");
  std::set<int> out;
  for (const auto& v : value) {
    int number = 0;
    if (!v.is_string() || !parse(v.get<std::string>(), &number) || number == 0) {
      return Bad(at, absl::StrCat(key, ": unknown ", kind, " ", v.dump()));
    }
    out.insert(number);
  }
  return out;
}

bool ParseBenefit(const std::string& s, int* n) {
  registry::v1::BenefitType e;
  return registry::v1::BenefitType_Parse(s, &e) && (*n = e, true);
}
bool ParseDistrict(const std::string& s, int* n) {
  registry::v1::District e;
  return registry::v1::District_Parse(s, &e) && (*n = e, true);
}
bool ParseOutcome(const std::string& s, int* n) {
  registry::v1::CourseOutcome e;
  return registry::v1::CourseOutcome_Parse(s, &e) && (*n = e, true);
}

absl::Status ReadEntry(const json& j, EntryCriteria& entry, const Place& at) {
  if (!j.is_object()) return Bad(at, "entry must be an object");
  IPS_RETURN_IF_ERROR(OnlyKeys(
      j, {"minimum_age", "unemployment_limit_months", "match_groups", "benefits", "programme_districts"},
      at));
  if (j.contains("minimum_age")) {
    IPS_ASSIGN_OR_RETURN(entry.minimum_age, Int(j["minimum_age"], "entry.minimum_age", 15, 100, at));
  }
  if (j.contains("unemployment_limit_months")) {
    IPS_ASSIGN_OR_RETURN(entry.unemployment_limit_months,
                         Int(j["unemployment_limit_months"], "entry.unemployment_limit_months", 1, 1200, at));
  }
  if (j.contains("match_groups")) {
    const auto& list = j["match_groups"];
    if (!list.is_array() || list.empty()) return Bad(at, "entry.match_groups must be a non-empty list");
    entry.match_groups.clear();
    for (const auto& g : list) {
      IPS_ASSIGN_OR_RETURN(
          auto group, GroupNamed(g.is_string() ? g.get<std::string>() : g.dump(), "entry.match_groups", at));
      entry.match_groups.insert(group);
    }
  }
  if (j.contains("benefits")) {
    IPS_ASSIGN_OR_RETURN(entry.benefits,
                         EnumNames(j["benefits"], "entry.benefits", "benefit", ParseBenefit, at));
  }
  if (j.contains("programme_districts")) {
    IPS_ASSIGN_OR_RETURN(entry.districts, EnumNames(j["programme_districts"], "entry.programme_districts",
                                                    "district", ParseDistrict, at));
  }
  return absl::OkStatus();
}

absl::StatusOr<Period> PeriodOf(const json& value, const std::string& key, const Place& at) {
  if (!value.is_string()) return Bad(at, key + " must be a period such as \"6 months\"");
  auto p = ParsePeriod(value.get<std::string>());
  if (!p.ok()) return Bad(at, absl::StrCat(key, ": ", p.status().message()));
  return *p;
}

// True when `inner` from any start ends on or before `outer` from it (a
// period of months and one of days compare differently by month, so every
// start of a leap year and the next is tried).
bool Within(Period inner, Period outer) {
  for (absl::CivilDay d(2024, 1, 1); d < absl::CivilDay(2026, 1, 1); ++d) {
    if (AddPeriod(d, inner) > AddPeriod(d, outer)) return false;
  }
  return true;
}

absl::StatusOr<ConversationPlan> ReadPlan(const json& j, const std::string& key, const Place& at) {
  if (!j.is_object()) return Bad(at, key + " must be an object");
  IPS_RETURN_IF_ERROR(OnlyKeys(j, {"period", "due", "basis"}, at));
  ConversationPlan plan;
  if (!j.contains("period") || !j.contains("due") || !j.contains("basis")) {
    return Bad(at, key + " needs period, due and basis");
  }
  IPS_ASSIGN_OR_RETURN(auto period, PeriodOf(j["period"], key + ".period", at));
  if (period == Period{}) return Bad(at, key + ".period must be longer than 0 days");
  plan.period = period;
  IPS_ASSIGN_OR_RETURN(plan.basis, Text(j["basis"], key + ".basis", at));
  if (!j["due"].is_array() || j["due"].empty()) return Bad(at, key + ".due must be a non-empty list");
  for (const auto& d : j["due"]) {
    IPS_ASSIGN_OR_RETURN(auto due, PeriodOf(d, key + ".due", at));
    if (!Within(due, plan.period)) {
      return Bad(at, absl::StrCat(key, ".due: ", FormatPeriod(due), " lies outside the plan's period of ",
                                  FormatPeriod(plan.period)));
    }
    if (!plan.due.empty() && !Within(plan.due.back(), due)) {
      return Bad(at, absl::StrCat(key, ".due must be in order (", FormatPeriod(due), " comes before ",
                                  FormatPeriod(plan.due.back()), ")"));
    }
    plan.due.push_back(due);
  }
  return plan;
}

absl::Status ReadVersion(const json& j, RuleVersion& v, bool first, const Place& at) {
  if (!j.is_object()) return Bad(at, "a version must be an object");
  IPS_RETURN_IF_ERROR(
      OnlyKeys(j, {"id", "effective_from", "source", "entry", "conversation_plans", "outcomes"}, at));
  for (const char* key : {"id", "effective_from", "source"}) {
    if (!j.contains(key)) return Bad(at, absl::StrCat("needs ", key));
  }
  if (first) {
    for (const char* key : {"entry", "conversation_plans", "outcomes"}) {
      if (!j.contains(key))
        return Bad(at, absl::StrCat("the first version needs ", key, " (later ones inherit it)"));
    }
  }
  IPS_ASSIGN_OR_RETURN(v.id, Text(j["id"], "id", at));
  IPS_ASSIGN_OR_RETURN(v.effective_from, Day(j["effective_from"], "effective_from", at));
  IPS_ASSIGN_OR_RETURN(v.source, Text(j["source"], "source", at));
  if (j.contains("entry")) {
    IPS_RETURN_IF_ERROR(ReadEntry(j["entry"], v.entry, at));
  }
  if (j.contains("conversation_plans")) {
    const auto& plans = j["conversation_plans"];
    if (!plans.is_object() || plans.empty()) return Bad(at, "conversation_plans must be a non-empty object");
    v.plans.clear();
    for (const auto& [group_name, plan_json] : plans.items()) {
      IPS_ASSIGN_OR_RETURN(auto group, GroupNamed(group_name, "conversation_plans", at));
      IPS_ASSIGN_OR_RETURN(v.plans[group], ReadPlan(plan_json, "conversation_plans." + group_name, at));
    }
  }
  if (j.contains("outcomes")) {
    IPS_ASSIGN_OR_RETURN(v.outcomes, EnumNames(j["outcomes"], "outcomes", "outcome", ParseOutcome, at));
  }
  for (MatchGroup g : v.entry.match_groups) {
    if (!v.plans.count(g)) {
      return Bad(
          at, absl::StrCat("admits match group ", MatchGroupName(g), " but has no conversation plan for it"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RuleBook> ParseRuleBook(const std::string& text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat("rules: not JSON: ", e.what()));
  }
  const Place top{1, "the file"};
  if (!doc.is_object()) return Bad(top, "must be a JSON object");
  if (!doc.contains("versions") || !doc["versions"].is_array() || doc["versions"].empty()) {
    return Bad(top, "needs \"versions\", a non-empty list of rule versions");
  }
  RuleBook book;
  std::set<std::string> ids;
  int n = 0;
  for (const auto& j : doc["versions"]) {
    RuleVersion v = book.versions.empty() ? RuleVersion{} : book.versions.back();
    Place at{LineOf(text, "\"id\"", n), absl::StrCat("version ", n + 1)};
    if (j.is_object() && j.contains("id") && j["id"].is_string())
      at.what = "version " + j["id"].get<std::string>();
    IPS_RETURN_IF_ERROR(ReadVersion(j, v, book.versions.empty(), at));
    if (!ids.insert(v.id).second) return Bad(at, "another version has the same id");
    if (!book.versions.empty() && v.effective_from <= book.versions.back().effective_from) {
      return Bad(at, absl::StrCat("takes effect on ", FormatDay(v.effective_from),
                                  ", which overlaps version ", book.versions.back().id, " (in force from ",
                                  FormatDay(book.versions.back().effective_from),
                                  "); versions are listed in date order, each in force until the next"));
    }
    book.versions.push_back(std::move(v));
    ++n;
  }
  if (doc.contains("not_yet_known")) {
    const auto& list = doc["not_yet_known"];
    if (!list.is_array()) return Bad(top, "not_yet_known must be a list");
    int k = 0;
    for (const auto& j : list) {
      Place at{LineOf(text, "\"expected_from\"", k), absl::StrCat("not_yet_known ", k + 1)};
      if (!j.is_object()) return Bad(at, "must be an object");
      IPS_RETURN_IF_ERROR(OnlyKeys(j, {"expected_from", "change", "source"}, at));
      for (const char* key : {"expected_from", "change", "source"}) {
        if (!j.contains(key)) return Bad(at, absl::StrCat("needs ", key));
      }
      PendingChange p;
      IPS_ASSIGN_OR_RETURN(p.expected_from, Day(j["expected_from"], "expected_from", at));
      IPS_ASSIGN_OR_RETURN(p.change, Text(j["change"], "change", at));
      IPS_ASSIGN_OR_RETURN(p.source, Text(j["source"], "source", at));
      if (p.expected_from <= book.versions.back().effective_from) {
        return Bad(at,
                   absl::StrCat("expected from ", FormatDay(p.expected_from), ", but version ",
                                book.versions.back().id, " already covers that day: add it as a version"));
      }
      book.pending.push_back(std::move(p));
      ++k;
    }
  }
  return book;
}

}  // namespace ips::rules
