#pragma once

#include <string>

namespace ips::treatment {

// A treatment episode may be booked a little ahead of its start (and end
// ahead, when its end is planned): a month is the longest wait the units
// plan with.
inline constexpr int kEpisodeDaysAhead = 30;

// An episode's diagnosis, when recorded, is an ICD-10 code of a
// substance-use disorder: F10–F19, optionally with a subdivision of one or
// two digits (F10.2, F19.24).
bool ValidDiagnosisCode(const std::string& code);

}  // namespace ips::treatment
