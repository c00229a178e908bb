#include "services/treatment/treatment_schema.h"

namespace ips::treatment {

std::vector<Migration> TreatmentMigrations() {
  return {
      {100,
       "treatment tables",
       {
           // This service holds no CPR numbers or names.
           "CREATE TABLE units (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, address TEXT NOT NULL, "
           "active INTEGER NOT NULL, version BIGINT NOT NULL, create_micros BIGINT NOT NULL, "
           "update_micros BIGINT NOT NULL)",
           "CREATE TABLE outreach_contacts (id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL, "
           "contact_date TEXT NOT NULL, place INTEGER NOT NULL, result INTEGER NOT NULL, "
           "recorded_by TEXT NOT NULL, create_micros BIGINT NOT NULL)",
           "CREATE INDEX outreach_citizen ON outreach_contacts (citizen_id, contact_date)",
           // substances: comma-separated Substance numbers; unit_id may be ''
           // until intake.
           "CREATE TABLE referrals (id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL, "
           "referred_by INTEGER NOT NULL, request_date TEXT NOT NULL, substances TEXT NOT NULL, "
           "unit_id TEXT NOT NULL, deadline TEXT NOT NULL, "
           "offered_date TEXT NOT NULL, version BIGINT NOT NULL, create_micros BIGINT NOT NULL, "
           "update_micros BIGINT NOT NULL)",
           "CREATE INDEX referrals_citizen ON referrals (citizen_id, id)",
           // The guarantee watch list: open referrals by deadline.
           "CREATE INDEX referrals_open_deadline ON referrals (deadline, id) WHERE offered_date = ''",
           "CREATE TABLE episodes (id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL, "
           "referral_id TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units (id), "
           "modality INTEGER NOT NULL, diagnosis_code TEXT NOT NULL, start_date TEXT NOT NULL, "
           "end_date TEXT NOT NULL, end_reason INTEGER NOT NULL, version BIGINT NOT NULL, "
           "create_micros BIGINT NOT NULL, update_micros BIGINT NOT NULL)",
           "CREATE INDEX episodes_citizen ON episodes (citizen_id, start_date)",
           "CREATE TABLE coordination_notes (id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL, "
           "note_date TEXT NOT NULL, text TEXT NOT NULL, author TEXT NOT NULL, "
           "author_agency TEXT NOT NULL, create_micros BIGINT NOT NULL)",
           "CREATE INDEX notes_citizen ON coordination_notes (citizen_id, note_date)",
           "CREATE TABLE consents (id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL, scope INTEGER NOT NULL, "
           "given_date TEXT NOT NULL, expiry_date TEXT NOT NULL, withdrawn_date TEXT NOT NULL, "
           "recorded_by TEXT NOT NULL, version BIGINT NOT NULL, create_micros BIGINT NOT NULL, "
           "update_micros BIGINT NOT NULL)",
           "CREATE INDEX consents_citizen ON consents (citizen_id)",
       }},
  };
}

namespace {

ErasurePlan TreatmentErasurePlan() {
  ErasurePlan plan;
  plan.open_rule = "ERASURE_TREATMENT_OPEN";
  // Kept while a referral awaits its offer or an episode runs, and from
  // the latest date recorded about the citizen.
  plan.history_sql =
      "SELECT citizen_id, MAX(open) AS open, MAX(last_date) AS last_date, MAX(last_micros) AS last_micros "
      "FROM ("
      "SELECT citizen_id, 0 AS open, contact_date AS last_date, create_micros AS last_micros "
      "FROM outreach_contacts "
      "UNION ALL SELECT citizen_id, CASE WHEN offered_date = '' THEN 1 ELSE 0 END, "
      "CASE WHEN offered_date = '' THEN request_date ELSE offered_date END, update_micros FROM referrals "
      "UNION ALL SELECT citizen_id, CASE WHEN end_date = '' THEN 1 ELSE 0 END, "
      "CASE WHEN end_date = '' THEN start_date ELSE end_date END, update_micros FROM episodes "
      "UNION ALL SELECT citizen_id, 0, note_date, create_micros FROM coordination_notes "
      "UNION ALL SELECT citizen_id, 0, CASE WHEN withdrawn_date = '' THEN given_date ELSE withdrawn_date "
      "END, "
      "update_micros FROM consents"
      ") t GROUP BY citizen_id";
  // Coordination notes (free text about the citizen) and consents are
  // deleted; the substances of referrals and the diagnosis codes of
  // episodes (health data) are cleared. Dates, units and modalities stay:
  // the 14-day guarantee's record, describing nobody once the registry has
  // erased the citizen.
  plan.statements = {
      "DELETE FROM coordination_notes WHERE citizen_id = :subject",
      "DELETE FROM consents WHERE citizen_id = :subject",
      "UPDATE referrals SET substances = '', version = version + 1 WHERE citizen_id = :subject",
      "UPDATE episodes SET diagnosis_code = '', version = version + 1 WHERE citizen_id = :subject",
  };
  return plan;
}

}  // namespace

SubjectData TreatmentSubjectData() {
  SubjectData d;
  d.service_name = "ips.treatment.v1.TreatmentCoordination";
  // Where the treatment service holds rows about a citizen (and the audit of calls about them).
  d.parts = {{"outreach_contacts"}, {"referrals"}, {"episodes"}, {"coordination_notes"}, {"consents"}};
  d.key = SubjectKey::kCitizen;
  d.erasure = TreatmentErasurePlan();
  return d;
}

}  // namespace ips::treatment
