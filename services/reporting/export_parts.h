#pragma once

#include <optional>
#include <string>
#include <vector>

#include "google/type/date.pb.h"

namespace ips::reporting {

// What the exports (report_export.h, fidelity_export.h) are made of: CSV
// rows, HTML escaping, inline SVG bar charts and the page around them.

// "YYYY-MM-DD".
std::string Day(const google::type::Date& d);

// One RFC 4180 row, CRLF-terminated; fields quoted where they must be.
std::string CsvRow(const std::vector<std::string>& fields);

// `s` escaped for HTML text and attribute values.
std::string Html(const std::string& s);

struct Bar {
  std::string label;
  std::optional<double> value;  // none: suppressed or no data, shown as text only
  std::string text;
};

struct Marker {
  double value;
  std::string label;
};

// A horizontal bar chart as inline SVG, bars scaled to `max`, with
// vertical marker lines (targets, caps).
std::string BarChart(const std::string& title, const std::vector<Bar>& bars, double max,
                     const std::vector<Marker>& markers);

// A standalone page: `title`, an <h1> `heading`, the paragraph `intro_html`
// (already escaped) and `body`; inline styles only, and a content security
// policy that allows nothing else, so it opens anywhere as it is.
std::string HtmlPage(const std::string& title, const std::string& heading, const std::string& intro_html,
                     const std::string& body);

}  // namespace ips::reporting
