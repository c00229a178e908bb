#pragma once

#include <set>

#include "ips/reporting/v1/fidelity.pb.h"
#include "services/reporting/domain/fidelity_measures.h"

namespace ips::reporting {

// The review as published: each item of `review` (ReviewFidelity over
// `scale`) with its anchors; the items outside `fed_items` that the data
// would answer marked not yet fed, without a figure or score; a figure
// resting on 1 to threshold-1 citizens withheld with its score, and a
// share ShowShare suppresses withheld with its score too (the score would
// narrow the share down). The total counts
// only the scores shown, so it is complete, with its band, only when all
// 25 are.
v1::FidelityReview PublishFidelityReview(const FidelityScale& scale, const FidelityReview& review,
                                         const std::set<int>& fed_items, const FidelityPeriod& period,
                                         long long threshold);

}  // namespace ips::reporting
