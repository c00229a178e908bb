// The registry store (registry_store.h): what is recorded during a course
// (job conversations, activities) and consents.
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/consent_rows.h"
#include "services/common/dates.h"
#include "services/common/prepared.h"
#include "services/common/soci_rows.h"
#include "services/common/stored_values.h"
#include "services/registry/domain/cpr.h"
#include "services/registry/registry_store.h"
#include "services/registry/resource_names.h"

namespace ips::registry {
namespace {}  // namespace

void InsertConversation(soci::session& s, const EnrollmentRecord& e, const std::string& id,
                        const v1::JobConversation& c, long long now) {
  int status = c.status(), place = c.place();
  std::string date = DateText(c.date());
  RunKept(s,
          "INSERT INTO job_conversations (id, enrollment_id, status, held_date, place, "
          "create_micros) VALUES (:id, :e, :s, :d, :p, :c)",
          soci::use(id), soci::use(e.id), soci::use(status), soci::use(date), soci::use(place),
          soci::use(now));
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
  Prepared st(s, absl::StrCat(kConversationSelect, "WHERE id = :id AND enrollment_id = :e"));
  st, soci::into(d.id), soci::into(d.status), soci::into(d.date), soci::into(d.place), soci::into(d.created),
      soci::use(id), soci::use(e.id);
  if (!st.Execute()) return std::nullopt;
  return d.ToProto(e);
}

std::vector<v1::JobConversation> SelectConversations(soci::session& s, const EnrollmentRecord& e,
                                                     const std::string& after_key, int limit) {
  auto [after_date, after_id] = SplitDateIdKey(after_key);
  std::vector<v1::JobConversation> out;
  ConversationData d;
  Prepared st(s, absl::StrCat(kConversationSelect, "WHERE enrollment_id = :e", AfterDateIdClause("held_date"),
                              "ORDER BY held_date, id LIMIT :lim"));
  st, soci::into(d.id), soci::into(d.status), soci::into(d.date), soci::into(d.place), soci::into(d.created),
      soci::use(e.id), soci::use(after_date), soci::use(after_date), soci::use(after_id), soci::use(limit);
  st.Execute(false);
  while (st.Fetch()) out.push_back(d.ToProto(e));
  return out;
}

void InsertActivity(soci::session& s, const EnrollmentRecord& e, const std::string& id, const v1::Activity& a,
                    long long now) {
  int kind = a.kind(), place = a.place();
  long long version = 1;
  std::string start = DateText(a.start_date()), end = DateText(a.end_date());
  RunKept(s,
          "INSERT INTO activities (id, enrollment_id, kind, description, start_date, end_date, "
          "version, create_micros, update_micros, place) VALUES (:id, :e, :k, :d, :s, :en, :v, :c, :u, :p)",
          soci::use(id), soci::use(e.id), soci::use(kind), soci::use(a.description()), soci::use(start),
          soci::use(end), soci::use(version), soci::use(now), soci::use(now), soci::use(place));
}

namespace {

struct ActivityData {
  std::string id, description, start, end;
  int kind = 0, place = 0;
  long long version = 0, created = 0, updated = 0;
  v1::Activity ToProto(const EnrollmentRecord& e) const {
    v1::Activity a;
    a.set_name(absl::StrCat(e.enrollment.name(), "/activities/", id));
    a.set_kind(static_cast<v1::ActivityKind>(kind));
    a.set_place(static_cast<v1::ConversationPlace>(place));
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
    "SELECT id, kind, description, start_date, end_date, version, create_micros, update_micros, place "
    "FROM activities ";

}  // namespace

std::optional<ActivityRow> LoadActivity(soci::session& s, const EnrollmentRecord& e, const std::string& id) {
  ActivityData d;
  Prepared st(s, absl::StrCat(kActivitySelect, "WHERE id = :id AND enrollment_id = :e"));
  st, soci::into(d.id), soci::into(d.kind), soci::into(d.description), soci::into(d.start), soci::into(d.end),
      soci::into(d.version), soci::into(d.created), soci::into(d.updated), soci::into(d.place), soci::use(id),
      soci::use(e.id);
  if (!st.Execute()) return std::nullopt;
  return ActivityRow{d.ToProto(e), d.version};
}

void UpdateActivityRow(soci::session& s, const std::string& id, const v1::Activity& a, long long new_version,
                       long long now) {
  std::string end = DateText(a.end_date());
  RunKept(s,
          "UPDATE activities SET description = :d, end_date = :e, version = :v, update_micros = :u "
          "WHERE id = :id",
          soci::use(a.description()), soci::use(end), soci::use(new_version), soci::use(now), soci::use(id));
}

std::string ActivityKey(const v1::Activity& a) {
  return DateIdKey(DateText(a.start_date()), LastSegment(a.name()));
}

std::vector<v1::Activity> SelectActivities(soci::session& s, const EnrollmentRecord& e,
                                           const std::string& after_key, int limit) {
  auto [after_date, after_id] = SplitDateIdKey(after_key);
  std::vector<v1::Activity> out;
  ActivityData d;
  Prepared st(s, absl::StrCat(kActivitySelect, "WHERE enrollment_id = :e", AfterDateIdClause("start_date"),
                              "ORDER BY start_date, id LIMIT :lim"));
  st, soci::into(d.id), soci::into(d.kind), soci::into(d.description), soci::into(d.start), soci::into(d.end),
      soci::into(d.version), soci::into(d.created), soci::into(d.updated), soci::into(d.place),
      soci::use(e.id), soci::use(after_date), soci::use(after_date), soci::use(after_id), soci::use(limit);
  st.Execute(false);
  while (st.Fetch()) out.push_back(d.ToProto(e));
  return out;
}

std::vector<v1::Consent> SelectConsents(soci::session& s, const std::string& citizen_id,
                                        const std::string& after_id, int limit) {
  std::vector<v1::Consent> out;
  ConsentColumns row;
  Prepared st(s, absl::StrCat(ConsentColumns::kSelect,
                              "WHERE citizen_id = :c AND id > :after ORDER BY id LIMIT :lim"));
  row.Bind(st);
  st, soci::use(citizen_id), soci::use(after_id), soci::use(limit);
  st.Execute(false);
  while (st.Fetch()) out.push_back(row.To<v1::Consent>());
  return out;
}

}  // namespace ips::registry
