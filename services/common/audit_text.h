#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ips {

// The audit keeps what a caller sent (a filter, the name a refused call
// addressed, a token's subject) bounded and free of CPR numbers, so no
// caller can grow the accountability record at will or put a CPR number
// into it:
//   - a number shaped like a CPR number standing on its own (ten digits, or
//     six, a dash or space, and four, not inside a longer word or number)
//     reads "[cpr?]";
//   - text longer than `max_bytes` after that is kept as its length and the
//     first 16 hex digits of its SHA-256 ("[3145728 bytes, sha256 1f3a...]"),
//     which is enough to recognise the same text again and too little to
//     hold anything.
std::string AuditText(std::string_view text, size_t max_bytes);

}  // namespace ips
