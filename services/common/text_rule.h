#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ips {

// One rule for every string a person types (names, titles, addresses,
// notes, reasons), applied by Violations::Text:
//   - valid UTF-8 (no overlong forms, no surrogates);
//   - no control characters: C0, DEL and C1; tab and line breaks only in
//     multi-line fields (a note, a reason, a description);
//   - no zero-width characters (U+200B-U+200D, U+2060-U+2064, U+FEFF,
//     U+180E) and no bidirectional controls (U+061C, U+200E, U+200F,
//     U+202A-U+202E, U+2066-U+2069): a case worker's screen would hide
//     them or show the text reversed;
//   - line and paragraph separators (U+2028, U+2029) only in multi-line
//     fields;
//   - a length limit in characters (code points), not bytes, so 60 emoji
//     are 60 characters.
enum class TextLines { kSingle, kMulti };

// What is wrong with `text`, naming the position ("holds U+202E, a
// bidirectional control, at character 5"), or nullopt when it keeps the
// rule. `max_chars` limits the number of characters.
std::optional<std::string> TextProblem(std::string_view text, size_t max_chars, TextLines lines);

// The number of characters (code points) of valid UTF-8 `text`.
size_t CharacterCount(std::string_view text);

}  // namespace ips
