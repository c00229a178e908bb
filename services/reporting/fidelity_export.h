#pragma once

#include <string>

#include "ips/reporting/v1/fidelity.pb.h"

namespace ips::reporting {

// Renderings of a (suppressed) fidelity review; they show exactly what the
// review holds.

// RFC 4180 CSV: section (item, consultant, total), item, title, rating,
// score, value, anchor source; one row per item, one per consultant's
// figure on an item, and the total.
std::string FidelityCsv(const v1::FidelityReview& review);

// A standalone HTML page: a chart of the 25 items' scores (1 to 5, the
// unscored shown as such), the items with their figures, anchors and
// sources as a table, and the consultants' scores per item; inline SVG, no
// scripts and no external resources.
std::string FidelityHtml(const v1::FidelityReview& review);

}  // namespace ips::reporting
