#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "ips/registry/v1/citizen.pb.h"
#include "ips/registry/v1/consultant.pb.h"
#include "ips/registry/v1/course_records.pb.h"
#include "ips/registry/v1/enrollment.pb.h"
#include "services/common/consent_rows.h"
#include "services/common/stored_values.h"
#include "services/registry/domain/caseload.h"

namespace ips::registry {

// A running course in SQL. Course states are stored as their proto
// numbers; written as a literal (not a bound value) so PostgreSQL can use
// the partial index enrollments_one_active, and asserted equal to the enum.
#define IPS_RUNNING_COURSE "state = 1"
static_assert(v1::ENROLLMENT_STATE_ACTIVE == 1, "IPS_RUNNING_COURSE must name the active state's number");

// SQL for the registry's tables. Every function runs on a session the
// caller owns, so a handler composes them in one transaction with the
// outbox append. Rows come back as proto messages with output-only fields
// filled in (name, etag, times); derived fields are the service's job.

// --- citizens
struct CitizenFilter {
  int district = 0;           // 0 = any
  int enrolled = -1;          // -1 = any, 0 = no active enrolment, 1 = has one
  std::string consultant_id;  // "" = any; else active enrolment with them
  // Caseload scope: when 1, only citizens without an active enrolment or
  // with one assigned to `scope_consultant_id`.
  int scoped = 0;
  std::string scope_consultant_id;
};
std::optional<v1::Citizen> LoadCitizen(soci::session& s, const std::string& id);
std::optional<std::string> FindCitizenIdByCpr(soci::session& s, const std::string& cpr);
// What deciding a caller's access to a citizen reads, in one statement (on
// PostgreSQL one round trip instead of three).
struct CitizenAccessFacts {
  bool erased = false;
  std::string caller_consultant_id;   // the consultant whose subject is the caller's; "" if none
  std::string citizen_consultant_id;  // of the citizen's running course; "" if none
};
CitizenAccessFacts ReadCitizenAccessFacts(soci::session& s, const std::string& citizen_id,
                                          const std::string& caller_subject);
// `c` holds normalised cpr and birth_date; version starts at 1.
void InsertCitizen(soci::session& s, const std::string& id, const v1::Citizen& c, long long now);
void UpdateCitizenRow(soci::session& s, const std::string& id, const v1::Citizen& c, long long new_version,
                      long long now);
std::vector<v1::Citizen> SelectCitizens(soci::session& s, const CitizenFilter& f, const std::string& after_id,
                                        int limit);

// --- consultants
std::optional<v1::Consultant> LoadConsultant(soci::session& s, const std::string& id, int default_cap);
// The consultant whose login subject is `subject`, if any.
std::optional<std::string> ConsultantIdBySubject(soci::session& s, const std::string& subject);
void InsertConsultant(soci::session& s, const std::string& id, const v1::Consultant& c, long long now);
void UpdateConsultantRow(soci::session& s, const std::string& id, const v1::Consultant& c,
                         long long new_version, long long now);
std::vector<v1::Consultant> SelectConsultants(soci::session& s, int state, const std::string& unit,
                                              const std::string& after_id, int limit, int default_cap);
// The active consultant with the most free places (ties by id), if any has one.
// The active consultants and how many running courses each carries, by id
// (domain/caseload.h chooses among them).
std::vector<ConsultantLoad> ActiveConsultantLoads(soci::session& s);

// --- enrolments
struct EnrollmentRecord {
  std::string id;
  std::string citizen_id;
  std::string consultant_id;
  absl::CivilDay start_date;
  std::vector<absl::CivilDay> due_dates;
  long long version = 1;
  v1::Enrollment enrollment;  // stored fields; plan and statistics not filled
};
std::optional<EnrollmentRecord> LoadEnrollment(soci::session& s, const std::string& citizen_id,
                                               const std::string& enrollment_id);
void InsertEnrollment(soci::session& s, const EnrollmentRecord& r, long long now);
// Writes consultant, state, end fields and version.
void UpdateEnrollment(soci::session& s, const EnrollmentRecord& r, long long now);
// Writes the rules version and conversation plan of an enrolment (its
// etag stays: the plan is derived from the rules, not changed by a caller).
void UpdateEnrollmentPlan(soci::session& s, const std::string& enrollment_id,
                          const std::string& rules_version, const std::vector<absl::CivilDay>& due_dates);
// The latest day a record of the enrolment carries (a conversation's date,
// an activity's start or end) and the record's name; nullopt with none.
struct DatedRecord {
  absl::CivilDay day;
  std::string name;
};
std::optional<DatedRecord> LatestRecordOf(soci::session& s, const EnrollmentRecord& e);
// The fingerprint of the rules the courses were last planned by ("" never).
std::string RulesApplied(soci::session& s);
void SetRulesApplied(soci::session& s, const std::string& fingerprint);
struct EnrollmentFilter {
  std::string citizen_id;  // "" = all citizens
  int state = 0;
  std::string consultant_id;
};
std::vector<EnrollmentRecord> SelectEnrollments(soci::session& s, const EnrollmentFilter& f,
                                                const std::string& after_id, int limit);

// --- job conversations (ordered by date, then id)
void InsertConversation(soci::session& s, const EnrollmentRecord& e, const std::string& id,
                        const v1::JobConversation& c, long long now);
// `after_key` is "date|id" of the last row of the previous page, or "".
std::optional<v1::JobConversation> LoadConversation(soci::session& s, const EnrollmentRecord& e,
                                                    const std::string& id);
std::vector<v1::JobConversation> SelectConversations(soci::session& s, const EnrollmentRecord& e,
                                                     const std::string& after_key, int limit);
std::string ConversationKey(const v1::JobConversation& c);

// --- activities (ordered by start date, then id)
void InsertActivity(soci::session& s, const EnrollmentRecord& e, const std::string& id, const v1::Activity& a,
                    long long now);
struct ActivityRow {
  v1::Activity activity;
  long long version = 1;
};
std::optional<ActivityRow> LoadActivity(soci::session& s, const EnrollmentRecord& e, const std::string& id);
void UpdateActivityRow(soci::session& s, const std::string& id, const v1::Activity& a, long long new_version,
                       long long now);
std::vector<v1::Activity> SelectActivities(soci::session& s, const EnrollmentRecord& e,
                                           const std::string& after_key, int limit);
std::string ActivityKey(const v1::Activity& a);

// --- consents (ordered by id), without their state (which depends on the day).
// Written with InsertConsentRow, read with LoadConsentRow<v1::Consent> and
// withdrawn with UpdateConsentWithdrawn (consent_rows.h).
using ConsentRow = StoredConsent<v1::Consent>;
std::vector<v1::Consent> SelectConsents(soci::session& s, const std::string& citizen_id,
                                        const std::string& after_id, int limit);

}  // namespace ips::registry
