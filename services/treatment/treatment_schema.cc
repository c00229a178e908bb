#include "services/treatment/treatment_schema.h"

namespace ips::treatment {

std::vector<Migration> TreatmentMigrations() {
  return {
      {100,
       "treatment tables",
       {
           // Dates are 'YYYY-MM-DD' text ('' = none); enums are their proto
           // numbers; versions back the etags. citizen_id is the registry's
           // opaque id: this service holds no CPR numbers or names.
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

}  // namespace ips::treatment
