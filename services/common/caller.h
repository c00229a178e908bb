#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace ips {

// Caller is the verified identity behind one RPC: the token's subject,
// agency and roles, and the calling service from its client certificate.
struct Caller {
  std::string subject;
  std::string agency;
  std::vector<std::string> roles;
  // Common name of the client certificate (mTLS); empty without one.
  std::string service;

  bool HasRole(const std::string& role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace ips
