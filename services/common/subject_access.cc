#include "services/common/subject_access.h"

#include <soci/soci.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "services/common/resource_name.h"
#include "services/common/violations.h"

namespace ips {
namespace {

nlohmann::json ValueOf(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return nullptr;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_double:
      return row.get<double>(i);
    case soci::dt_integer:
      return row.get<int>(i);
    case soci::dt_long_long:
      return row.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return row.get<unsigned long long>(i);
    case soci::dt_date: {
      std::tm t = row.get<std::tm>(i);
      char text[32];
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &t);
      return std::string(text);
    }
    default:
      return row.get<std::string>(i);
  }
}

bool IsPseudonym(const std::string& p) {
  if (p.size() != 64) return false;
  for (char c : p) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

}  // namespace

grpc::Status ExportSubjectData(ServiceCore& core, const std::string& service_name, grpc::ServerContext* ctx,
                               const common::v1::ExportSubjectDataRequest* req,
                               common::v1::SubjectDataExport* resp, const std::vector<SubjectQuery>& queries,
                               SubjectKey key, bool with_pseudonym) {
  return core.guard().Run(
      ctx, "ExportSubjectData", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        std::string subject;
        if (key == SubjectKey::kCitizen) {
          auto id = ParseTopLevelName(req->citizen(), "citizens", "citizen");
          if (!id.ok()) return id.status();
          subject = *id;
          rec.citizen_id = subject;
          rec.resource = req->citizen();
          resp->set_citizen(req->citizen());
        } else {
          if (!IsPseudonym(req->pseudonym())) {
            Violations v;
            v.Add("pseudonym", "must be the 64 hexadecimal digits the registry's export gives");
            return v.status();
          }
          subject = req->pseudonym();
          rec.resource = "pseudonyms/" + subject.substr(0, 12);
        }
        nlohmann::json parts = nlohmann::json::object();
        int rows = 0;
        auto read = core.db().Read([&](soci::session& s) {
          std::vector<SubjectQuery> all = queries;
          // The service's record of having erased the citizen, if it has.
          if (key == SubjectKey::kCitizen)
            all.push_back({"erasures", "SELECT * FROM erasures WHERE citizen_id = :subject"});
          for (const auto& q : all) {
            nlohmann::json list = nlohmann::json::array();
            soci::rowset<soci::row> found = (s.prepare << q.sql, soci::use(subject, "subject"));
            for (const auto& row : found) {
              nlohmann::json object = nlohmann::json::object();
              for (std::size_t i = 0; i < row.size(); ++i)
                object[row.get_properties(i).get_name()] = ValueOf(row, i);
              list.push_back(std::move(object));
              ++rows;
            }
            parts[q.part] = std::move(list);
          }
          return absl::OkStatus();
        });
        if (!read.ok()) return read;
        resp->set_service(service_name);
        const absl::Time now = absl::Now();
        resp->mutable_export_time()->set_seconds(absl::ToUnixSeconds(now));
        resp->set_data_json(parts.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        resp->set_row_count(rows);
        // The pseudonym links the citizen to every event about them: only the
        // joint DPO, who gathers the suite-wide bundle with reporting's part,
        // gets it; an agency's own DPO exports that agency's records.
        if (with_pseudonym && caller.agency == "JOINT")
          resp->set_pseudonym(core.pseudonymizer().Pseudonym(subject));
        rec.note = "subject access export: " + std::to_string(rows) + " rows";
        return absl::OkStatus();
      });
}

}  // namespace ips
