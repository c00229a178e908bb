#include "tools/ipsctl/proto_fields.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"
#include "services/common/dates.h"

namespace ipsctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Bad(const std::string& path, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

// The enum value named `value`: its full name or its suffix, any case
// ("sydhavnen" for DISTRICT_SYDHAVNEN).
absl::StatusOr<const google::protobuf::EnumValueDescriptor*> EnumValue(
    const google::protobuf::EnumDescriptor* e, const std::string& path, const std::string& value) {
  const std::string upper = absl::AsciiStrToUpper(value);
  const google::protobuf::EnumValueDescriptor* match = e->FindValueByName(upper);
  if (!match) {
    for (int j = 0; j < e->value_count(); ++j) {
      if (absl::EndsWith(e->value(j)->name(), "_" + upper)) match = e->value(j);
    }
  }
  if (!match) {
    std::string names;
    for (int j = 1; j < e->value_count(); ++j)
      absl::StrAppend(&names, j > 1 ? ", " : "", e->value(j)->name());
    return Bad(path, absl::StrCat("unknown value; one of ", names));
  }
  return match;
}

absl::Status SetDate(Message& msg, const std::string& path, const std::string& value) {
  absl::CivilDay day;
  if (value == "today") {
    day = ips::TodayInCopenhagen();
  } else if (absl::StartsWith(value, "today-") || absl::StartsWith(value, "today+")) {
    int n = 0;
    if (!absl::SimpleAtoi(value.substr(6), &n)) return Bad(path, "expected today-N or today+N");
    day = ips::TodayInCopenhagen() + (value[5] == '+' ? n : -n);
  } else {
    // Parsed by hand so an impossible date reaches the server unchanged and
    // is refused there with the field named.
    std::vector<std::string> parts = absl::StrSplit(value, '-');
    int y = 0, m = 0, d = 0;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &y) || !absl::SimpleAtoi(parts[1], &m) ||
        !absl::SimpleAtoi(parts[2], &d)) {
      return Bad(path, "expected a date YYYY-MM-DD");
    }
    auto* date = static_cast<google::type::Date*>(&msg);
    date->set_year(y);
    date->set_month(m);
    date->set_day(d);
    return absl::OkStatus();
  }
  static_cast<google::type::Date&>(msg) = ips::ToProtoDate(day);
  return absl::OkStatus();
}

}  // namespace

absl::Status SetField(Message& msg, const std::string& path, const std::string& value) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  Message* current = &msg;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto* desc = current->GetDescriptor();
    const auto* refl = current->GetReflection();
    const FieldDescriptor* f = desc->FindFieldByName(parts[i]);
    if (!f) return Bad(path, "no such field");
    const bool last = i + 1 == parts.size();
    if (f->is_map()) {
      // A map of whole numbers, key=value pairs comma-separated: the
      // reviewers' scores by item, --reviewer-scores=2=4,5=3.
      const auto* key = f->message_type()->map_key();
      const auto* val = f->message_type()->map_value();
      if (!last || key->cpp_type() != FieldDescriptor::CPPTYPE_INT32 ||
          val->cpp_type() != FieldDescriptor::CPPTYPE_INT32) {
        return Bad(path, "only a map of whole numbers can be set");
      }
      refl->ClearField(current, f);
      for (auto pair : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        std::vector<std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
        int32_t k = 0, v = 0;
        if (kv.size() != 2 || !absl::SimpleAtoi(kv[0], &k) || !absl::SimpleAtoi(kv[1], &v)) {
          return Bad(path, "expected key=value pairs of whole numbers, comma-separated");
        }
        Message* entry = refl->AddMessage(current, f);
        entry->GetReflection()->SetInt32(entry, key, k);
        entry->GetReflection()->SetInt32(entry, val, v);
      }
      return absl::OkStatus();
    }
    if (f->type() == FieldDescriptor::TYPE_MESSAGE && f->is_repeated()) {
      // A path through a list of messages sets its first element
      // (placement.hours.hours_per_week: the first weekly hours).
      if (last) return Bad(path, "is a list of messages; name a field inside it");
      current = refl->FieldSize(*current, f) > 0 ? refl->MutableRepeatedMessage(current, f, 0)
                                                 : refl->AddMessage(current, f);
      continue;
    }
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      Message* sub = refl->MutableMessage(current, f);
      if (!last) {
        current = sub;
        continue;
      }
      const std::string type = f->message_type()->full_name();
      if (type == "google.type.Date") return SetDate(*sub, path, value);
      if (type == "google.protobuf.FieldMask") {
        auto* mask = static_cast<google::protobuf::FieldMask*>(sub);
        for (auto p : absl::StrSplit(value, ',', absl::SkipEmpty())) mask->add_paths(std::string(p));
        return absl::OkStatus();
      }
      return Bad(path, "cannot be set from text");
    }
    if (!last) return Bad(path, "is not a message");
    if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      // A list of enum values, comma-separated: --substances=alcohol,cannabis
      refl->ClearField(current, f);
      for (auto part : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        auto match = EnumValue(f->enum_type(), path, std::string(part));
        if (!match.ok()) return match.status();
        refl->AddEnum(current, f, *match);
      }
      return absl::OkStatus();
    }
    if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      // A list of texts, comma-separated: --goal-titles=cook,kitchen
      refl->ClearField(current, f);
      for (auto part : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        refl->AddString(current, f, std::string(absl::StripAsciiWhitespace(part)));
      }
      return absl::OkStatus();
    }
    if (f->is_repeated()) return Bad(path, "repeated fields cannot be set");
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        refl->SetString(current, f, value);
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t v;
        if (!absl::SimpleAtoi(value, &v)) return Bad(path, "expected a whole number");
        refl->SetInt32(current, f, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v;
        if (!absl::SimpleAtoi(value, &v)) return Bad(path, "expected a whole number");
        refl->SetInt64(current, f, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double v;
        if (!absl::SimpleAtod(value, &v)) return Bad(path, "expected a number");
        refl->SetDouble(current, f, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v;
        if (!absl::SimpleAtob(value, &v)) return Bad(path, "expected true or false");
        refl->SetBool(current, f, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        auto match = EnumValue(f->enum_type(), path, value);
        if (!match.ok()) return match.status();
        refl->SetEnum(current, f, *match);
        return absl::OkStatus();
      }
      default:
        return Bad(path, "unsupported field type");
    }
  }
  return Bad(path, "empty path");
}

std::string FieldText(const Message& msg, const std::string& path) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  const Message* current = &msg;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto* f = current->GetDescriptor()->FindFieldByName(parts[i]);
    if (!f || f->is_repeated()) return "";
    const auto* refl = current->GetReflection();
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const Message& sub = refl->GetMessage(*current, f);
      if (i + 1 < parts.size()) {
        current = &sub;
        continue;
      }
      const std::string type = f->message_type()->full_name();
      if (type == "google.type.Date") {
        const auto& d = static_cast<const google::type::Date&>(sub);
        return ips::IsUnset(d) ? "" : absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
      }
      if (type == "google.protobuf.Timestamp") {
        const auto& t = static_cast<const google::protobuf::Timestamp&>(sub);
        return t.seconds() == 0 ? "" : google::protobuf::util::TimeUtil::ToString(t);
      }
      return sub.ShortDebugString();
    }
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return refl->GetString(*current, f);
      case FieldDescriptor::CPPTYPE_INT32:
        return absl::StrCat(refl->GetInt32(*current, f));
      case FieldDescriptor::CPPTYPE_INT64:
        return absl::StrCat(refl->GetInt64(*current, f));
      case FieldDescriptor::CPPTYPE_BOOL:
        return refl->GetBool(*current, f) ? "true" : "false";
      case FieldDescriptor::CPPTYPE_ENUM:
        return refl->GetEnumValue(*current, f) == 0 ? "" : refl->GetEnum(*current, f)->name();
      default:
        return "";
    }
  }
  return "";
}

namespace {

void DescribeInto(const Message& msg, const std::string& prefix, std::string& out) {
  const auto* refl = msg.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  refl->ListFields(msg, &fields);
  for (const auto* f : fields) {
    const std::string path = prefix + f->name();
    if (f->is_repeated()) {
      int n = refl->FieldSize(msg, f);
      for (int i = 0; i < n; ++i) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          DescribeInto(refl->GetRepeatedMessage(msg, f, i), absl::StrCat(path, "[", i, "]."), out);
        } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          absl::StrAppend(&out, path, "[", i, "]: ", refl->GetRepeatedString(msg, f, i), "\n");
        }
      }
      continue;
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const std::string type = f->message_type()->full_name();
      if (type != "google.type.Date" && type != "google.protobuf.Timestamp") {
        DescribeInto(refl->GetMessage(msg, f), path + ".", out);
        continue;
      }
    }
    absl::StrAppend(&out, path, ": ", FieldText(msg, f->name()), "\n");
  }
}

}  // namespace

std::string Describe(const Message& msg) {
  std::string out;
  DescribeInto(msg, "", out);
  return out;
}

}  // namespace ipsctl
