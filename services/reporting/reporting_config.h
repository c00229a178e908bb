#pragma once

#include <string>

namespace ips::reporting {

// The built-in authorization policy (policy.json), compiled into the binary.
const std::string& DefaultPolicyJson();

}  // namespace ips::reporting
