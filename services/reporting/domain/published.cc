#include "services/reporting/domain/published.h"

#include "absl/strings/str_cat.h"
#include "services/reporting/domain/suppression.h"

namespace ips::reporting {

Shown ShowShare(const Share& share, long long threshold) {
  if (share.denominator == 0) return {"0 of 0", false, std::nullopt};
  const auto list = SuppressList({share.numerator, share.denominator - share.numerator}, threshold);
  if (list.total) return {ShowCount(share.denominator, true, threshold), true, std::nullopt};
  if (list.items[0]) {
    const bool small = share.numerator > 0 && share.numerator < threshold;
    return {absl::StrCat(small ? ShowCount(share.numerator, true, threshold) : "suppressed", " of ",
                         share.denominator),
            true, std::nullopt};
  }
  return {share.Text(), false, share.percent()};
}

std::string ShowPlain(long long count, long long threshold) {
  return ShowCount(count, count > 0 && count < threshold, threshold);
}

}  // namespace ips::reporting
