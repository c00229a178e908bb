#include "services/matching/matching_schema.h"

namespace ips::matching {

std::vector<Migration> MatchingMigrations() {
  return {
      {100,
       "matching tables",
       {
           // Citizens and consultants are the registry's opaque ids.
           "CREATE TABLE employers (id TEXT PRIMARY KEY, cvr TEXT NOT NULL, display_name TEXT NOT NULL, "
           "address TEXT NOT NULL, municipality TEXT NOT NULL, industry TEXT NOT NULL, "
           "contact_persons TEXT NOT NULL, hires INTEGER NOT NULL, version BIGINT NOT NULL, "
           "create_micros BIGINT NOT NULL, update_micros BIGINT NOT NULL)",
           "CREATE UNIQUE INDEX employers_cvr ON employers (cvr)",
           "CREATE TABLE employer_contacts (id TEXT PRIMARY KEY, employer_id TEXT NOT NULL REFERENCES "
           "employers (id), "
           "consultant_id TEXT NOT NULL, channel INTEGER NOT NULL, contact_date TEXT NOT NULL, "
           "purpose INTEGER NOT NULL, outcome INTEGER NOT NULL, create_micros BIGINT NOT NULL)",
           "CREATE INDEX employer_contacts_date ON employer_contacts (contact_date, id)",
           "CREATE INDEX employer_contacts_employer ON employer_contacts (employer_id, contact_date)",
           "CREATE TABLE openings (id TEXT PRIMARY KEY, employer_id TEXT NOT NULL REFERENCES employers (id), "
           "kind INTEGER NOT NULL, title TEXT NOT NULL, industry TEXT NOT NULL, min_hours INTEGER NOT NULL, "
           "max_hours INTEGER NOT NULL, demand INTEGER NOT NULL, shift INTEGER NOT NULL, "
           "latitude DOUBLE PRECISION NOT NULL, longitude DOUBLE PRECISION NOT NULL, "
           "requires_licence INTEGER NOT NULL, requires_danish INTEGER NOT NULL, serves_alcohol INTEGER NOT "
           "NULL, "
           "customer_facing INTEGER NOT NULL, gradual_start INTEGER NOT NULL, slots INTEGER NOT NULL, "
           "start_date TEXT NOT NULL, state INTEGER NOT NULL, version BIGINT NOT NULL, "
           "create_micros BIGINT NOT NULL, update_micros BIGINT NOT NULL)",
           "CREATE INDEX openings_employer ON openings (employer_id, id)",
           "CREATE INDEX openings_state ON openings (state, id)",
           // The profile is one document per citizen: the service reads and
           // writes it whole.
           "CREATE TABLE job_profiles (citizen_id TEXT PRIMARY KEY, body TEXT NOT NULL, version BIGINT NOT "
           "NULL, "
           "update_micros BIGINT NOT NULL)",
       }},
      {101,
       "openings generation",
       // Bumped with every change to openings or to an employer's record,
       // so the in-memory index (opening_index.h) knows when to reload.
       {"INSERT INTO counters (name, value) VALUES ('openings', 0)"}},
      {102,
       "placements",
       {
           // A placement belongs to the enrolment the registry confirmed when
           // it was created; that enrolment's start is kept so the days to
           // the first placement need no call to the registry. The weekly
           // hours history is read and written whole with the placement:
           // 'YYYY-MM-DD=hours' steps, oldest first, comma-separated.
           "CREATE TABLE placements (id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL, "
           "enrollment_id TEXT NOT NULL, enrollment_start TEXT NOT NULL, "
           "employer_id TEXT NOT NULL REFERENCES employers (id), opening_id TEXT NOT NULL, "
           "kind INTEGER NOT NULL, start_date TEXT NOT NULL, hours TEXT NOT NULL, state INTEGER NOT NULL, "
           "end_date TEXT NOT NULL, end_reason INTEGER NOT NULL, converted_from TEXT NOT NULL, "
           "converted_to TEXT NOT NULL, version BIGINT NOT NULL, create_micros BIGINT NOT NULL, "
           "update_micros BIGINT NOT NULL)",
           "CREATE INDEX placements_citizen ON placements (citizen_id, id)",
           "CREATE INDEX placements_enrollment ON placements (enrollment_id, start_date)",
           "CREATE INDEX placements_opening ON placements (opening_id)",
       }},
      {103,
       "employer contacts on a citizen's behalf",
       {
           // '' for a contact about the employer in general.
           "ALTER TABLE employer_contacts ADD COLUMN citizen_id TEXT NOT NULL DEFAULT ''",
           "CREATE INDEX employer_contacts_citizen ON employer_contacts (citizen_id, contact_date)",
       }},
  };
}

namespace {

ErasurePlan MatchingErasurePlan() {
  ErasurePlan plan;
  plan.open_rule = "ERASURE_PLACEMENT_RUNNING";
  // Kept while a placement runs, and from the last placement's end (or,
  // with no placement, the job profile's last change).
  plan.history_sql =
      "SELECT citizen_id, MAX(open) AS open, MAX(last_date) AS last_date, MAX(last_micros) AS last_micros "
      "FROM ("
      "SELECT citizen_id, 0 AS open, '' AS last_date, update_micros AS last_micros FROM job_profiles "
      "UNION ALL SELECT citizen_id, CASE WHEN state = 1 THEN 1 ELSE 0 END, "
      "CASE WHEN end_date = '' THEN start_date ELSE end_date END, update_micros FROM placements"
      ") t GROUP BY citizen_id";
  // The job profile (goals, experience, work accommodations, which can
  // reveal health) is deleted. Placements stay as the employers' record
  // (hires, filled openings): employer, kind, dates and hours, describing
  // nobody once the registry has erased the citizen; so do the employer
  // contacts made on the citizen's behalf.
  plan.statements = {"DELETE FROM job_profiles WHERE citizen_id = :subject"};
  return plan;
}

}  // namespace

SubjectData MatchingSubjectData() {
  SubjectData d;
  d.service_name = "ips.matching.v1.EmployerMatching";
  // Where matching holds rows about a citizen (and the audit of calls about them).
  d.parts = {{"job_profiles"}, {"placements"}, {"employer_contacts"}};
  d.key = SubjectKey::kCitizen;
  d.erasure = MatchingErasurePlan();
  return d;
}

}  // namespace ips::matching
