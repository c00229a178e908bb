#include "services/treatment/domain/episode_rules.h"

#include <regex>

namespace ips::treatment {

bool ValidDiagnosisCode(const std::string& code) {
  static const std::regex kPattern("F1[0-9](\\.[0-9]{1,2})?");
  return code.size() <= 8 && std::regex_match(code, kPattern);
}

}  // namespace ips::treatment
