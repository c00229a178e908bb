#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace ips::registry {

// A validated CPR number (Danish person number, DDMMYY-SSSS).
struct Cpr {
  std::string digits;  // 10 digits, no dash
  absl::CivilDay birth_date;
  // The pre-2007 modulus-11 check. Numbers issued since 2007 need not pass
  // it, so it is information for staff, never a reason to reject.
  bool passes_modulus11 = false;
};

// Validates and normalises a CPR number: 10 digits with an optional dash
// after the sixth, a real date, and the century from the seventh digit.
// INVALID_ARGUMENT with a message naming the broken rule otherwise.
absl::StatusOr<Cpr> ParseCpr(const std::string& input);

// The full year of birth for a two-digit year and the CPR's seventh digit,
// following the CPR office's century table.
int CenturyYear(int two_digit_year, int seventh_digit);

}  // namespace ips::registry
