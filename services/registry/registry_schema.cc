#include "services/registry/registry_schema.h"

#include "services/registry/registry_store.h"

namespace ips::registry {

std::vector<Migration> RegistryMigrations() {
  return {
      {100,
       "registry tables",
       {
           "CREATE TABLE citizens (id TEXT PRIMARY KEY, cpr TEXT NOT NULL, "
           "given_name TEXT NOT NULL, family_name TEXT NOT NULL, birth_date TEXT NOT NULL, "
           "district INTEGER NOT NULL, housing INTEGER NOT NULL, phone_number TEXT NOT NULL, "
           "version BIGINT NOT NULL, create_micros BIGINT NOT NULL, update_micros BIGINT NOT NULL)",
           // Exact-match CPR lookups and the one-citizen-per-CPR rule.
           "CREATE UNIQUE INDEX citizens_cpr ON citizens (cpr)",
           "CREATE TABLE consultants (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, "
           "subject TEXT NOT NULL, unit TEXT NOT NULL, state INTEGER NOT NULL, "
           "caseload_cap INTEGER NOT NULL, version BIGINT NOT NULL, create_micros BIGINT NOT NULL, "
           "update_micros BIGINT NOT NULL)",
           "CREATE TABLE enrollments (id TEXT PRIMARY KEY, "
           "citizen_id TEXT NOT NULL REFERENCES citizens (id), "
           "consultant_id TEXT NOT NULL REFERENCES consultants (id), state INTEGER NOT NULL, "
           "start_date TEXT NOT NULL, assessment TEXT NOT NULL, decision TEXT NOT NULL, "
           "schedule_version TEXT NOT NULL, due_dates TEXT NOT NULL, end_date TEXT NOT NULL, "
           "outcome INTEGER NOT NULL, end_reason TEXT NOT NULL, version BIGINT NOT NULL, "
           "create_micros BIGINT NOT NULL, update_micros BIGINT NOT NULL)",
           "CREATE INDEX enrollments_citizen ON enrollments (citizen_id)",
           "CREATE INDEX enrollments_consultant ON enrollments (consultant_id, state)",
           // At most one active course per citizen, enforced by the database.
           "CREATE UNIQUE INDEX enrollments_one_active ON enrollments (citizen_id) WHERE state = 1",
           "CREATE TABLE job_conversations (id TEXT PRIMARY KEY, "
           "enrollment_id TEXT NOT NULL REFERENCES enrollments (id), status INTEGER NOT NULL, "
           "held_date TEXT NOT NULL, place INTEGER NOT NULL, create_micros BIGINT NOT NULL)",
           "CREATE INDEX job_conversations_enrollment ON job_conversations (enrollment_id, held_date)",
           "CREATE TABLE activities (id TEXT PRIMARY KEY, "
           "enrollment_id TEXT NOT NULL REFERENCES enrollments (id), kind INTEGER NOT NULL, "
           "description TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, "
           "version BIGINT NOT NULL, create_micros BIGINT NOT NULL, update_micros BIGINT NOT NULL)",
           "CREATE INDEX activities_enrollment ON activities (enrollment_id, start_date)",
           "CREATE TABLE consents (id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL REFERENCES citizens (id), "
           "scope INTEGER NOT NULL, given_date TEXT NOT NULL, expiry_date TEXT NOT NULL, "
           "withdrawn_date TEXT NOT NULL, recorded_by TEXT NOT NULL, version BIGINT NOT NULL, "
           "create_micros BIGINT NOT NULL, update_micros BIGINT NOT NULL)",
           "CREATE INDEX consents_citizen ON consents (citizen_id)",
       }},
      {101,
       "one consultant per login subject",
       {"CREATE UNIQUE INDEX consultants_subject ON consultants (subject) WHERE subject <> ''"}},
      {102,
       "rules the courses were planned by",
       {
           // The fingerprint of the rules file the courses' conversation
           // plans were last made by: a change re-plans them at start
           // (RegistryService::ReplanCourses). Empty: never planned by one.
           "CREATE TABLE rules_applied (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL)",
           "INSERT INTO rules_applied (id, fingerprint) VALUES (1, '')",
       }},
      {103,
       "courses ended for lost contact",
       {"ALTER TABLE enrollments ADD COLUMN lost_contact INTEGER NOT NULL DEFAULT 0"}},
      {104,
       "where contact activities were held",
       {"ALTER TABLE activities ADD COLUMN place INTEGER NOT NULL DEFAULT 0"}},
  };
}

namespace {

ErasurePlan RegistryErasurePlan() {
  ErasurePlan plan;
  plan.open_rule = "ERASURE_COURSE_RUNNING";
  plan.registers_citizens = true;
  // Kept while a course runs, and from the last course's end (or the last
  // change of the citizen's record, for one never enrolled).
  plan.history_sql =
      "SELECT c.id AS citizen_id, "
      "(SELECT COUNT(*) FROM enrollments e WHERE e.citizen_id = c.id AND e." IPS_RUNNING_COURSE
      ") AS open, "
      "COALESCE((SELECT MAX(e.end_date) FROM enrollments e WHERE e.citizen_id = c.id), '') AS last_date, "
      "c.update_micros AS last_micros FROM citizens c";
  // The CPR number becomes 'erased:<id>' (unique, as the index wants, and
  // never a valid CPR); names, birth date, phone and housing are cleared;
  // the eligibility assessment and decision (substance use, benefit,
  // override reasons) and the courses' end reasons and activities'
  // descriptions are cleared; consents are deleted. Course dates, states,
  // conversations and outcomes stay: with no CPR or name they describe
  // nobody.
  plan.statements = {
      "UPDATE citizens SET cpr = 'erased:' || id, given_name = '', family_name = '', birth_date = '', "
      "phone_number = '', housing = 0, version = version + 1 WHERE id = :subject",
      "UPDATE enrollments SET assessment = '', decision = '', end_reason = '' WHERE citizen_id = :subject",
      "UPDATE activities SET description = '' WHERE enrollment_id IN "
      "(SELECT id FROM enrollments WHERE citizen_id = :subject)",
      "DELETE FROM consents WHERE citizen_id = :subject",
  };
  return plan;
}

}  // namespace

SubjectData RegistrySubjectData() {
  SubjectData d;
  d.service_name = "ips.registry.v1.CitizenRegistry";
  // Where the registry holds rows about a citizen: the citizen, the
  // enrolments and what hangs off them, and consents.
  const std::string courses = "(SELECT id FROM enrollments WHERE citizen_id = :subject)";
  d.parts = {{"citizens", "SELECT * FROM citizens WHERE id = :subject"},
             {"enrollments"},
             {"job_conversations", "SELECT * FROM job_conversations WHERE enrollment_id IN " + courses},
             {"activities", "SELECT * FROM activities WHERE enrollment_id IN " + courses},
             {"consents"}};
  d.key = SubjectKey::kCitizen;
  d.with_pseudonym = true;
  d.erasure = RegistryErasurePlan();
  return d;
}

}  // namespace ips::registry
