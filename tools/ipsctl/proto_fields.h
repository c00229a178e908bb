#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"

namespace ipsctl {

// Sets the field at dot `path` of `msg` from text: strings as given,
// numbers, booleans (true/false/yes/no), enums by full or short name
// (SYDHAVNEN for DISTRICT_SYDHAVNEN), google.type.Date as YYYY-MM-DD or
// "today" / "today-30", field masks and lists of enums or texts as comma
// lists. A path through a list of messages sets its first element.
absl::Status SetField(google::protobuf::Message& msg, const std::string& path, const std::string& value);

// The value at dot `path` as text ("" when unset).
std::string FieldText(const google::protobuf::Message& msg, const std::string& path);

// "field: value" lines for every set field, nested fields dotted.
std::string Describe(const google::protobuf::Message& msg);

}  // namespace ipsctl
