#include "tests/support/identifiers.h"

#include <google/protobuf/descriptor.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace ips::testing {
namespace {

const std::set<std::string> kIdentifyingFields = {"name",         "id",
                                                  "subject",      "author",
                                                  "recorded_by",  "overridden_by",
                                                  "cpr",          "cvr",
                                                  "resource",     "citizen",
                                                  "parent",       "consultant",
                                                  "employer",     "opening",
                                                  "phone_number", "referral",
                                                  "episode",      "contact",
                                                  "enrollment",   "converted_from",
                                                  "converted_to", "active_enrollment",
                                                  "given_name",   "family_name",
                                                  "display_name", "contact_person"};

bool Identifying(const std::string& field) {
  return kIdentifyingFields.count(field) > 0 || absl::EndsWith(field, "_id") ||
         absl::EndsWith(field, "_name");
}

bool AllDigits(const std::string& v) {
  for (char c : v) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

void Add(const std::string& value, std::set<std::string>& out) {
  if (value.size() < 4) return;
  if (AllDigits(value) && value.size() < 6) return;
  out.insert(value);
}

// A resource name such as citizens/abc/enrollments/def: the whole name and
// each id in it (every second segment).
void AddResourceName(const std::string& value, std::set<std::string>& out) {
  std::vector<std::string> parts = absl::StrSplit(value, '/');
  if (parts.size() < 2) return;
  for (const auto& p : parts) {
    if (p.empty()) return;
  }
  Add(value, out);
  for (size_t i = 1; i < parts.size(); i += 2) {
    if (parts[i] != "-") Add(parts[i], out);
  }
}

void Value(const std::string& field, const std::string& value, std::set<std::string>& out) {
  if (absl::StrContains(value, '/') && !absl::StrContains(value, ' ')) AddResourceName(value, out);
  if (Identifying(field)) Add(value, out);
}

void Walk(const nlohmann::json& j, const std::string& key, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) Walk(v, k, out);
  } else if (j.is_array()) {
    for (const auto& v : j) Walk(v, key, out);
  } else if (j.is_string()) {
    Value(key, j.get<std::string>(), out);
  } else if (j.is_number_integer() && Identifying(key)) {
    Add(std::to_string(j.get<long long>()), out);
  }
}

}  // namespace

void HarvestIdentifiers(const google::protobuf::Message& m, std::set<std::string>& out) {
  using google::protobuf::FieldDescriptor;
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int k = 0; k < n; ++k) {
      if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
        if (!f->is_repeated() && !r->HasField(m, f)) continue;
        HarvestIdentifiers(f->is_repeated() ? r->GetRepeatedMessage(m, f, k) : r->GetMessage(m, f), out);
      } else if (f->type() == FieldDescriptor::TYPE_STRING) {
        const std::string v = f->is_repeated() ? r->GetRepeatedString(m, f, k) : r->GetString(m, f);
        if (f->name() == "data_json") {
          HarvestIdentifiersFromJson(v, out);
        } else {
          Value(f->name(), v, out);
        }
      }
    }
  }
}

void HarvestIdentifiersFromJson(const std::string& json_text, std::set<std::string>& out) {
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (!j.is_discarded()) Walk(j, "", out);
}

std::string FindAnyForm(const std::set<std::string>& identifiers, const std::string& haystack) {
  for (const auto& id : identifiers) {
    std::vector<std::string> forms = {id, absl::AsciiStrToLower(id), absl::BytesToHexString(id),
                                      absl::Base64Escape(id), absl::WebSafeBase64Escape(id)};
    // Upper case only for ids with digits: a name in capitals would match
    // the enum names that events print.
    if (std::any_of(id.begin(), id.end(), [](char c) { return absl::ascii_isdigit(c); })) {
      forms.push_back(absl::AsciiStrToUpper(id));
    }
    for (const auto& form : forms) {
      if (haystack.find(form) != std::string::npos) return id;
    }
  }
  return "";
}

}  // namespace ips::testing
