// The registry store (registry_store.h): citizens and consultants.
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

  template <typename Statement>
  void Bind(Statement& p) {
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

  template <typename Statement>
  void Bind(Statement& p) {
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

}  // namespace

std::optional<v1::Citizen> LoadCitizen(soci::session& s, const std::string& id) {
  CitizenRow row;
  Prepared st(s, absl::StrCat(kCitizenSelect, "AND c.id = :id"));
  row.Bind(st);
  st, soci::use(id);
  if (!st.Execute()) return std::nullopt;
  return row.ToProto();
}

std::optional<std::string> FindCitizenIdByCpr(soci::session& s, const std::string& cpr) {
  std::string id;
  if (!RunKept(s, "SELECT id FROM citizens WHERE cpr = :cpr", soci::use(cpr), soci::into(id))) {
    return std::nullopt;
  }
  return id;
}

CitizenAccessFacts ReadCitizenAccessFacts(soci::session& s, const std::string& citizen_id,
                                          const std::string& caller_subject) {
  CitizenAccessFacts facts;
  int erasures = 0;
  RunKept(s,
          "SELECT (SELECT COUNT(*) FROM erasures WHERE citizen_id = :c1), "
          "COALESCE((SELECT id FROM consultants WHERE subject = :s AND subject <> '' LIMIT 1), ''), "
          "COALESCE((SELECT consultant_id FROM enrollments WHERE citizen_id = :c2 AND " IPS_RUNNING_COURSE
          " LIMIT 1), '')",
          soci::use(citizen_id), soci::use(caller_subject), soci::use(citizen_id), soci::into(erasures),
          soci::into(facts.caller_consultant_id), soci::into(facts.citizen_consultant_id));
  facts.erased = erasures > 0;
  return facts;
}

std::optional<std::string> ConsultantIdBySubject(soci::session& s, const std::string& subject) {
  if (subject.empty()) return std::nullopt;
  std::string id;
  if (!RunKept(s, "SELECT id FROM consultants WHERE subject = :s", soci::use(subject), soci::into(id))) {
    return std::nullopt;
  }
  return id;
}

void InsertCitizen(soci::session& s, const std::string& id, const v1::Citizen& c, long long now) {
  std::string birth = DateText(c.birth_date());
  int district = c.district(), housing = c.housing();
  long long version = 1;
  RunKept(s,
          "INSERT INTO citizens (id, cpr, given_name, family_name, birth_date, district, housing, "
          "phone_number, version, create_micros, update_micros) VALUES (:id, :cpr, :g, :f, :b, :d, "
          ":h, :p, :v, :c, :u)",
          soci::use(id), soci::use(c.cpr()), soci::use(c.given_name()), soci::use(c.family_name()),
          soci::use(birth), soci::use(district), soci::use(housing), soci::use(c.phone_number()),
          soci::use(version), soci::use(now), soci::use(now));
}

void UpdateCitizenRow(soci::session& s, const std::string& id, const v1::Citizen& c, long long new_version,
                      long long now) {
  int district = c.district(), housing = c.housing();
  RunKept(s,
          "UPDATE citizens SET given_name = :g, family_name = :f, district = :d, housing = :h, "
          "phone_number = :p, version = :v, update_micros = :u WHERE id = :id",
          soci::use(c.given_name()), soci::use(c.family_name()), soci::use(district), soci::use(housing),
          soci::use(c.phone_number()), soci::use(new_version), soci::use(now), soci::use(id));
}

std::vector<v1::Citizen> SelectCitizens(soci::session& s, const CitizenFilter& f, const std::string& after_id,
                                        int limit) {
  std::vector<v1::Citizen> out;
  CitizenRow row;
  // Unused filters bind their "any" value; nothing is spliced into the SQL.
  Prepared p(
      s, absl::StrCat(kCitizenSelect,
                      "AND c.id > :after AND (:d1 = 0 OR c.district = :d2) "
                      "AND (:e1 = -1 OR (CASE WHEN EXISTS (SELECT 1 FROM enrollments e "
                      "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE ") THEN 1 ELSE 0 END) = :e2) "
                      "AND (CAST(:k1 AS TEXT) = '' OR EXISTS (SELECT 1 FROM enrollments e "
                      "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE " AND e.consultant_id = :k2)) "
                      "AND (:sc1 = 0 OR NOT EXISTS (SELECT 1 FROM enrollments e "
                      "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE
                      ") OR EXISTS (SELECT 1 FROM enrollments e "
                      "WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE " AND e.consultant_id = :sc2)) "
                      "ORDER BY c.id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(after_id), soci::use(f.district), soci::use(f.district), soci::use(f.enrolled),
      soci::use(f.enrolled), soci::use(f.consultant_id), soci::use(f.consultant_id), soci::use(f.scoped),
      soci::use(f.scope_consultant_id), soci::use(limit);
  p.Execute(false);
  while (p.Fetch()) out.push_back(row.ToProto());
  return out;
}

std::optional<v1::Consultant> LoadConsultant(soci::session& s, const std::string& id, int default_cap) {
  ConsultantRow row;
  Prepared st(s, absl::StrCat(kConsultantSelect, "WHERE k.id = :id"));
  row.Bind(st);
  st, soci::use(id);
  if (!st.Execute()) return std::nullopt;
  return row.ToProto(default_cap);
}

void InsertConsultant(soci::session& s, const std::string& id, const v1::Consultant& c, long long now) {
  int state = c.state(), cap = c.caseload_cap();
  long long version = 1;
  RunKept(s,
          "INSERT INTO consultants (id, display_name, subject, unit, state, caseload_cap, version, "
          "create_micros, update_micros) VALUES (:id, :n, :s, :u, :st, :cap, :v, :c, :up)",
          soci::use(id), soci::use(c.display_name()), soci::use(c.subject()), soci::use(c.unit()),
          soci::use(state), soci::use(cap), soci::use(version), soci::use(now), soci::use(now));
}

void UpdateConsultantRow(soci::session& s, const std::string& id, const v1::Consultant& c,
                         long long new_version, long long now) {
  int state = c.state(), cap = c.caseload_cap();
  RunKept(s,
          "UPDATE consultants SET display_name = :n, subject = :s, unit = :u, state = :st, "
          "caseload_cap = :cap, version = :v, update_micros = :up WHERE id = :id",
          soci::use(c.display_name()), soci::use(c.subject()), soci::use(c.unit()), soci::use(state),
          soci::use(cap), soci::use(new_version), soci::use(now), soci::use(id));
}

std::vector<v1::Consultant> SelectConsultants(soci::session& s, int state, const std::string& unit,
                                              const std::string& after_id, int limit, int default_cap) {
  std::vector<v1::Consultant> out;
  ConsultantRow row;
  Prepared p(s, absl::StrCat(kConsultantSelect,
                             "WHERE k.id > :after AND (:s1 = 0 OR k.state = :s2) "
                             "AND (CAST(:u1 AS TEXT) = '' OR k.unit = :u2) ORDER BY k.id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(after_id), soci::use(state), soci::use(state), soci::use(unit), soci::use(unit),
      soci::use(limit);
  p.Execute(false);
  while (p.Fetch()) out.push_back(row.ToProto(default_cap));
  return out;
}

std::vector<ConsultantLoad> ActiveConsultantLoads(soci::session& s) {
  std::vector<ConsultantLoad> out;
  ConsultantLoad row;
  int active = v1::CONSULTANT_STATE_ACTIVE;
  Prepared st(s,
              "SELECT k.id, k.caseload_cap, (SELECT COUNT(*) FROM enrollments e "
              "WHERE e.consultant_id = k.id AND e." IPS_RUNNING_COURSE
              ") FROM consultants k WHERE k.state = :active ORDER BY k.id");
  st, soci::into(row.id), soci::into(row.own_cap), soci::into(row.caseload), soci::use(active);
  st.Execute(false);
  while (st.Fetch()) out.push_back(row);
  return out;
}

}  // namespace ips::registry
