// libFuzzer target: page tokens come back from callers, so they are
// untrusted. Decoding any input answers without crashing; a token decodes
// only for the query it was made for; what we encode decodes to itself.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/common/list_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ips::PageTokens tokens({std::string(32, 'k')});
  const std::string input(reinterpret_cast<const char*>(data), size);
  (void)tokens.Decode(input, "citizens|");
  // Split the input into a scope and a key and round-trip them (keys are a
  // row's sort key, short; tokens over 1,000 characters are refused).
  if (size > 600) return 0;
  const size_t cut = size / 2;
  const std::string scope = input.substr(0, cut), key = input.substr(cut);
  const std::string token = tokens.Encode(scope, key);
  auto decoded = tokens.Decode(token, scope);
  if (!decoded.ok() || *decoded != key) std::abort();
  if (tokens.Decode(token, scope + "x").ok()) std::abort();
  return 0;
}
