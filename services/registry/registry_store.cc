#include "services/registry/registry_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/soci_rows.h"
#include "services/common/stored_values.h"
#include "services/registry/domain/cpr.h"
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

// --- citizens
constexpr char kCitizenSelect[] =
    "SELECT c.id, c.cpr, c.given_name, c.family_name, c.birth_date, c.district, c.housing, "
    "c.phone_number, c.version, c.create_micros, c.update_micros, "
    "COALESCE((SELECT e.id FROM enrollments e WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE
    "), '') "
    "FROM citizens c WHERE NOT EXISTS (SELECT 1 FROM erasures x WHERE x.citizen_id = c.id) ";

struct CitizenRow {
  std::string id, cpr, given, family, birth, phone, active;
  int district = 0, housing = 0;
  long long version = 0, created = 0, updated = 0;

  void Bind(soci::details::prepare_temp_type& p) {
    p, soci::into(id), soci::into(cpr), soci::into(given), soci::into(family), soci::into(birth),
        soci::into(district), soci::into(housing), soci::into(phone), soci::into(version),
        soci::into(created), soci::into(updated), soci::into(active);
  }
  v1::Citizen ToProto() const {
    v1::Citizen c;
    c.set_name(CitizenName(id));
    c.set_cpr(cpr);
    auto parsed = ParseCpr(cpr);
    c.set_cpr_passes_modulus11(parsed.ok() && parsed->passes_modulus11);
    c.set_given_name(given);
    c.set_family_name(family);
    *c.mutable_birth_date() = DateFromText(birth);
    c.set_district(static_cast<v1::District>(district));
    c.set_housing(static_cast<v1::Housing>(housing));
    c.set_phone_number(phone);
    if (!active.empty()) c.set_active_enrollment(EnrollmentNameOf(id, active));
    SetTime(c.mutable_create_time(), created);
    SetTime(c.mutable_update_time(), updated);
    c.set_etag(EtagOf(version));
    return c;
  }
};

// --- consultants
constexpr char kConsultantSelect[] =
    "SELECT k.id, k.display_name, k.subject, k.unit, k.state, k.caseload_cap, k.version, "
    "k.create_micros, k.update_micros, "
    "(SELECT COUNT(*) FROM enrollments e WHERE e.consultant_id = k.id AND e." IPS_RUNNING_COURSE
    ") "
    "FROM consultants k ";

struct ConsultantRow {
  std::string id, display_name, subject, unit;
  int state = 0, cap = 0, caseload = 0;
  long long version = 0, created = 0, updated = 0;

  void Bind(soci::details::prepare_temp_type& p) {
    p, soci::into(id), soci::into(display_name), soci::into(subject), soci::into(unit), soci::into(state),
        soci::into(cap), soci::into(version), soci::into(created), soci::into(updated), soci::into(caseload);
  }
  v1::Consultant ToProto(int default_cap) const {
    v1::Consultant c;
    c.set_name(ConsultantName(id));
    c.set_display_name(display_name);
    c.set_subject(subject);
    c.set_unit(unit);
    c.set_state(static_cast<v1::ConsultantState>(state));
    c.set_caseload_cap(cap);
    c.set_caseload(caseload);
    c.set_effective_caseload_cap(EffectiveCap(cap, default_cap));
    SetTime(c.mutable_create_time(), created);
    SetTime(c.mutable_update_time(), updated);
    c.set_etag(EtagOf(version));
    return c;
  }
};

// --- enrolments
constexpr char kEnrollmentSelect[] =
    "SELECT id, citizen_id, consultant_id, state, start_date, assessment, decision, "
    "schedule_version, due_dates, end_date, outcome, end_reason, version, create_micros, "
    "update_micros FROM enrollments ";

struct EnrollmentRow {
  std::string id, citizen_id, consultant_id, start, assessment, decision, schedule, due, end, end_reason;
  int state = 0, outcome = 0;
  long long version = 0, created = 0, updated = 0;

  void Bind(soci::details::prepare_temp_type& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(consultant_id), soci::into(state),
        soci::into(start), soci::into(assessment), soci::into(decision), soci::into(schedule),
        soci::into(due), soci::into(end), soci::into(outcome), soci::into(end_reason), soci::into(version),
        soci::into(created), soci::into(updated);
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
    SetTime(e.mutable_create_time(), created);
    SetTime(e.mutable_update_time(), updated);
    e.set_etag(EtagOf(version));
    return r;
  }
};

// --- consents
constexpr char kConsentSelect[] =
    "SELECT id, citizen_id, scope, given_date, expiry_date, withdrawn_date, recorded_by, version, "
    "create_micros, update_micros FROM consents ";

struct ConsentRowData {
  std::string id, citizen_id, given, expiry, withdrawn, recorded_by;
  int scope = 0;
  long long version = 0, created = 0, updated = 0;

  void Bind(soci::details::prepare_temp_type& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(scope), soci::into(given), soci::into(expiry),
        soci::into(withdrawn), soci::into(recorded_by), soci::into(version), soci::into(created),
        soci::into(updated);
  }
  v1::Consent ToProto() const {
    v1::Consent c;
    c.set_name(absl::StrCat(CitizenName(citizen_id), "/consents/", id));
    c.set_scope(static_cast<v1::ConsentScope>(scope));
    *c.mutable_given_date() = DateFromText(given);
    *c.mutable_expiry_date() = DateFromText(expiry);
    *c.mutable_withdrawn_date() = DateFromText(withdrawn);
    c.set_recorded_by(recorded_by);
    SetTime(c.mutable_create_time(), created);
    SetTime(c.mutable_update_time(), updated);
    c.set_etag(EtagOf(version));
    return c;
  }
};

}  // namespace

std::optional<v1::Citizen> LoadCitizen(soci::session& s, const std::string& id) {
  CitizenRow row;
  auto p = (s.prepare << kCitizenSelect << "AND c.id = :id");
  row.Bind(p);
  p, soci::use(id);
  soci::statement st(p);
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return row.ToProto();
}

std::optional<std::string> FindCitizenIdByCpr(soci::session& s, const std::string& cpr) {
  std::string id;
  s << "SELECT id FROM citizens WHERE cpr = :cpr", soci::use(cpr), soci::into(id);
  if (!s.got_data()) return std::nullopt;
  return id;
}

std::string ActiveConsultantOf(soci::session& s, const std::string& citizen_id) {
  std::string consultant;
  s << "SELECT consultant_id FROM enrollments WHERE citizen_id = :c AND " IPS_RUNNING_COURSE,
      soci::use(citizen_id), soci::into(consultant);
  return s.got_data() ? consultant : "";
}

std::optional<std::string> ConsultantIdBySubject(soci::session& s, const std::string& subject) {
  if (subject.empty()) return std::nullopt;
  std::string id;
  s << "SELECT id FROM consultants WHERE subject = :s", soci::use(subject), soci::into(id);
  if (!s.got_data()) return std::nullopt;
  return id;
}

void InsertCitizen(soci::session& s, const std::string& id, const v1::Citizen& c, long long now) {
  std::string birth = DateText(c.birth_date());
  int district = c.district(), housing = c.housing();
  long long version = 1;
  s << "INSERT INTO citizens (id, cpr, given_name, family_name, birth_date, district, housing, "
       "phone_number, version, create_micros, update_micros) VALUES (:id, :cpr, :g, :f, :b, :d, "
       ":h, :p, :v, :c, :u)",
      soci::use(id), soci::use(c.cpr()), soci::use(c.given_name()), soci::use(c.family_name()),
      soci::use(birth), soci::use(district), soci::use(housing), soci::use(c.phone_number()),
      soci::use(version), soci::use(now), soci::use(now);
}

void UpdateCitizenRow(soci::session& s, const std::string& id, const v1::Citizen& c, long long new_version,
                      long long now) {
  int district = c.district(), housing = c.housing();
  s << "UPDATE citizens SET given_name = :g, family_name = :f, district = :d, housing = :h, "
       "phone_number = :p, version = :v, update_micros = :u WHERE id = :id",
      soci::use(c.given_name()), soci::use(c.family_name()), soci::use(district), soci::use(housing),
      soci::use(c.phone_number()), soci::use(new_version), soci::use(now), soci::use(id);
}

std::vector<v1::Citizen> SelectCitizens(soci::session& s, const CitizenFilter& f, const std::string& after_id,
                                        int limit) {
  std::vector<v1::Citizen> out;
  CitizenRow row;
  // Unused filters bind their "any" value; nothing is spliced into the SQL.
  auto p = (s.prepare << kCitizenSelect
                      << "AND c.id > :after AND (:d1 = 0 OR c.district = :d2) "
                         "AND (:e1 = -1 OR (CASE WHEN EXISTS (SELECT 1 FROM enrollments e "
                         "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE
                         ") THEN 1 ELSE 0 END) = :e2) "
                         "AND (CAST(:k1 AS TEXT) = '' OR EXISTS (SELECT 1 FROM enrollments e "
                         "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE
                         " AND e.consultant_id = :k2)) "
                         "AND (:sc1 = 0 OR NOT EXISTS (SELECT 1 FROM enrollments e "
                         "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE
                         ") OR EXISTS (SELECT 1 FROM enrollments e "
                         "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE
                         " AND e.consultant_id = :sc2)) "
                         "ORDER BY c.id LIMIT :lim");
  row.Bind(p);
  p, soci::use(after_id), soci::use(f.district), soci::use(f.district), soci::use(f.enrolled),
      soci::use(f.enrolled), soci::use(f.consultant_id), soci::use(f.consultant_id), soci::use(f.scoped),
      soci::use(f.scope_consultant_id), soci::use(limit);
  soci::statement st(p);
  st.execute();
  while (st.fetch()) out.push_back(row.ToProto());
  return out;
}

std::optional<v1::Consultant> LoadConsultant(soci::session& s, const std::string& id, int default_cap) {
  ConsultantRow row;
  auto p = (s.prepare << kConsultantSelect << "WHERE k.id = :id");
  row.Bind(p);
  p, soci::use(id);
  soci::statement st(p);
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return row.ToProto(default_cap);
}

void InsertConsultant(soci::session& s, const std::string& id, const v1::Consultant& c, long long now) {
  int state = c.state(), cap = c.caseload_cap();
  long long version = 1;
  s << "INSERT INTO consultants (id, display_name, subject, unit, state, caseload_cap, version, "
       "create_micros, update_micros) VALUES (:id, :n, :s, :u, :st, :cap, :v, :c, :up)",
      soci::use(id), soci::use(c.display_name()), soci::use(c.subject()), soci::use(c.unit()),
      soci::use(state), soci::use(cap), soci::use(version), soci::use(now), soci::use(now);
}

void UpdateConsultantRow(soci::session& s, const std::string& id, const v1::Consultant& c,
                         long long new_version, long long now) {
  int state = c.state(), cap = c.caseload_cap();
  s << "UPDATE consultants SET display_name = :n, subject = :s, unit = :u, state = :st, "
       "caseload_cap = :cap, version = :v, update_micros = :up WHERE id = :id",
      soci::use(c.display_name()), soci::use(c.subject()), soci::use(c.unit()), soci::use(state),
      soci::use(cap), soci::use(new_version), soci::use(now), soci::use(id);
}

std::vector<v1::Consultant> SelectConsultants(soci::session& s, int state, const std::string& unit,
                                              const std::string& after_id, int limit, int default_cap) {
  std::vector<v1::Consultant> out;
  ConsultantRow row;
  auto p = (s.prepare << kConsultantSelect
                      << "WHERE k.id > :after AND (:s1 = 0 OR k.state = :s2) "
                         "AND (CAST(:u1 AS TEXT) = '' OR k.unit = :u2) ORDER BY k.id LIMIT :lim");
  row.Bind(p);
  p, soci::use(after_id), soci::use(state), soci::use(state), soci::use(unit), soci::use(unit),
      soci::use(limit);
  soci::statement st(p);
  st.execute();
  while (st.fetch()) out.push_back(row.ToProto(default_cap));
  return out;
}

std::vector<ConsultantLoad> ActiveConsultantLoads(soci::session& s) {
  std::vector<ConsultantLoad> out;
  ConsultantLoad row;
  int active = v1::CONSULTANT_STATE_ACTIVE;
  soci::statement st =
      (s.prepare << "SELECT k.id, k.caseload_cap, (SELECT COUNT(*) FROM enrollments e "
                    "WHERE e.consultant_id = k.id AND e." IPS_RUNNING_COURSE
                    ") FROM consultants k WHERE k.state = :active ORDER BY k.id",
       soci::into(row.id), soci::into(row.own_cap), soci::into(row.caseload), soci::use(active));
  st.execute();
  while (st.fetch()) out.push_back(row);
  return out;
}

std::optional<EnrollmentRecord> LoadEnrollment(soci::session& s, const std::string& citizen_id,
                                               const std::string& enrollment_id) {
  EnrollmentRow row;
  auto p = (s.prepare << kEnrollmentSelect << "WHERE id = :id AND citizen_id = :c");
  row.Bind(p);
  p, soci::use(enrollment_id), soci::use(citizen_id);
  soci::statement st(p);
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return row.ToRecord();
}

void InsertEnrollment(soci::session& s, const EnrollmentRecord& r, long long now) {
  const auto& e = r.enrollment;
  std::vector<std::string> due;
  for (auto d : r.due_dates) due.push_back(FormatDay(d));
  std::string start = FormatDay(r.start_date), dues = absl::StrJoin(due, ","),
              assessment = Encode(e.assessment()), decision = Encode(e.decision()), empty;
  int state = e.state(), outcome = 0;
  s << "INSERT INTO enrollments (id, citizen_id, consultant_id, state, start_date, assessment, "
       "decision, schedule_version, due_dates, end_date, outcome, end_reason, version, "
       "create_micros, update_micros) VALUES (:id, :c, :k, :st, :sd, :a, :d, :sv, :due, :ed, :o, "
       ":er, :v, :cm, :um)",
      soci::use(r.id), soci::use(r.citizen_id), soci::use(r.consultant_id), soci::use(state),
      soci::use(start), soci::use(assessment), soci::use(decision), soci::use(e.conversation_schedule()),
      soci::use(dues), soci::use(empty), soci::use(outcome), soci::use(empty), soci::use(r.version),
      soci::use(now), soci::use(now);
}

void UpdateEnrollment(soci::session& s, const EnrollmentRecord& r, long long now) {
  const auto& e = r.enrollment;
  int state = e.state(), outcome = e.outcome();
  std::string end = DateText(e.end_date());
  s << "UPDATE enrollments SET consultant_id = :k, state = :st, end_date = :ed, outcome = :o, "
       "end_reason = :er, version = :v, update_micros = :um WHERE id = :id",
      soci::use(r.consultant_id), soci::use(state), soci::use(end), soci::use(outcome),
      soci::use(e.end_reason()), soci::use(r.version), soci::use(now), soci::use(r.id);
}

void UpdateEnrollmentPlan(soci::session& s, const std::string& enrollment_id,
                          const std::string& rules_version, const std::vector<absl::CivilDay>& due_dates) {
  std::vector<std::string> due;
  for (auto d : due_dates) due.push_back(FormatDay(d));
  const std::string dues = absl::StrJoin(due, ",");
  s << "UPDATE enrollments SET schedule_version = :sv, due_dates = :due WHERE id = :id",
      soci::use(rules_version), soci::use(dues), soci::use(enrollment_id);
}

std::optional<DatedRecord> LatestRecordOf(soci::session& s, const EnrollmentRecord& e) {
  std::optional<DatedRecord> latest;
  const auto consider = [&](const std::string& day_text, const std::string& name) {
    auto day = ParseDay(day_text);
    if (day && (!latest || *day > latest->day)) latest = DatedRecord{*day, name};
  };
  std::string id, day;
  soci::indicator ind = soci::i_ok;
  s << "SELECT id, held_date FROM job_conversations WHERE enrollment_id = :e ORDER BY held_date DESC, id "
       "LIMIT 1",
      soci::use(e.id), soci::into(id), soci::into(day, ind);
  if (s.got_data()) consider(day, absl::StrCat(e.enrollment.name(), "/jobConversations/", id));
  // An activity's end when it has one, else its start.
  s << "SELECT id, CASE WHEN end_date > start_date THEN end_date ELSE start_date END AS last_day FROM "
       "activities "
       "WHERE enrollment_id = :e ORDER BY last_day DESC, id LIMIT 1",
      soci::use(e.id), soci::into(id), soci::into(day, ind);
  if (s.got_data()) consider(day, absl::StrCat(e.enrollment.name(), "/activities/", id));
  return latest;
}

std::string RulesApplied(soci::session& s) {
  std::string fingerprint;
  s << "SELECT fingerprint FROM rules_applied WHERE id = 1", soci::into(fingerprint);
  return fingerprint;
}

void SetRulesApplied(soci::session& s, const std::string& fingerprint) {
  s << "UPDATE rules_applied SET fingerprint = :f WHERE id = 1", soci::use(fingerprint);
}

std::vector<EnrollmentRecord> SelectEnrollments(soci::session& s, const EnrollmentFilter& f,
                                                const std::string& after_id, int limit) {
  std::vector<EnrollmentRecord> out;
  EnrollmentRow row;
  auto p = (s.prepare << kEnrollmentSelect
                      << "WHERE id > :after AND (CAST(:c1 AS TEXT) = '' OR citizen_id = :c2) "
                         "AND (:s1 = 0 OR state = :s2) "
                         "AND (CAST(:k1 AS TEXT) = '' OR consultant_id = :k2) "
                         "ORDER BY id LIMIT :lim");
  row.Bind(p);
  p, soci::use(after_id), soci::use(f.citizen_id), soci::use(f.citizen_id), soci::use(f.state),
      soci::use(f.state), soci::use(f.consultant_id), soci::use(f.consultant_id), soci::use(limit);
  soci::statement st(p);
  st.execute();
  while (st.fetch()) out.push_back(row.ToRecord());
  return out;
}

void InsertConversation(soci::session& s, const EnrollmentRecord& e, const std::string& id,
                        const v1::JobConversation& c, long long now) {
  int status = c.status(), place = c.place();
  std::string date = DateText(c.date());
  s << "INSERT INTO job_conversations (id, enrollment_id, status, held_date, place, "
       "create_micros) VALUES (:id, :e, :s, :d, :p, :c)",
      soci::use(id), soci::use(e.id), soci::use(status), soci::use(date), soci::use(place), soci::use(now);
}

std::string ConversationKey(const v1::JobConversation& c) {
  return DateIdKey(DateText(c.date()), LastSegment(c.name()));
}

namespace {

struct ConversationData {
  std::string id, date;
  int status = 0, place = 0;
  long long created = 0;
  v1::JobConversation ToProto(const EnrollmentRecord& e) const {
    v1::JobConversation c;
    c.set_name(absl::StrCat(e.enrollment.name(), "/jobConversations/", id));
    c.set_status(static_cast<v1::JobConversationStatus>(status));
    *c.mutable_date() = DateFromText(date);
    c.set_place(static_cast<v1::ConversationPlace>(place));
    SetTime(c.mutable_create_time(), created);
    return c;
  }
};

constexpr char kConversationSelect[] =
    "SELECT id, status, held_date, place, create_micros FROM job_conversations ";

}  // namespace

std::optional<v1::JobConversation> LoadConversation(soci::session& s, const EnrollmentRecord& e,
                                                    const std::string& id) {
  ConversationData d;
  soci::statement st = (s.prepare << kConversationSelect << "WHERE id = :id AND enrollment_id = :e",
                        soci::into(d.id), soci::into(d.status), soci::into(d.date), soci::into(d.place),
                        soci::into(d.created), soci::use(id), soci::use(e.id));
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return d.ToProto(e);
}

std::vector<v1::JobConversation> SelectConversations(soci::session& s, const EnrollmentRecord& e,
                                                     const std::string& after_key, int limit) {
  auto [after_date, after_id] = SplitDateIdKey(after_key);
  std::vector<v1::JobConversation> out;
  ConversationData d;
  soci::statement st =
      (s.prepare << kConversationSelect << "WHERE enrollment_id = :e" << AfterDateIdClause("held_date")
                 << "ORDER BY held_date, id LIMIT :lim",
       soci::into(d.id), soci::into(d.status), soci::into(d.date), soci::into(d.place), soci::into(d.created),
       soci::use(e.id), soci::use(after_date), soci::use(after_date), soci::use(after_id), soci::use(limit));
  st.execute();
  while (st.fetch()) out.push_back(d.ToProto(e));
  return out;
}

void InsertActivity(soci::session& s, const EnrollmentRecord& e, const std::string& id, const v1::Activity& a,
                    long long now) {
  int kind = a.kind();
  long long version = 1;
  std::string start = DateText(a.start_date()), end = DateText(a.end_date());
  s << "INSERT INTO activities (id, enrollment_id, kind, description, start_date, end_date, "
       "version, create_micros, update_micros) VALUES (:id, :e, :k, :d, :s, :en, :v, :c, :u)",
      soci::use(id), soci::use(e.id), soci::use(kind), soci::use(a.description()), soci::use(start),
      soci::use(end), soci::use(version), soci::use(now), soci::use(now);
}

namespace {

struct ActivityData {
  std::string id, description, start, end;
  int kind = 0;
  long long version = 0, created = 0, updated = 0;
  v1::Activity ToProto(const EnrollmentRecord& e) const {
    v1::Activity a;
    a.set_name(absl::StrCat(e.enrollment.name(), "/activities/", id));
    a.set_kind(static_cast<v1::ActivityKind>(kind));
    a.set_description(description);
    *a.mutable_start_date() = DateFromText(start);
    *a.mutable_end_date() = DateFromText(end);
    SetTime(a.mutable_create_time(), created);
    SetTime(a.mutable_update_time(), updated);
    a.set_etag(EtagOf(version));
    return a;
  }
};

constexpr char kActivitySelect[] =
    "SELECT id, kind, description, start_date, end_date, version, create_micros, update_micros "
    "FROM activities ";

}  // namespace

std::optional<ActivityRow> LoadActivity(soci::session& s, const EnrollmentRecord& e, const std::string& id) {
  ActivityData d;
  soci::statement st =
      (s.prepare << kActivitySelect << "WHERE id = :id AND enrollment_id = :e", soci::into(d.id),
       soci::into(d.kind), soci::into(d.description), soci::into(d.start), soci::into(d.end),
       soci::into(d.version), soci::into(d.created), soci::into(d.updated), soci::use(id), soci::use(e.id));
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return ActivityRow{d.ToProto(e), d.version};
}

void UpdateActivityRow(soci::session& s, const std::string& id, const v1::Activity& a, long long new_version,
                       long long now) {
  std::string end = DateText(a.end_date());
  s << "UPDATE activities SET description = :d, end_date = :e, version = :v, update_micros = :u "
       "WHERE id = :id",
      soci::use(a.description()), soci::use(end), soci::use(new_version), soci::use(now), soci::use(id);
}

std::string ActivityKey(const v1::Activity& a) {
  return DateIdKey(DateText(a.start_date()), LastSegment(a.name()));
}

std::vector<v1::Activity> SelectActivities(soci::session& s, const EnrollmentRecord& e,
                                           const std::string& after_key, int limit) {
  auto [after_date, after_id] = SplitDateIdKey(after_key);
  std::vector<v1::Activity> out;
  ActivityData d;
  soci::statement st =
      (s.prepare << kActivitySelect << "WHERE enrollment_id = :e" << AfterDateIdClause("start_date")
                 << "ORDER BY start_date, id LIMIT :lim",
       soci::into(d.id), soci::into(d.kind), soci::into(d.description), soci::into(d.start),
       soci::into(d.end), soci::into(d.version), soci::into(d.created), soci::into(d.updated),
       soci::use(e.id), soci::use(after_date), soci::use(after_date), soci::use(after_id), soci::use(limit));
  st.execute();
  while (st.fetch()) out.push_back(d.ToProto(e));
  return out;
}

void InsertConsent(soci::session& s, const std::string& citizen_id, const std::string& id,
                   const v1::Consent& c, long long now) {
  int scope = c.scope();
  long long version = 1;
  std::string given = DateText(c.given_date()), expiry = DateText(c.expiry_date()), none;
  s << "INSERT INTO consents (id, citizen_id, scope, given_date, expiry_date, withdrawn_date, "
       "recorded_by, version, create_micros, update_micros) VALUES (:id, :c, :s, :g, :x, :w, "
       ":r, :v, :cm, :um)",
      soci::use(id), soci::use(citizen_id), soci::use(scope), soci::use(given), soci::use(expiry),
      soci::use(none), soci::use(c.recorded_by()), soci::use(version), soci::use(now), soci::use(now);
}

std::optional<ConsentRow> LoadConsent(soci::session& s, const std::string& citizen_id,
                                      const std::string& id) {
  ConsentRowData row;
  auto p = (s.prepare << kConsentSelect << "WHERE id = :id AND citizen_id = :c");
  row.Bind(p);
  p, soci::use(id), soci::use(citizen_id);
  soci::statement st(p);
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return ConsentRow{row.ToProto(), row.version};
}

void UpdateConsentWithdrawn(soci::session& s, const std::string& id, absl::CivilDay withdrawn,
                            long long new_version, long long now) {
  std::string w = FormatDay(withdrawn);
  s << "UPDATE consents SET withdrawn_date = :w, version = :v, update_micros = :u WHERE id = :id",
      soci::use(w), soci::use(new_version), soci::use(now), soci::use(id);
}

std::vector<v1::Consent> SelectConsents(soci::session& s, const std::string& citizen_id,
                                        const std::string& after_id, int limit) {
  std::vector<v1::Consent> out;
  ConsentRowData row;
  auto p = (s.prepare << kConsentSelect << "WHERE citizen_id = :c AND id > :after ORDER BY id LIMIT :lim");
  row.Bind(p);
  p, soci::use(citizen_id), soci::use(after_id), soci::use(limit);
  soci::statement st(p);
  st.execute();
  while (st.fetch()) out.push_back(row.ToProto());
  return out;
}

}  // namespace ips::registry
