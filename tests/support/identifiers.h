#pragma once

#include <google/protobuf/message.h>

#include <set>
#include <string>

namespace ips::testing {

// Identifiers a caller can read in an answer: record and staff ids, names,
// CPR and CVR numbers, resource names and the ids inside them. Collected
// from every string field whose name says it identifies something (`name`,
// `*_id`, `subject`, `cpr`, ...) and from every value that is a resource
// name, in nested messages, repeated fields and the JSON rows of a subject
// access export. Short values (etags, numbers under six digits) are left
// out: they identify nothing.
void HarvestIdentifiers(const google::protobuf::Message& m, std::set<std::string>& out);

// The same for the `key` / `value` pairs of a JSON document.
void HarvestIdentifiersFromJson(const std::string& json_text, std::set<std::string>& out);

// The first of `identifiers` found in `haystack` in any of the forms an
// encoder would give it (as is, lower and upper case, hex, base64), or "".
std::string FindAnyForm(const std::set<std::string>& identifiers, const std::string& haystack);

}  // namespace ips::testing
