#pragma once

#include <string>

namespace ips::treatment {

// The built-in authorization policy (policy.json), compiled into the binary.
const std::string& DefaultPolicyJson();

}  // namespace ips::treatment
