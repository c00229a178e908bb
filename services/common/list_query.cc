#include "services/common/list_query.h"

#include <cctype>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/crypto.h"
#include "services/common/errors.h"

namespace ips {
namespace {

constexpr size_t kMaxFilterLength = 1000;
constexpr size_t kMaxTokenLength = 1000;

std::string Fingerprint(const std::string& query_scope) { return Sha256Hex(query_scope).substr(0, 16); }

}  // namespace

absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size) {
  if (requested == 0) return default_size;
  if (requested < 0 || requested > max_size) {
    return errors::InvalidArgument("page_size", absl::StrCat("must be between 0 and ", max_size));
  }
  return requested;
}

PageTokens::PageTokens(std::vector<std::string> keys) : keys_(std::move(keys)) {}

namespace {

std::string Signature(const std::string& key, const std::string& body) {
  return HmacSha256Hex(key, body).substr(0, 32);
}

}  // namespace

std::string PageTokens::Encode(const std::string& query_scope, const std::string& last_key) const {
  std::string body = absl::StrCat("v2|", Fingerprint(query_scope), "|", last_key);
  return absl::WebSafeBase64Escape(absl::StrCat(body, "|", Signature(keys_.front(), body)));
}

absl::StatusOr<std::string> PageTokens::Decode(const std::string& token,
                                               const std::string& query_scope) const {
  const auto unknown = [] {
    return errors::InvalidArgument("page_token", "is not a token returned by this list method");
  };
  if (token.size() > kMaxTokenLength) return unknown();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return unknown();
  auto last_bar = raw.rfind('|');
  if (last_bar == std::string::npos) return unknown();
  std::string body = raw.substr(0, last_bar);
  const std::string signature = raw.substr(last_bar + 1);
  // Compare every key's signature in full, so no timing tells which bytes
  // of a forged signature were right.
  bool signed_by_us = false;
  for (const auto& key : keys_) signed_by_us |= ConstantTimeEquals(Signature(key, body), signature);
  if (!signed_by_us) return unknown();
  if (body.rfind("v2|", 0) != 0 || body.size() < 3 + 16 + 1 || body[3 + 16] != '|') return unknown();
  if (body.substr(3, 16) != Fingerprint(query_scope)) {
    return errors::InvalidArgument("page_token",
                                   "belongs to a different query; keep parent and filter unchanged");
  }
  return body.substr(3 + 16 + 1);
}

absl::StatusOr<PageQuery> StartPage(const PageTokens& tokens, std::string scope, int page_size,
                                    const std::string& page_token, int default_size) {
  auto size = ResolvePageSize(page_size, default_size);
  if (!size.ok()) return size.status();
  PageQuery page{*size, "", std::move(scope), &tokens};
  if (!page_token.empty()) {
    auto after = tokens.Decode(page_token, page.scope);
    if (!after.ok()) return after.status();
    page.after = *after;
  }
  return page;
}

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(const std::string& filter,
                                                    const std::set<std::string>& allowed) {
  const auto bad = [&](const std::string& why) {
    return errors::InvalidArgument("filter",
                                   absl::StrCat(why, "; expected `field = value` terms joined by AND over: ",
                                                absl::StrJoin(allowed, ", ")));
  };
  if (filter.size() > kMaxFilterLength) return bad("is longer than 1000 characters");
  std::vector<FilterTerm> terms;
  size_t i = 0;
  const auto skip_space = [&] {
    while (i < filter.size() && std::isspace(static_cast<unsigned char>(filter[i]))) ++i;
  };
  const auto word = [&] {
    size_t start = i;
    while (i < filter.size()) {
      unsigned char c = static_cast<unsigned char>(filter[i]);
      if (std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':') {
        ++i;
      } else {
        break;
      }
    }
    return filter.substr(start, i - start);
  };
  skip_space();
  if (i == filter.size()) return terms;
  while (true) {
    skip_space();
    std::string field = word();
    if (field.empty()) return bad("a field name is missing");
    if (!allowed.count(field)) return bad(absl::StrCat("field `", field, "` cannot be filtered on"));
    for (const auto& t : terms) {
      if (t.field == field) return bad(absl::StrCat("field `", field, "` appears twice"));
    }
    skip_space();
    if (i >= filter.size() || filter[i] != '=') return bad(absl::StrCat("`=` expected after ", field));
    ++i;
    skip_space();
    std::string value;
    if (i < filter.size() && filter[i] == '"') {
      ++i;
      bool closed = false;
      while (i < filter.size()) {
        char c = filter[i++];
        if (c == '\\' && i < filter.size()) {
          value.push_back(filter[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value.push_back(c);
        }
      }
      if (!closed) return bad("a quoted value is not closed");
    } else {
      value = word();
      if (value.empty()) return bad(absl::StrCat("a value is missing for ", field));
    }
    terms.push_back({field, value});
    skip_space();
    if (i == filter.size()) break;
    std::string op = word();
    if (op != "AND") return bad("terms must be joined by AND");
  }
  return terms;
}

}  // namespace ips
