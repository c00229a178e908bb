// The registry store (registry_store.h): enrolments, their plans, and the
// rules version the plans were last made by.
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/prepared.h"
#include "services/common/soci_rows.h"
#include "services/common/stored_values.h"
#include "services/registry/domain/cpr.h"
#include "services/registry/registry_store.h"
#include "services/registry/resource_names.h"

namespace ips::registry {
namespace {

std::string Encode(const google::protobuf::Message& m) { return absl::Base64Escape(m.SerializeAsString()); }

template <typename Msg>
Msg Decode(const std::string& text) {
  std::string raw;
  Msg m;
  if (absl::Base64Unescape(text, &raw)) m.ParseFromString(raw);
  return m;
}

// --- enrolments
constexpr char kEnrollmentSelect[] =
    "SELECT id, citizen_id, consultant_id, state, start_date, assessment, decision, "
    "schedule_version, due_dates, end_date, outcome, end_reason, version, create_micros, "
    "update_micros, lost_contact FROM enrollments ";

struct EnrollmentRow {
  std::string id, citizen_id, consultant_id, start, assessment, decision, schedule, due, end, end_reason;
  int state = 0, outcome = 0, lost_contact = 0;
  long long version = 0, created = 0, updated = 0;

  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(consultant_id), soci::into(state),
        soci::into(start), soci::into(assessment), soci::into(decision), soci::into(schedule),
        soci::into(due), soci::into(end), soci::into(outcome), soci::into(end_reason), soci::into(version),
        soci::into(created), soci::into(updated), soci::into(lost_contact);
  }
  EnrollmentRecord ToRecord() const {
    EnrollmentRecord r;
    r.id = id;
    r.citizen_id = citizen_id;
    r.consultant_id = consultant_id;
    r.start_date = ParseDay(start).value_or(absl::CivilDay());
    for (absl::string_view d : absl::StrSplit(due, ',', absl::SkipEmpty())) {
      if (auto day = ParseDay(std::string(d))) r.due_dates.push_back(*day);
    }
    r.version = version;
    auto& e = r.enrollment;
    e.set_name(EnrollmentNameOf(citizen_id, id));
    e.set_consultant(ConsultantName(consultant_id));
    *e.mutable_start_date() = DateFromText(start);
    e.set_state(static_cast<v1::EnrollmentState>(state));
    *e.mutable_assessment() = Decode<v1::EligibilityAssessment>(assessment);
    *e.mutable_decision() = Decode<v1::EligibilityDecision>(decision);
    e.set_rules_version(schedule);
    e.set_conversation_schedule(schedule);
    *e.mutable_end_date() = DateFromText(end);
    e.set_outcome(static_cast<v1::CourseOutcome>(outcome));
    e.set_end_reason(end_reason);
    e.set_lost_contact(lost_contact != 0);
    SetTime(e.mutable_create_time(), created);
    SetTime(e.mutable_update_time(), updated);
    e.set_etag(EtagOf(version));
    return r;
  }
};

}  // namespace

std::optional<EnrollmentRecord> LoadEnrollment(soci::session& s, const std::string& citizen_id,
                                               const std::string& enrollment_id) {
  EnrollmentRow row;
  Prepared st(s, absl::StrCat(kEnrollmentSelect, "WHERE id = :id AND citizen_id = :c"));
  row.Bind(st);
  st, soci::use(enrollment_id), soci::use(citizen_id);
  if (!st.Execute()) return std::nullopt;
  return row.ToRecord();
}

void InsertEnrollment(soci::session& s, const EnrollmentRecord& r, long long now) {
  const auto& e = r.enrollment;
  std::vector<std::string> due;
  for (auto d : r.due_dates) due.push_back(FormatDay(d));
  std::string start = FormatDay(r.start_date), dues = absl::StrJoin(due, ","),
              assessment = Encode(e.assessment()), decision = Encode(e.decision()), empty;
  int state = e.state(), outcome = 0;
  RunKept(s,
          "INSERT INTO enrollments (id, citizen_id, consultant_id, state, start_date, assessment, "
          "decision, schedule_version, due_dates, end_date, outcome, end_reason, version, "
          "create_micros, update_micros) VALUES (:id, :c, :k, :st, :sd, :a, :d, :sv, :due, :ed, :o, "
          ":er, :v, :cm, :um)",
          soci::use(r.id), soci::use(r.citizen_id), soci::use(r.consultant_id), soci::use(state),
          soci::use(start), soci::use(assessment), soci::use(decision), soci::use(e.conversation_schedule()),
          soci::use(dues), soci::use(empty), soci::use(outcome), soci::use(empty), soci::use(r.version),
          soci::use(now), soci::use(now));
}

void UpdateEnrollment(soci::session& s, const EnrollmentRecord& r, long long now) {
  const auto& e = r.enrollment;
  int state = e.state(), outcome = e.outcome(), lost_contact = e.lost_contact() ? 1 : 0;
  std::string end = DateText(e.end_date());
  RunKept(s,
          "UPDATE enrollments SET consultant_id = :k, state = :st, end_date = :ed, outcome = :o, "
          "end_reason = :er, version = :v, update_micros = :um, lost_contact = :lc WHERE id = :id",
          soci::use(r.consultant_id), soci::use(state), soci::use(end), soci::use(outcome),
          soci::use(e.end_reason()), soci::use(r.version), soci::use(now), soci::use(lost_contact),
          soci::use(r.id));
}

void UpdateEnrollmentPlan(soci::session& s, const std::string& enrollment_id,
                          const std::string& rules_version, const std::vector<absl::CivilDay>& due_dates) {
  std::vector<std::string> due;
  for (auto d : due_dates) due.push_back(FormatDay(d));
  const std::string dues = absl::StrJoin(due, ",");
  RunKept(s, "UPDATE enrollments SET schedule_version = :sv, due_dates = :due WHERE id = :id",
          soci::use(rules_version), soci::use(dues), soci::use(enrollment_id));
}

std::optional<DatedRecord> LatestRecordOf(soci::session& s, const EnrollmentRecord& e) {
  std::optional<DatedRecord> latest;
  const auto consider = [&](const std::string& day_text, const std::string& name) {
    auto day = ParseDay(day_text);
    if (day && (!latest || *day > latest->day)) latest = DatedRecord{*day, name};
  };
  std::string id, day;
  soci::indicator ind = soci::i_ok;
  if (RunKept(s,
              "SELECT id, held_date FROM job_conversations WHERE enrollment_id = :e ORDER BY held_date DESC, "
              "id LIMIT 1",
              soci::use(e.id), soci::into(id), soci::into(day, ind))) {
    consider(day, absl::StrCat(e.enrollment.name(), "/jobConversations/", id));
  }
  // An activity's end when it has one, else its start.
  if (RunKept(s,
              "SELECT id, CASE WHEN end_date > start_date THEN end_date ELSE start_date END AS last_day FROM "
              "activities WHERE enrollment_id = :e ORDER BY last_day DESC, id LIMIT 1",
              soci::use(e.id), soci::into(id), soci::into(day, ind))) {
    consider(day, absl::StrCat(e.enrollment.name(), "/activities/", id));
  }
  return latest;
}

std::string RulesApplied(soci::session& s) {
  std::string fingerprint;
  RunKept(s, "SELECT fingerprint FROM rules_applied WHERE id = 1", soci::into(fingerprint));
  return fingerprint;
}

void SetRulesApplied(soci::session& s, const std::string& fingerprint) {
  RunKept(s, "UPDATE rules_applied SET fingerprint = :f WHERE id = 1", soci::use(fingerprint));
}

std::vector<EnrollmentRecord> SelectEnrollments(soci::session& s, const EnrollmentFilter& f,
                                                const std::string& after_id, int limit) {
  std::vector<EnrollmentRecord> out;
  EnrollmentRow row;
  Prepared p(s, absl::StrCat(kEnrollmentSelect,
                             "WHERE id > :after AND (CAST(:c1 AS TEXT) = '' OR citizen_id = :c2) "
                             "AND (:s1 = 0 OR state = :s2) "
                             "AND (CAST(:k1 AS TEXT) = '' OR consultant_id = :k2) "
                             "ORDER BY id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(after_id), soci::use(f.citizen_id), soci::use(f.citizen_id), soci::use(f.state),
      soci::use(f.state), soci::use(f.consultant_id), soci::use(f.consultant_id), soci::use(limit);
  p.Execute(false);
  while (p.Fetch()) out.push_back(row.ToRecord());
  return out;
}

}  // namespace ips::registry
