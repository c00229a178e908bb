#pragma once

#include <google/protobuf/field_mask.pb.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"
#include "services/common/errors.h"
#include "services/common/text_rule.h"

namespace ips {

// Violations collects every problem with a request before anything is
// written, so a caller learns about all bad fields in one INVALID_ARGUMENT.
class Violations {
 public:
  void Add(std::string field, std::string description);

  // Text a person typed, of at most `max` characters (code points), kept
  // to the one text rule (text_rule.h: valid UTF-8, no control, zero-width
  // or bidirectional control characters; tabs and line breaks only when
  // `lines` is kMulti); required means non-empty.
  void Text(const std::string& value, const std::string& field, size_t max, bool required,
            TextLines lines = TextLines::kSingle);

  // An enum value the schema knows; required means not the zero value.
  void Enum(int value, bool (*is_valid)(int), const std::string& field, bool required);

  // A real calendar date; nullopt when unset (an error if required) or invalid.
  std::optional<absl::CivilDay> Date(const google::type::Date& date, const std::string& field, bool required);

  // A business date: registered after the fact, so a real date from
  // kEarliestBusinessDay up to `days_ahead` days after today in Copenhagen;
  // nullopt (with a violation unless unset and optional) otherwise.
  std::optional<absl::CivilDay> BusinessDate(const google::type::Date& date, const std::string& field,
                                             bool required, int days_ahead = 0);

  // Adds the status's field violations (or its message under `field`).
  void Merge(const absl::Status& status, const std::string& field);

  bool empty() const { return list_.empty(); }
  absl::Status status() const;

 private:
  std::vector<errors::FieldViolation> list_;
};

// Checks an update mask: required, and only paths from `allowed`. Paths in
// `immutable` get their own message.
absl::Status ValidateUpdateMask(const google::protobuf::FieldMask& mask, const std::set<std::string>& allowed,
                                const std::set<std::string>& immutable = {});

// ABORTED when `sent` is non-empty and differs from `current`.
absl::Status CheckEtag(const std::string& sent, const std::string& current, const std::string& resource_name);

}  // namespace ips
