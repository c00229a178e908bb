#include "services/reporting/export_parts.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace ips::reporting {
namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\"", "\"\""}}), "\"");
}

}  // namespace

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) absl::StrAppend(&out, i ? "," : "", CsvField(fields[i]));
  return out + "\r\n";
}

std::string Html(const std::string& s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

std::string Day(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string BarChart(const std::string& title, const std::vector<Bar>& bars, double max,
                     const std::vector<Marker>& markers) {
  const int label_w = 330, chart_w = 360, row_h = 24, top = 30;
  const int height = top + static_cast<int>(bars.size()) * row_h + 24;
  const int width = label_w + chart_w + 150;
  std::string svg = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" aria-label=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
      "height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>%s</title>\n"
      "<text x=\"0\" y=\"18\" class=\"chart-title\">%s</text>\n",
      Html(title), width, height, width, height, Html(title), Html(title));
  auto x = [&](double v) { return label_w + std::clamp(v / max, 0.0, 1.0) * chart_w; };
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = top + static_cast<int>(i) * row_h;
    absl::StrAppend(&svg, absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"label\">%s</text>\n", label_w - 8,
                                          y + 16, Html(bars[i].label)));
    double end = label_w;
    if (bars[i].value) {
      end = x(*bars[i].value);
      absl::StrAppend(
          &svg, absl::StrFormat("<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>\n",
                                label_w, y + 4, std::max(1.0, end - label_w), row_h - 8));
    }
    absl::StrAppend(&svg, absl::StrFormat("<text x=\"%.1f\" y=\"%d\" class=\"value\">%s</text>\n", end + 6,
                                          y + 16, Html(bars[i].text)));
  }
  for (const auto& m : markers) {
    const double mx = x(m.value);
    absl::StrAppend(&svg,
                    absl::StrFormat("<line class=\"marker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n"
                                    "<text x=\"%.1f\" y=\"%d\" class=\"marker-label\">%s</text>\n",
                                    mx, top - 4, mx, height - 20, mx, height - 6, Html(m.label)));
  }
  return svg + "</svg>\n";
}

std::string HtmlPage(const std::string& title, const std::string& heading, const std::string& intro_html,
                     const std::string& body) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n<title>",
      Html(title),
      "</title>\n<style>\n"
      "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:2em}"
      "td,th{border-bottom:1px solid #ccc;padding:4px 10px;text-align:left}tr.not-met td{color:#a00}"
      ".chart{display:block;margin:1.5em 0}.chart-title{font-weight:bold;font-size:14px}"
      ".label{font-size:12px;text-anchor:end}.value{font-size:12px}.bar{fill:#2b6cb0}"
      ".marker{stroke:#c05621;stroke-width:2;stroke-dasharray:4 3}.marker-label{font-size:11px;fill:#c05621;"
      "text-anchor:middle}\n</style>\n</head>\n<body>\n<h1>",
      Html(heading), "</h1>\n<p>", intro_html, "</p>\n", body, "</body>\n</html>\n");
}

}  // namespace ips::reporting
