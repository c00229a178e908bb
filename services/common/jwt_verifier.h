#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"

namespace ips {

struct JwtConfig {
  std::string issuer;
  std::string audience;
  // PEM public keys (RSA for RS256, EC P-256 for ES256). Several keys allow
  // rotation: a token verifies if any key verifies it.
  std::vector<std::string> public_keys_pem;
  int leeway_seconds = 30;
};

// JwtVerifier checks a bearer token with cpp-jwt: signature (RS256 or ES256
// only; "none" and HMAC are refused), issuer, audience, expiry (required)
// and not-before, then reads the subject, `agency` and `roles` claims.
class JwtVerifier {
 public:
  explicit JwtVerifier(JwtConfig config);

  // UNAUTHENTICATED with an ErrorInfo reason when the token is not valid.
  absl::StatusOr<Caller> Verify(const std::string& token) const;

 private:
  JwtConfig config_;
};

// Reads a whole file; used for keys, certificates and secrets.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace ips
