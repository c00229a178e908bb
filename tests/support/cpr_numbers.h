#pragma once

#include <string>

#include "absl/strings/str_format.h"

namespace ips::testing {

// A valid CPR number for a birth date and a serial (0-999), choosing the
// seventh digit that gives the right century (0 for 1900-1999, 4 for
// 2000-2036). Not modulus-11 checked; the registry does not require it.
inline std::string CprFor(int year, int month, int day, int serial) {
  int seventh = year < 2000 ? 0 : 4;
  return absl::StrFormat("%02d%02d%02d%d%03d", day, month, year % 100, seventh, serial % 1000);
}

}  // namespace ips::testing
