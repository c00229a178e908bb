#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"

namespace ips {

// Policy is the declarative, deny-by-default authorization of one gRPC
// service, loaded from JSON:
//
//   {"service": "ips.registry.v1.CitizenRegistry",
//    "methods": {"GetCitizen": [{"agencies": ["BIF"], "roles": ["ips_consultant"]}],
//                "StreamEvents": [{"services": ["reporting"]}]}}
//
// A method is allowed when any of its clauses matches; a clause matches when
// each list it names contains the caller's value (a role the caller has,
// the caller's agency, the calling service's certificate name). A method
// without an entry is denied. A clause that names roles must name the
// agencies they hold for (roles are granted per agency), or the policy is
// refused as a whole.
class Policy {
 public:
  struct Clause {
    std::vector<std::string> roles;
    std::vector<std::string> agencies;
    std::vector<std::string> services;
  };

  static absl::StatusOr<Policy> Parse(const std::string& json_text);

  const std::string& service() const { return service_; }
  bool HasEntry(const std::string& method) const { return methods_.count(method) > 0; }
  bool Allows(const std::string& method, const Caller& caller) const;

 private:
  std::string service_;
  std::map<std::string, std::vector<Clause>> methods_;
};

}  // namespace ips
