#pragma once

#include <utility>

// Early returns for absl::Status and absl::StatusOr, where a function
// checks many steps in a row (parsing a rules file, say) and each failure
// is the function's answer.

// IPS_RETURN_IF_ERROR(expr): returns `expr`'s status from the enclosing
// function when it is not OK.
#define IPS_RETURN_IF_ERROR(expr)                                         \
  do {                                                                    \
    if (auto ips_status_ = (expr); !ips_status_.ok()) return ips_status_; \
  } while (0)

// IPS_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr);
// returns its status when it is not OK, else assigns (or, with
// `auto name`, declares) `lhs` from its value.
#define IPS_ASSIGN_OR_RETURN(lhs, expr) \
  IPS_ASSIGN_OR_RETURN_(IPS_STATUS_CONCAT_(ips_statusor_, __LINE__), lhs, expr)

#define IPS_ASSIGN_OR_RETURN_(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = *std::move(tmp)
#define IPS_STATUS_CONCAT_(a, b) IPS_STATUS_CONCAT_INNER_(a, b)
#define IPS_STATUS_CONCAT_INNER_(a, b) a##b
