#pragma once

#include <string>
#include <string_view>

namespace ips {

// Pseudonymizer turns a citizen_id into the pseudonym that events carry:
// HMAC-SHA256(key, citizen_id) in hex. The key is shared by the publishing
// services only, so a consumer can link events about one citizen across
// services but cannot reverse or recompute a pseudonym.
class Pseudonymizer {
 public:
  // `key` must be at least 32 bytes; shorter keys make pseudonyms guessable.
  explicit Pseudonymizer(std::string key);

  std::string Pseudonym(std::string_view citizen_id) const;

  // The pseudonym of a record or staff id of `kind` ("enrollment",
  // "consultant", ...): HMAC-SHA256(key, kind ":" id), so it never equals
  // a citizen's pseudonym or a record's of another kind.
  std::string RecordPseudonym(std::string_view kind, std::string_view id) const;

 private:
  std::string key_;
};

}  // namespace ips
