#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
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
  // Clock skew allowed on exp, nbf and iat.
  int leeway_seconds = 30;
  // The longest lifetime accepted: exp may lie at most this far after iat
  // (or after now, for a token without iat). An identity provider issues
  // tokens of minutes to hours; a token valid for years is a stolen or
  // forged one waiting to be used.
  int max_lifetime_seconds = 12 * 3600;
};

// JwtVerifier checks a bearer token with cpp-jwt: signature (RS256 or ES256
// only; "none" and HMAC are refused), issuer, expiry (required), not-before;
// then itself: no claim given twice (JSON readers disagree on which copy
// wins), the audience as a string or an array (RFC 7519 4.1.3) holding
// ours, a lifetime of at most `max_lifetime_seconds`, and iat not in the
// future; then it reads the subject, `agency` and `roles` claims.
//
// A token that verified is remembered until its expiry, at most
// `kCacheSeconds`: a caller sends the same token on every call, and the
// signature check costs about 0.4 ms. Only valid tokens are cached, so
// garbage cannot fill the cache; a removed key stops being trusted within
// `kCacheSeconds`.
class JwtVerifier {
 public:
  static constexpr int kCacheSeconds = 300;
  static constexpr size_t kCacheEntries = 10000;

  explicit JwtVerifier(JwtConfig config);

  // UNAUTHENTICATED with an ErrorInfo reason when the token is not valid.
  absl::StatusOr<Caller> Verify(const std::string& token) const;

 private:
  struct Verified {
    Caller caller;
    int64_t valid_until;  // unix seconds
  };
  absl::StatusOr<Verified> VerifyUncached(const std::string& token) const;

  JwtConfig config_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Verified> cache_;
};

// Reads a whole file; used for keys, certificates and secrets.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace ips
