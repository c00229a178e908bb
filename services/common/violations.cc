#include "services/common/violations.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/dates.h"

namespace ips {

void Violations::Add(std::string field, std::string description) {
  list_.push_back({std::move(field), std::move(description)});
}

void Violations::Text(const std::string& value, const std::string& field, size_t max, bool required,
                      TextLines lines) {
  if (required && value.empty()) {
    Add(field, "is required");
  } else if (auto problem = TextProblem(value, max, lines)) {
    Add(field, *problem);
  }
}

void Violations::Enum(int value, bool (*is_valid)(int), const std::string& field, bool required) {
  if (!is_valid(value)) {
    Add(field, absl::StrCat("has unknown value ", value));
  } else if (required && value == 0) {
    Add(field, "is required");
  }
}

std::optional<absl::CivilDay> Violations::Date(const google::type::Date& date, const std::string& field,
                                               bool required) {
  if (IsUnset(date) && !required) return std::nullopt;
  auto day = ToCivilDay(date, field);
  if (!day.ok()) {
    Merge(day.status(), field);
    return std::nullopt;
  }
  return *day;
}

std::optional<absl::CivilDay> Violations::BusinessDate(const google::type::Date& date,
                                                       const std::string& field, bool required,
                                                       int days_ahead) {
  auto day = Date(date, field, required);
  if (!day) return std::nullopt;
  if (*day < kEarliestBusinessDay) {
    Add(field, absl::StrCat("must be ", FormatDay(kEarliestBusinessDay), " or later"));
    return std::nullopt;
  }
  if (*day > TodayInCopenhagen() + days_ahead) {
    Add(field, days_ahead == 0 ? "must not be in the future"
                               : absl::StrCat("must be at most ", days_ahead, " days ahead"));
    return std::nullopt;
  }
  return day;
}

void Violations::Merge(const absl::Status& status, const std::string& field) {
  if (status.ok()) return;
  auto fields = errors::FieldViolationsOf(status);
  if (fields.empty()) {
    Add(field, std::string(status.message()));
  } else {
    for (auto& f : fields) list_.push_back(std::move(f));
  }
}

absl::Status Violations::status() const {
  if (list_.empty()) return absl::OkStatus();
  return errors::InvalidArguments(list_);
}

absl::Status ValidateUpdateMask(const google::protobuf::FieldMask& mask, const std::set<std::string>& allowed,
                                const std::set<std::string>& immutable) {
  if (mask.paths_size() == 0) {
    return errors::InvalidArgument(
        "update_mask", absl::StrCat("is required; updatable fields: ", absl::StrJoin(allowed, ", ")));
  }
  for (const auto& path : mask.paths()) {
    if (immutable.count(path))
      return errors::InvalidArgument("update_mask", absl::StrCat(path, " is immutable"));
    if (!allowed.count(path)) {
      return errors::InvalidArgument(
          "update_mask",
          absl::StrCat("`", path, "` cannot be updated; updatable fields: ", absl::StrJoin(allowed, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckEtag(const std::string& sent, const std::string& current,
                       const std::string& resource_name) {
  if (!sent.empty() && sent != current) return errors::StaleEtag(resource_name);
  return absl::OkStatus();
}

}  // namespace ips
