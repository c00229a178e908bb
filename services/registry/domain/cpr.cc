#include "services/registry/domain/cpr.h"

#include <cctype>

namespace ips::registry {

int CenturyYear(int yy, int seventh) {
  if (seventh <= 3) return 1900 + yy;
  if (seventh == 4 || seventh == 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  // 5-8
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

absl::StatusOr<Cpr> ParseCpr(const std::string& input) {
  std::string digits;
  if (input.size() == 11 && input[6] == '-') {
    digits = input.substr(0, 6) + input.substr(7);
  } else {
    digits = input;
  }
  if (digits.size() != 10) {
    return absl::InvalidArgumentError("must be 10 digits (DDMMYYSSSS, optionally DDMMYY-SSSS)");
  }
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("must contain digits only (and one optional dash)");
    }
  }
  const auto num = [&](int pos, int len) { return std::stoi(digits.substr(pos, len)); };
  int day = num(0, 2), month = num(2, 2), yy = num(4, 2), seventh = num(6, 1);
  int year = CenturyYear(yy, seventh);
  absl::CivilDay date(year, month, day);
  if (month < 1 || month > 12 || day < 1 || date.day() != day || date.month() != month) {
    return absl::InvalidArgumentError("the first six digits must be a real date (DDMMYY)");
  }
  static constexpr int kWeights[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += (digits[i] - '0') * kWeights[i];
  return Cpr{digits, date, sum % 11 == 0};
}

}  // namespace ips::registry
