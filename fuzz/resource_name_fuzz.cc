// libFuzzer target: resource names from callers. Any input answers; the ids
// of an accepted name are valid ids and rebuild the name.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/common/resource_name.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto ids = ips::MatchResourceName(input, {"citizens", "", "placements", ""}, "name");
  if (!ids.ok()) return 0;
  if (ids->size() != 2) std::abort();
  for (const auto& id : *ids) {
    if (!ips::ValidResourceId(id)) std::abort();
  }
  if ("citizens/" + (*ids)[0] + "/placements/" + (*ids)[1] != input) std::abort();
  return 0;
}
