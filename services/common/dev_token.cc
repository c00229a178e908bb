#include "services/common/dev_token.h"

#include <chrono>
#include <jwt/jwt.hpp>

namespace ips {

absl::StatusOr<std::string> MintDevToken(const std::string& private_key_pem, const DevTokenClaims& c) {
  try {
    jwt::jwt_object obj{jwt::params::algorithm("RS256"), jwt::params::secret(private_key_pem)};
    const auto now = std::chrono::system_clock::now();
    obj.add_claim("sub", c.subject)
        .add_claim("iss", c.issuer)
        .add_claim("aud", c.audience)
        .add_claim("iat", now)
        .add_claim("exp", now + std::chrono::seconds(c.ttl_seconds));
    if (!c.agency.empty()) obj.add_claim("agency", c.agency);
    obj.payload().add_claim("roles", c.roles);
    std::error_code ec;
    std::string token = obj.signature(ec);
    if (ec) return absl::InvalidArgumentError("cannot sign the token: " + ec.message());
    return token;
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(std::string("cannot sign the token: ") + e.what());
  }
}

}  // namespace ips
