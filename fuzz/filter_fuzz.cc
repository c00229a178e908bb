// libFuzzer target: AIP-160 filters from callers. Any input answers; an
// accepted filter names only allowed fields, each once.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "services/common/list_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  static const std::set<std::string> kAllowed = {"district", "enrolled", "consultant", "state"};
  auto terms = ips::ParseFilter(input, kAllowed);
  if (!terms.ok()) return 0;
  std::set<std::string> seen;
  for (const auto& t : *terms) {
    if (!kAllowed.count(t.field) || !seen.insert(t.field).second) std::abort();
  }
  return 0;
}
