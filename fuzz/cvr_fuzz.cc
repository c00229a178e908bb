// libFuzzer target: the CVR parser. An accepted number is 8 digits, not
// starting with 0, passing modulus 11, and parses again to itself.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/matching/domain/cvr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto cvr = ips::matching::ParseCvr(input);
  if (!cvr.ok()) return 0;
  if (cvr->size() != 8 || (*cvr)[0] == '0') std::abort();
  static const int kWeights[] = {2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    if ((*cvr)[i] < '0' || (*cvr)[i] > '9') std::abort();
    sum += ((*cvr)[i] - '0') * kWeights[i];
  }
  if (sum % 11 != 0) std::abort();
  auto again = ips::matching::ParseCvr(*cvr);
  if (!again.ok() || *again != *cvr) std::abort();
  return 0;
}
