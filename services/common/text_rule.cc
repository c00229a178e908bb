#include "services/common/text_rule.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ips {
namespace {

// Decodes one code point at `i` (strict UTF-8); false when malformed.
bool Decode(std::string_view s, size_t& i, uint32_t& cp) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  size_t n;
  uint32_t min;
  if (b0 < 0x80) {
    cp = b0;
    ++i;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    n = 1, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    return false;
  }
  for (size_t k = 1; k <= n; ++k) {
    if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += n + 1;
  return true;
}

// Why `cp` may not appear, or nullptr.
const char* Forbidden(uint32_t cp, TextLines lines) {
  const bool multi = lines == TextLines::kMulti;
  if (cp == '\t' || cp == '\n' || cp == '\r') return multi ? nullptr : "a tab or line break";
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return "a control character";
  if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF || cp == 0x180E) {
    return "a zero-width character";
  }
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069)) {
    return "a bidirectional control";
  }
  if (cp == 0x2028 || cp == 0x2029) return multi ? nullptr : "a line or paragraph separator";
  return nullptr;
}

}  // namespace

std::optional<std::string> TextProblem(std::string_view text, size_t max_chars, TextLines lines) {
  size_t i = 0, chars = 0;
  while (i < text.size()) {
    const size_t at = i;
    uint32_t cp = 0;
    if (!Decode(text, i, cp)) return absl::StrCat("is not valid UTF-8 at byte ", at + 1);
    ++chars;
    if (const char* why = Forbidden(cp, lines)) {
      return absl::StrFormat("holds U+%04X, %s, at character %d", cp, why, chars);
    }
  }
  if (chars > max_chars) return absl::StrCat("must be at most ", max_chars, " characters (has ", chars, ")");
  return std::nullopt;
}

size_t CharacterCount(std::string_view text) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return chars;
}

}  // namespace ips
