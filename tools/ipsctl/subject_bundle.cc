#include "tools/ipsctl/subject_bundle.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace ipsctl {
namespace {

std::string Escape(const std::string& s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

std::string Text(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace

nlohmann::json SubjectBundle(const std::string& citizen,
                             const std::vector<ips::common::v1::SubjectDataExport>& parts) {
  nlohmann::json bundle = {{"citizen", citizen}, {"parts", nlohmann::json::array()}};
  for (const auto& p : parts) {
    if (!p.pseudonym().empty()) bundle["pseudonym"] = p.pseudonym();
    bundle["parts"].push_back({{"service", p.service()},
                               {"export_time", p.export_time().seconds()},
                               {"row_count", p.row_count()},
                               {"data", nlohmann::json::parse(p.data_json(), nullptr, false)}});
  }
  return bundle;
}

std::string SubjectBundleHtml(const nlohmann::json& bundle) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">"
      "<title>What the IPS Sydhavnen suite holds about ",
      Escape(bundle.value("citizen", "")),
      "</"
      "title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1."
      "5em}"
      "td,th{border:1px solid #999;padding:.2em "
      ".5em;text-align:left;vertical-align:top}</style></head><body>\n",
      "<h1>What the IPS Sydhavnen suite holds about ", Escape(bundle.value("citizen", "")), "</h1>\n");
  for (const auto& part : bundle["parts"]) {
    absl::StrAppend(&out, "<h2>", Escape(part.value("service", "")), " (", part.value("row_count", 0),
                    " records)</h2>\n");
    const auto& data = part["data"];
    if (!data.is_object()) continue;
    for (const auto& [table, rows] : data.items()) {
      absl::StrAppend(&out, "<h3>", Escape(table), "</h3>\n");
      if (!rows.is_array() || rows.empty()) {
        absl::StrAppend(&out, "<p>None.</p>\n");
        continue;
      }
      std::vector<std::string> columns;
      std::set<std::string> seen;
      for (const auto& row : rows) {
        for (const auto& [column, value] : row.items()) {
          if (seen.insert(column).second) columns.push_back(column);
        }
      }
      absl::StrAppend(&out, "<table><tr>");
      for (const auto& c : columns) absl::StrAppend(&out, "<th>", Escape(c), "</th>");
      absl::StrAppend(&out, "</tr>\n");
      for (const auto& row : rows) {
        absl::StrAppend(&out, "<tr>");
        for (const auto& c : columns)
          absl::StrAppend(&out, "<td>", Escape(row.contains(c) ? Text(row[c]) : ""), "</td>");
        absl::StrAppend(&out, "</tr>\n");
      }
      absl::StrAppend(&out, "</table>\n");
    }
  }
  absl::StrAppend(&out, "</body></html>\n");
  return out;
}

}  // namespace ipsctl
