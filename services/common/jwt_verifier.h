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
  int leeway_seconds = 30;
};

// JwtVerifier checks a bearer token with cpp-jwt: signature (RS256 or ES256
// only; "none" and HMAC are refused), issuer, audience, expiry (required)
// and not-before, then reads the subject, `agency` and `roles` claims.
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
