#include "services/matching/domain/cvr.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace ips::matching {

absl::StatusOr<std::string> ParseCvr(absl::string_view text) {
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  if (absl::StartsWithIgnoreCase(rest, "DK")) rest.remove_prefix(2);
  std::string digits;
  for (char c : rest) {
    if (c == ' ') continue;
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("must hold only digits (optionally spaced, optionally after DK)");
    }
    if (digits.size() == 8) return absl::InvalidArgumentError("must be 8 digits");
    digits.push_back(c);
  }
  if (digits.size() != 8) return absl::InvalidArgumentError("must be 8 digits");
  if (digits[0] == '0') return absl::InvalidArgumentError("must not start with 0");
  static constexpr int kWeights[8] = {2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (digits[i] - '0') * kWeights[i];
  if (sum % 11 != 0) return absl::InvalidArgumentError("fails the modulus-11 check; check the number");
  return digits;
}

}  // namespace ips::matching
