#include "services/common/common_rpcs.h"

#include "absl/strings/str_cat.h"

namespace ips {

std::vector<SubjectQuery> SubjectData::Queries() const {
  const char* column = key == SubjectKey::kCitizen ? "citizen_id" : "pseudonym";
  std::vector<SubjectQuery> out;
  for (const auto& part : parts) {
    out.push_back(part.sql.empty() ? SubjectQuery{part.part, absl::StrCat("SELECT * FROM ", part.part,
                                                                          " WHERE ", column, " = :subject")}
                                   : part);
  }
  // Every service's audit log (common_schema.cc) names the citizen a call
  // was about; reporting's names none.
  if (key == SubjectKey::kCitizen) {
    out.push_back({"audit_log", "SELECT * FROM audit_log WHERE citizen_id = :subject ORDER BY sequence"});
  }
  return out;
}

}  // namespace ips
