#include "services/reporting/report_export.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/reporting/export_parts.h"

namespace ips::reporting {
namespace {

std::string StatusText(v1::TargetStatus s) {
  switch (s) {
    case v1::TARGET_STATUS_MET:
      return "met";
    case v1::TARGET_STATUS_NOT_MET:
      return "not met";
    case v1::TARGET_STATUS_NO_DATA:
      return "no data yet";
    default:
      return "";
  }
}

// The percentage at the end of a shown share ("5 of 19 = 26%"), if shown.
std::optional<double> PercentOf(const std::string& shown) {
  const auto eq = shown.rfind("= ");
  if (eq == std::string::npos || shown.back() != '%') return std::nullopt;
  double v = 0;
  if (!absl::SimpleAtod(shown.substr(eq + 2, shown.size() - eq - 3), &v)) return std::nullopt;
  return v;
}

std::optional<double> CountOf(const std::string& shown) {
  double v = 0;
  if (!absl::SimpleAtod(shown, &v)) return std::nullopt;
  return v;
}

const std::vector<std::string> kShareKpis = {
    "job_or_education_12m",  "job_or_education_24m",    "job_or_education_now",    "placement_or_progression",
    "placed_within_30_days", "conversation_timeliness", "conversation_attendance", "treatment_guarantee_met"};

}  // namespace

std::string ReportCsv(const v1::ProgrammeReport& r) {
  std::string out = CsvRow({"section", "id", "title", "value", "target", "status"});
  const std::string as_of = Day(r.as_of());
  for (const auto& k : r.kpis()) {
    out += CsvRow({"figure", k.id(), k.title(), k.value(), k.target(), StatusText(k.status())});
  }
  for (const auto& c : r.cohorts()) {
    out += CsvRow({"cohort", c.cohort(), "enrolled", c.enrolled(), "", ""});
    out +=
        CsvRow({"cohort", c.cohort(), "job or education within 12 months", c.within_12_months(), "15%", ""});
    out +=
        CsvRow({"cohort", c.cohort(), "job or education within 24 months", c.within_24_months(), "25%", ""});
  }
  for (const auto& c : r.consultants()) {
    out += CsvRow({"consultant", c.consultant_id(), "caseload", c.caseload(), "25 (fidelity 20)", ""});
    out += CsvRow({"consultant", c.consultant_id(), "employer contacts per week",
                   absl::StrFormat("%.1f", c.employer_contacts_per_week()), "", ""});
  }
  for (const auto& o : r.outcomes())
    out += CsvRow({"outcome", o.outcome(), "ended courses", o.count(), "", ""});
  out += CsvRow({"meta", "as_of", "as of", as_of, "", ""});
  out += CsvRow({"meta", "suppression_threshold", "counts below this are shown as <N",
                 std::to_string(r.suppression_threshold()), "", ""});
  return out;
}

std::string ReportHtml(const v1::ProgrammeReport& r) {
  const std::string as_of = Day(r.as_of());
  std::string body;
  // The figures table.
  absl::StrAppend(&body,
                  "<table>\n<thead><tr><th>Figure</th><th>Value</th><th>Target</th><th>Status</th></tr></"
                  "thead>\n<tbody>\n");
  for (const auto& k : r.kpis()) {
    absl::StrAppend(&body,
                    absl::StrFormat("<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                                    k.status() == v1::TARGET_STATUS_NOT_MET ? "not-met" : "", Html(k.title()),
                                    Html(k.value()), Html(k.target()), Html(StatusText(k.status()))));
  }
  absl::StrAppend(&body, "</tbody>\n</table>\n");

  std::vector<Bar> shares;
  for (const auto& id : kShareKpis) {
    for (const auto& k : r.kpis()) {
      if (k.id() != id) continue;
      Bar b{k.title(), std::nullopt, k.value()};
      if (!k.suppressed() && k.denominator() > 0) b.value = k.value_number();
      shares.push_back(b);
    }
  }
  absl::StrAppend(&body, BarChart("Shares of citizens (%); the lines mark the targets 15%, 25% and 50%",
                                  shares, 100, {{15, "15%"}, {25, "25%"}, {50, "50%"}}));

  std::vector<Bar> cohorts;
  for (const auto& c : r.cohorts()) {
    cohorts.push_back({absl::StrCat(c.cohort(), " (", c.enrolled(), " enrolled)"),
                       PercentOf(c.within_12_months()), c.within_12_months()});
  }
  absl::StrAppend(&body, BarChart("Job or education within 12 months, by start quarter (%)", cohorts, 100,
                                  {{15, "target 15%"}}));

  std::vector<Bar> loads;
  double most = 30;
  for (const auto& c : r.consultants()) {
    auto v = CountOf(c.caseload());
    if (v) most = std::max(most, *v + 5);
    loads.push_back(
        {absl::StrCat("consultant ", c.consultant_id().substr(0, 8)), v,
         absl::StrFormat("%s (%.1f employer contacts/week)", c.caseload(), c.employer_contacts_per_week())});
  }
  absl::StrAppend(
      &body, BarChart("Caseload per consultant against the fidelity scale (20) and the budget (25)", loads,
                      most, {{20, "20"}, {25, "25"}}));

  std::vector<Bar> outcomes;
  double top = 1;
  for (const auto& o : r.outcomes()) {
    auto v = CountOf(o.count());
    if (v) top = std::max(top, *v);
    outcomes.push_back({o.outcome(), v, o.count()});
  }
  absl::StrAppend(&body, BarChart("Outcomes of ended courses", outcomes, top, {}));

  return HtmlPage(
      absl::StrCat("IPS Sydhavnen programme report ", as_of), "IPS Sydhavnen: programme report",
      absl::StrCat("As of ", as_of, ", period from ", Day(r.period_start()), ". Counts below ",
                   r.suppression_threshold(), " are shown as &lt;", r.suppression_threshold(),
                   ", with further cells hidden where a total would reveal them. Figures come from "
                   "pseudonymised events only."),
      body);
}

}  // namespace ips::reporting
