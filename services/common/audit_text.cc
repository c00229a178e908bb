#include "services/common/audit_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"

namespace ips {
namespace {

bool WordChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

size_t DigitsAt(std::string_view s, size_t i) {
  size_t n = 0;
  while (i + n < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i + n]))) ++n;
  return n;
}

// The length of a CPR-shaped number starting at `i`, or 0.
size_t CprAt(std::string_view s, size_t i) {
  if (i > 0 && WordChar(s[i - 1])) return 0;
  const size_t first = DigitsAt(s, i);
  size_t end = 0;
  if (first == 10) {
    end = i + 10;
  } else if (first == 6 && i + 6 < s.size() && (s[i + 6] == '-' || s[i + 6] == ' ') &&
             DigitsAt(s, i + 7) == 4) {
    end = i + 11;
  } else {
    return 0;
  }
  if (end < s.size() && WordChar(s[end])) return 0;
  return end - i;
}

}  // namespace

std::string AuditText(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes + 1));
  for (size_t i = 0; i < text.size();) {
    if (const size_t n = CprAt(text, i)) {
      out += "[cpr?]";
      i += n;
    } else {
      out += text[i++];
    }
  }
  if (out.size() <= max_bytes) return out;
  return absl::StrCat("[", out.size(), " bytes, sha256 ", Sha256Hex(out).substr(0, 16), "]");
}

}  // namespace ips
