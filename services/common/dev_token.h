#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ips {

// Claims of a development token.
struct DevTokenClaims {
  std::string subject;
  std::string agency;
  std::vector<std::string> roles;
  std::string issuer;
  std::string audience;
  int ttl_seconds = 3600;
};

// Signs an RS256 token with a local development key. For development and
// tests only: production tokens come from the municipality's identity
// provider; ipsctl mints only with an explicit --dev_key flag.
absl::StatusOr<std::string> MintDevToken(const std::string& private_key_pem, const DevTokenClaims& claims);

}  // namespace ips
