// libFuzzer target: the CPR parser. Whatever the input, it answers; a
// number it accepts is 10 digits whose first six are its birth date.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "services/registry/domain/cpr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto cpr = ips::registry::ParseCpr(input);
  if (!cpr.ok()) return 0;
  if (cpr->digits.size() != 10) std::abort();
  for (char c : cpr->digits) {
    if (!absl::ascii_isdigit(c)) std::abort();
  }
  const int day = std::stoi(cpr->digits.substr(0, 2)), month = std::stoi(cpr->digits.substr(2, 2));
  if (cpr->birth_date.day() != day || cpr->birth_date.month() != month) std::abort();
  // Accepted once, accepted again in its normal form, as the same number.
  auto again = ips::registry::ParseCpr(cpr->digits);
  if (!again.ok() || again->digits != cpr->digits) std::abort();
  return 0;
}
