#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ips/common/v1/subject_access.pb.h"

namespace ipsctl {

// A subject access bundle from the services' parts: one machine-readable
// JSON document {"citizen", "pseudonym", "parts": [{"service",
// "export_time", "row_count", "data"}...]} with each part's rows as the
// service exported them.
nlohmann::json SubjectBundle(const std::string& citizen,
                             const std::vector<ips::common::v1::SubjectDataExport>& parts);

// The bundle as a standalone HTML page for the citizen to read: a section
// per service, a table per kind of record, every value escaped, no scripts.
std::string SubjectBundleHtml(const nlohmann::json& bundle);

}  // namespace ipsctl
