#include "services/common/jwt_verifier.h"

#include <algorithm>
#include <fstream>
#include <jwt/jwt.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/common/errors.h"

namespace ips {

namespace {

// UNAUTHENTICATED when the token's header or claims repeat a name: nlohmann
// keeps the last copy, another reader the first, so which `roles` a
// repeated claim grants would depend on who reads it.
absl::Status RepeatedClaim(const std::string& token) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return errors::Unauthenticated("TOKEN_MALFORMED", "the bearer token is not a JWT");
  for (int i = 0; i < 2; ++i) {
    std::string json;
    if (!absl::WebSafeBase64Unescape(parts[static_cast<size_t>(i)], &json)) {
      return errors::Unauthenticated("TOKEN_MALFORMED", "the bearer token is not a JWT");
    }
    // Keys seen per open object, innermost last.
    std::vector<std::set<std::string>> open;
    bool repeated = false;
    auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
      (void)depth;
      switch (event) {
        case nlohmann::json::parse_event_t::object_start:
          open.emplace_back();
          break;
        case nlohmann::json::parse_event_t::object_end:
          if (!open.empty()) open.pop_back();
          break;
        case nlohmann::json::parse_event_t::key:
          if (!open.empty() && !open.back().insert(parsed.get<std::string>()).second) repeated = true;
          break;
        default:
          break;
      }
      return true;
    };
    auto doc = nlohmann::json::parse(json, check, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return errors::Unauthenticated("TOKEN_MALFORMED", "the token is malformed");
    }
    if (repeated) {
      return errors::Unauthenticated(
          "TOKEN_REPEATED_CLAIM", i == 0 ? "the token's header repeats a name" : "the token repeats a claim");
    }
  }
  return absl::OkStatus();
}

// `aud` as one string or an array of strings (RFC 7519 4.1.3) naming ours.
bool HasAudience(const nlohmann::json& payload, const std::string& audience) {
  if (!payload.contains("aud")) return false;
  const auto& aud = payload["aud"];
  if (aud.is_string()) return aud.get<std::string>() == audience;
  if (!aud.is_array()) return false;
  return std::any_of(aud.begin(), aud.end(), [&](const nlohmann::json& a) {
    return a.is_string() && a.get<std::string>() == audience;
  });
}

}  // namespace

JwtVerifier::JwtVerifier(JwtConfig config) : config_(std::move(config)) {}

absl::StatusOr<Caller> JwtVerifier::Verify(const std::string& token) const {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(token);
    if (it != cache_.end()) {
      if (now < it->second.valid_until) return it->second.caller;
      cache_.erase(it);
    }
  }
  auto verified = VerifyUncached(token);
  if (!verified.ok()) return verified.status();
  std::lock_guard lock(mu_);
  if (cache_.size() >= kCacheEntries) {
    // Drop expired entries; if all are live, start over rather than grow.
    for (auto it = cache_.begin(); it != cache_.end();) {
      it = it->second.valid_until <= now ? cache_.erase(it) : std::next(it);
    }
    if (cache_.size() >= kCacheEntries) cache_.clear();
  }
  cache_[token] = *verified;
  return verified->caller;
}

absl::StatusOr<JwtVerifier::Verified> JwtVerifier::VerifyUncached(const std::string& token) const {
  if (token.empty() || token.size() > 8192) {
    return errors::Unauthenticated("TOKEN_MISSING", "a bearer token is required");
  }
  // A JWT is base64url parts joined by dots. Anything else is refused here:
  // cpp-jwt's base64 decoder indexes a table with a signed char, so a byte
  // over 127 reads outside it (found by fuzz/jwt_fuzz.cc under UBSan).
  for (char c : token) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.' && c != '=') {
      return errors::Unauthenticated("TOKEN_MALFORMED", "the bearer token is not a JWT");
    }
  }
  if (auto repeated = RepeatedClaim(token); !repeated.ok()) return repeated;
  std::string last_error = "no verification key is configured";
  for (const auto& key : config_.public_keys_pem) {
    std::error_code ec;
    jwt::jwt_object obj;
    try {
      // The audience is checked below: cpp-jwt takes only a string.
      obj = jwt::decode(token, jwt::params::algorithms({"RS256", "ES256"}), ec, jwt::params::secret(key),
                        jwt::params::issuer(config_.issuer), jwt::params::verify(true),
                        jwt::params::leeway(static_cast<uint32_t>(config_.leeway_seconds)));
    } catch (const std::exception&) {
      // Malformed JSON inside a token can throw from the JSON parser.
      return errors::Unauthenticated("TOKEN_MALFORMED", "the token is malformed");
    }
    if (ec) {
      last_error = ec.message();
      // Claim errors do not depend on the key; no need to try the others.
      if (ec == jwt::VerificationErrc::TokenExpired) {
        return errors::Unauthenticated("TOKEN_EXPIRED", "the token has expired");
      }
      if (ec == jwt::VerificationErrc::InvalidIssuer || ec == jwt::VerificationErrc::InvalidAudience) {
        return errors::Unauthenticated("TOKEN_WRONG_ISSUER_OR_AUDIENCE",
                                       "the token was not issued for this service");
      }
      continue;
    }
    const auto& payload = obj.payload().create_json_obj();
    // Do not rely on the library for claims that may be absent: require them.
    if (!payload.contains("iss") || payload["iss"] != config_.issuer ||
        !HasAudience(payload, config_.audience)) {
      return errors::Unauthenticated("TOKEN_WRONG_ISSUER_OR_AUDIENCE",
                                     "the token was not issued for this service");
    }
    if (!payload.contains("exp") || !payload["exp"].is_number_integer()) {
      return errors::Unauthenticated("TOKEN_NO_EXPIRY", "the token has no expiry (exp)");
    }
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    int64_t issued = now;
    if (payload.contains("iat")) {
      if (!payload["iat"].is_number_integer()) {
        return errors::Unauthenticated("TOKEN_MALFORMED", "the token's iat is not a time");
      }
      issued = payload["iat"].get<int64_t>();
      if (issued > now + config_.leeway_seconds) {
        return errors::Unauthenticated("TOKEN_NOT_YET_VALID", "the token is issued in the future (iat)");
      }
    }
    const int64_t expires = payload["exp"].get<int64_t>();
    if (expires - issued > config_.max_lifetime_seconds) {
      return errors::Unauthenticated(
          "TOKEN_LIFETIME_TOO_LONG",
          absl::StrCat("the token is valid for longer than the ", config_.max_lifetime_seconds,
                       " seconds this service accepts; ask the identity provider for a new one"));
    }
    if (!payload.contains("sub") || !payload["sub"].is_string() ||
        payload["sub"].get<std::string>().empty()) {
      return errors::Unauthenticated("TOKEN_NO_SUBJECT", "the token has no subject (sub)");
    }
    Caller caller;
    caller.subject = payload["sub"].get<std::string>();
    if (payload.contains("agency") && payload["agency"].is_string()) {
      caller.agency = payload["agency"].get<std::string>();
    }
    if (payload.contains("roles") && payload["roles"].is_array()) {
      for (const auto& r : payload["roles"]) {
        if (r.is_string()) caller.roles.push_back(r.get<std::string>());
      }
    }
    return Verified{caller, std::min<int64_t>(expires, now + kCacheSeconds)};
  }
  return errors::Unauthenticated("TOKEN_INVALID", absl::StrCat("the token is not valid: ", last_error));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace ips
