#pragma once

#include <string>

namespace ips::matching {

// The built-in authorization policy (policy.json), compiled into the binary.
const std::string& DefaultPolicyJson();

}  // namespace ips::matching
