#pragma once

#include <string>

#include "ips/reporting/v1/report.pb.h"

namespace ips::reporting {

// Renderings of a (suppressed) programme report. They show exactly what the
// report holds: suppressed cells stay "<5".

// RFC 4180 CSV: section, id, title, value, target, status.
std::string ReportCsv(const v1::ProgrammeReport& report);

// A standalone HTML page: the figures against their targets as a table and
// a bar chart, job or education within 12 months by cohort, caseload per
// consultant against 25 and 20, and the outcomes of ended courses, each
// chart an inline SVG. No scripts and no external resources, so it opens
// anywhere and can be mailed or archived as it is.
std::string ReportHtml(const v1::ProgrammeReport& report);

}  // namespace ips::reporting
