#pragma once

#include <string>
#include <string_view>

namespace ips {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Lowercase hex HMAC-SHA256 of `data` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Equality of two strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// A new random id: 32 lowercase hex characters from the OS CSPRNG.
std::string RandomId();

// `n` random bytes from the OS CSPRNG.
std::string RandomBytes(size_t n);

}  // namespace ips
