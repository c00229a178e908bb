#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace ips {

// Helpers for AIP-132 list methods: page size, page tokens and filters.

// Resolves `page_size`: 0 gives `default_size`; 1..max_size is kept;
// anything else is INVALID_ARGUMENT on field "page_size".
absl::StatusOr<int> ResolvePageSize(int requested, int default_size = 50, int max_size = 1000);

// Page tokens are opaque to callers. They hold the last key of the previous
// page and a fingerprint of the query (method, parent, filter), signed with
// the service's page-token key (HMAC-SHA256), so a token replayed against
// another query, altered, or made by hand gives INVALID_ARGUMENT on
// "page_token" instead of a page: the server trusts only what it signed.
// They are signed, not secret: they reveal only an opaque id. Several keys
// allow rotation (the first signs, any verifies); replicas of one service
// share them (runtime_options.h).
class PageTokens {
 public:
  // `keys` must not be empty; each at least 32 bytes.
  explicit PageTokens(std::vector<std::string> keys);

  std::string Encode(const std::string& query_scope, const std::string& last_key) const;
  absl::StatusOr<std::string> Decode(const std::string& token, const std::string& query_scope) const;

 private:
  std::vector<std::string> keys_;
};

// One page of a keyset-paginated list: its size, the cursor the request's
// token carries ("" for the first page), and the query scope the next
// token is bound to.
struct PageQuery {
  int size = 0;
  std::string after;
  std::string scope;
  const PageTokens* tokens = nullptr;
  // Rows to fetch: one more than the page, to learn whether another follows.
  int fetch() const { return size + 1; }
};

// Validates page size and token for the query identified by `scope`.
absl::StatusOr<PageQuery> StartPage(const PageTokens& tokens, std::string scope, int page_size,
                                    const std::string& page_token, int default_size = 50);

// Cuts `rows` (fetched with page.fetch()) to the page; returns the next page
// token, or "" on the last page. `key` gives a row's cursor.
template <typename Row, typename Key>
std::string FinishPage(std::vector<Row>& rows, const PageQuery& page, Key key) {
  if (static_cast<int>(rows.size()) <= page.size) return "";
  rows.resize(page.size);
  return page.tokens->Encode(page.scope, key(rows.back()));
}

// The one way every list method pages (AIP-158):
//
//   auto page = StartListPage(core_.page_tokens(), "ListThings", *req);
//   if (!page.ok()) return page.status();
//   ... in the read: auto rows = SelectThings(s, ..., page->after, page->fetch());
//   resp->set_next_page_token(FinishPage(rows, *page, ThingKey));
//   for (auto& r : rows) *resp->add_things() = std::move(r);
//
// A token is bound to its query: the method, and the request's parent and
// filter where it has them, so one cannot page another list.
template <typename Request>
std::string ListScope(std::string_view method, const Request& req) {
  std::string scope(method);
  if constexpr (requires { req.parent(); }) scope.append("|").append(req.parent());
  if constexpr (requires { req.filter(); }) scope.append("|").append(req.filter());
  return scope;
}

template <typename Request>
absl::StatusOr<PageQuery> StartListPage(const PageTokens& tokens, std::string_view method, const Request& req,
                                        int default_size = 50) {
  return StartPage(tokens, ListScope(method, req), req.page_size(), req.page_token(), default_size);
}

// One `field = value` term of an AIP-160 filter.
struct FilterTerm {
  std::string field;
  std::string value;
};

// Parses a conjunction of `field = value` terms joined by AND. Values are
// bare words or double-quoted strings. Only fields in `allowed` may appear,
// each once. Errors are INVALID_ARGUMENT on field "filter".
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(const std::string& filter,
                                                    const std::set<std::string>& allowed);

}  // namespace ips
