#include "services/reporting/fidelity_scale_json.h"

#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"

namespace ips::reporting {
namespace {

using nlohmann::json;

absl::Status Bad(const std::string& where, const std::string& rule) {
  return absl::InvalidArgumentError(absl::StrCat("fidelity scale ", where, ": ", rule));
}

absl::Status OnlyKeys(const json& object, const std::set<std::string>& keys, const std::string& where) {
  for (const auto& [key, unused] : object.items()) {
    if (!keys.count(key)) {
      return Bad(where, absl::StrCat("unknown key \"", key, "\" (allowed: ", absl::StrJoin(keys, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Text(const json& object, const std::string& key, const std::string& where) {
  if (!object.contains(key) || !object[key].is_string() || object[key].get<std::string>().empty()) {
    return Bad(where, key + " must be a non-empty string");
  }
  return object[key].get<std::string>();
}

absl::StatusOr<int> Whole(const json& object, const std::string& key, const std::string& where) {
  if (!object.contains(key) || !object[key].is_number_integer())
    return Bad(where, key + " must be a whole number");
  const long long v = object[key].get<long long>();
  if (v < -1000000 || v > 1000000) return Bad(where, key + " is out of range");
  return static_cast<int>(v);
}

absl::StatusOr<AnchorSource> SourceNamed(const std::string& name, const std::string& where) {
  for (AnchorSource s :
       {AnchorSource::kScaleChecked, AnchorSource::kScaleUnchecked, AnchorSource::kConfigured}) {
    if (SourceName(s) == name) return s;
  }
  return Bad(where,
             absl::StrCat("source \"", name, "\" is none of \"scale, checked\", \"scale, not yet checked\", ",
                          "\"configured\""));
}

absl::StatusOr<FidelityItem> ReadItem(const json& j, size_t index) {
  std::string where = absl::StrCat("item at place ", index + 1);
  if (!j.is_object()) return Bad(where, "must be an object");
  FidelityItem item;
  IPS_ASSIGN_OR_RETURN(item.number, Whole(j, "number", where));
  where = absl::StrCat("item ", item.number);
  IPS_RETURN_IF_ERROR(
      OnlyKeys(j, {"number", "title", "measure", "better", "bounds", "source", "reference"}, where));
  IPS_ASSIGN_OR_RETURN(item.title, Text(j, "title", where));
  if (!j.contains("bounds")) {
    for (const char* key : {"measure", "better", "source", "reference"}) {
      if (j.contains(key))
        return Bad(where, absl::StrCat(key, " belongs with bounds: an item without bounds takes none"));
    }
    return item;
  }
  IPS_ASSIGN_OR_RETURN(item.measure, Text(j, "measure", where));
  IPS_ASSIGN_OR_RETURN(item.reference, Text(j, "reference", where));
  IPS_ASSIGN_OR_RETURN(const std::string better, Text(j, "better", where));
  if (better != "higher" && better != "lower") return Bad(where, "better must be \"higher\" or \"lower\"");
  IPS_ASSIGN_OR_RETURN(const std::string source, Text(j, "source", where));
  IPS_ASSIGN_OR_RETURN(item.source, SourceNamed(source, where));
  const json& bounds = j["bounds"];
  FidelityAnchors anchors;
  anchors.higher_is_better = better == "higher";
  if (!bounds.is_array() || bounds.size() != anchors.bounds.size()) {
    return Bad(where, "bounds must be a list of four numbers, for the scores 2, 3, 4 and 5");
  }
  for (size_t k = 0; k < anchors.bounds.size(); ++k) {
    if (!bounds[k].is_number())
      return Bad(where, "bounds must be a list of four numbers, for the scores 2, 3, 4 and 5");
    anchors.bounds[k] = bounds[k].get<double>();
  }
  item.anchors = anchors;
  return item;
}

}  // namespace

std::string SourceName(AnchorSource source) {
  switch (source) {
    case AnchorSource::kScaleChecked:
      return "scale, checked";
    case AnchorSource::kScaleUnchecked:
      return "scale, not yet checked";
    case AnchorSource::kConfigured:
      return "configured";
  }
  return "configured";
}

absl::StatusOr<FidelityScale> ParseFidelityScale(const std::string& json_text) {
  const json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad("text", "is not JSON");
  if (!j.is_object()) return Bad("text", "must be an object");
  IPS_RETURN_IF_ERROR(OnlyKeys(j, {"edition", "bands", "items"}, "text"));
  FidelityScale scale;
  IPS_ASSIGN_OR_RETURN(scale.reference, Text(j, "edition", "text"));
  if (!j.contains("bands") || !j["bands"].is_object()) return Bad("bands", "must be an object");
  const json& bands = j["bands"];
  IPS_RETURN_IF_ERROR(OnlyKeys(bands, {"exemplary_from", "good_from", "fair_from"}, "bands"));
  IPS_ASSIGN_OR_RETURN(scale.exemplary_from, Whole(bands, "exemplary_from", "bands"));
  IPS_ASSIGN_OR_RETURN(scale.good_from, Whole(bands, "good_from", "bands"));
  IPS_ASSIGN_OR_RETURN(scale.fair_from, Whole(bands, "fair_from", "bands"));
  if (!j.contains("items") || !j["items"].is_array()) return Bad("items", "must be a list");
  for (size_t i = 0; i < j["items"].size(); ++i) {
    IPS_ASSIGN_OR_RETURN(FidelityItem item, ReadItem(j["items"][i], i));
    scale.items.push_back(std::move(item));
  }
  IPS_RETURN_IF_ERROR(ValidateScale(scale));
  return scale;
}

}  // namespace ips::reporting
