#pragma once

#include <string>

namespace ips::reporting {

// The built-in authorization policy (policy.json), compiled into the binary.
const std::string& DefaultPolicyJson();

// The built-in fidelity scale (fidelity_scale.json): the items, their
// anchors and where each comes from; --fidelity_scale replaces it.
const std::string& DefaultFidelityScaleJson();

}  // namespace ips::reporting
