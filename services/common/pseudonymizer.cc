#include "services/common/pseudonymizer.h"

#include <stdexcept>
#include <string>

#include "services/common/crypto.h"

namespace ips {

Pseudonymizer::Pseudonymizer(std::string key) : key_(std::move(key)) {
  if (key_.size() < 32) throw std::invalid_argument("pseudonym key must be at least 32 bytes");
}

std::string Pseudonymizer::Pseudonym(std::string_view citizen_id) const {
  return HmacSha256Hex(key_, citizen_id);
}

std::string Pseudonymizer::RecordPseudonym(std::string_view kind, std::string_view id) const {
  std::string input;
  input.reserve(kind.size() + 1 + id.size());
  input.append(kind).append(":").append(id);
  return HmacSha256Hex(key_, input);
}

}  // namespace ips
