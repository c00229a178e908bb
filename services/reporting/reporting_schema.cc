#include "services/reporting/reporting_schema.h"

namespace ips::reporting {
namespace {

// The derived tables, each with the migration that made it.
constexpr std::pair<int, const char*> kDerivedTables[] = {
    {100, "courses"},      {100, "placements"},      {100, "referrals"},          {100, "treatment_starts"},
    {101, "contact_days"}, {104, "behalf_contacts"}, {106, "coordination_notes"}, {109, "entry_refusals"},
    {110, "course_days"},
};

// Migration `version`'s statements when it changes what is derived: every
// derived fact made before it cleared and the cursors rewound, so the
// followers derive the facts again from the feeds (which keep every event),
// then `then`. A new derived table goes into kDerivedTables.
std::vector<std::string> Rederived(int version, std::vector<std::string> then = {}) {
  std::vector<std::string> out;
  for (const auto& [made_by, table] : kDerivedTables) {
    if (made_by < version) out.push_back(std::string("DELETE FROM ") + table);
  }
  out.push_back("UPDATE feed_cursors SET applied_sequence = 0");
  out.insert(out.end(), then.begin(), then.end());
  return out;
}

}  // namespace

std::vector<Migration> ReportingMigrations() {
  return {
      {100,
       "reporting facts",
       {
           // Each feed's last applied sequence, written in the same
           // transaction as the facts derived from the events up to it.
           "CREATE TABLE feed_cursors (source TEXT PRIMARY KEY, applied_sequence BIGINT NOT NULL)",
           "INSERT INTO feed_cursors (source, applied_sequence) VALUES ('registry', 0)",
           "INSERT INTO feed_cursors (source, applied_sequence) VALUES ('matching', 0)",
           "INSERT INTO feed_cursors (source, applied_sequence) VALUES ('treatment', 0)",
           // Courses by the registry's opaque enrolment id; the citizen only
           // as the pseudonym. Dates 'YYYY-MM-DD' ('' = none); due dates
           // comma-separated.
           "CREATE TABLE courses (enrollment_id TEXT PRIMARY KEY, pseudonym TEXT NOT NULL, "
           "consultant_id TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, "
           "outcome INTEGER NOT NULL, due_dates TEXT NOT NULL, social_progression INTEGER NOT NULL)",
           "CREATE INDEX courses_pseudonym ON courses (pseudonym)",
           "CREATE TABLE conversations (source_sequence BIGINT PRIMARY KEY, enrollment_id TEXT NOT NULL, "
           "status INTEGER NOT NULL, held_date TEXT NOT NULL)",
           "CREATE INDEX conversations_course ON conversations (enrollment_id)",
           "CREATE TABLE placements (placement_id TEXT PRIMARY KEY, pseudonym TEXT NOT NULL, "
           "kind INTEGER NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, converted INTEGER NOT "
           "NULL)",
           "CREATE INDEX placements_pseudonym ON placements (pseudonym)",
           "CREATE TABLE employer_contacts (source_sequence BIGINT PRIMARY KEY, consultant_id TEXT NOT NULL, "
           "contact_date TEXT NOT NULL)",
           // guarantee_met: -1 not yet offered, 0 late, 1 within the guarantee.
           "CREATE TABLE referrals (referral_id TEXT PRIMARY KEY, pseudonym TEXT NOT NULL, "
           "request_date TEXT NOT NULL, referred_by INTEGER NOT NULL, guarantee_met INTEGER NOT NULL)",
           "CREATE TABLE treatment_starts (episode_id TEXT PRIMARY KEY, pseudonym TEXT NOT NULL, "
           "start_date TEXT NOT NULL)",
       }},
      {101,
       "conversations and contacts kept as aggregates",
       {
           // A report read every conversation and contact row; it now reads
           // one row per course and per consultant-day. Reporting's facts
           // are derived, so the migration empties them and rewinds the
           // cursors: the followers rebuild everything from the feeds.
           "DROP TABLE conversations",
           "DROP TABLE employer_contacts",
           "DELETE FROM courses",
           "DELETE FROM placements",
           "DELETE FROM referrals",
           "DELETE FROM treatment_starts",
           "UPDATE feed_cursors SET applied_sequence = 0",
           // Held conversations as days since 1970-01-01, comma-terminated.
           "ALTER TABLE courses ADD COLUMN held_days TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE courses ADD COLUMN no_shows INTEGER NOT NULL DEFAULT 0",
           "CREATE TABLE contact_days (consultant_id TEXT NOT NULL, contact_date TEXT NOT NULL, "
           "contacts INTEGER NOT NULL, PRIMARY KEY (consultant_id, contact_date))",
       }},
      {102, "facts keyed by pseudonyms",
       // The feeds now carry the pseudonyms of record and staff ids, not the
       // ids (common migration 4 rewrites what the publishers had stored), so
       // the facts keyed by the old ids are rebuilt from the feeds. Upgrade
       // the publishers before reporting.
       Rederived(102)},
      {103,
       "conversation places, reassignments and placements' employers and job types, for the fidelity review",
       // The fidelity review reads where each held conversation was, who
       // carried a course when and each placement's employer and job type;
       // the facts are rebuilt from the feeds (which carry a placement's job
       // type from this version of matching on: upgrade it first).
       Rederived(103, {"ALTER TABLE courses ADD COLUMN held_places TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE courses ADD COLUMN reassignments TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE placements ADD COLUMN employer_id TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE placements ADD COLUMN job_type TEXT NOT NULL DEFAULT ''"})},
      {104, "employer contacts on a citizen's behalf, for the fidelity review",
       // Keyed by the event's sequence on the matching feed. Rebuilt from
       // the feeds: a matching upgraded first may have published contacts
       // on a citizen's behalf that an older reporting counted only.
       Rederived(
           104, {"CREATE TABLE behalf_contacts (source_sequence BIGINT PRIMARY KEY, pseudonym TEXT NOT NULL, "
                 "consultant_id TEXT NOT NULL, contact_date TEXT NOT NULL, face_to_face INTEGER NOT NULL)",
                 "CREATE INDEX behalf_contacts_pseudonym ON behalf_contacts (pseudonym)"})},
      {105,
       "no-show, outreach, benefits counselling and disclosure days and lost contact, for the fidelity "
       "review",
       // Days since 1970-01-01, comma-terminated, like held_days. The
       // no_shows count stays as a column, written as the number of
       // no-show days; it is not read. Rebuilt from the feeds (the registry
       // publishes lost contact from this version on: upgrade it first).
       Rederived(105, {"ALTER TABLE courses ADD COLUMN no_show_days TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE courses ADD COLUMN outreach_days TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE courses ADD COLUMN benefits_days TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE courses ADD COLUMN disclosure_days TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE courses ADD COLUMN lost_contact INTEGER NOT NULL DEFAULT 0"})},
      {106, "coordination notes, for the fidelity review",
       // By the note's pseudonym, joined to courses by the citizen's
       // pseudonym and day like placements. Rebuilt from the feeds (upgrade
       // treatment first).
       Rederived(106, {"CREATE TABLE coordination_notes (note_id TEXT PRIMARY KEY, pseudonym TEXT NOT NULL, "
                       "note_date TEXT NOT NULL)",
                       "CREATE INDEX coordination_notes_pseudonym ON coordination_notes (pseudonym)"})},
      {107, "follow-along days, for the fidelity review",
       // Days since 1970-01-01, comma-terminated. Rebuilt from the feeds.
       Rederived(107, {"ALTER TABLE courses ADD COLUMN follow_along_days TEXT NOT NULL DEFAULT ''"})},
      {108, "where contact activities were held, for the fidelity review",
       // Days and places in step, comma-terminated numbers like held_days
       // and held_places. Rebuilt from the feeds (upgrade the registry
       // first).
       Rederived(108, {"ALTER TABLE courses ADD COLUMN met_days TEXT NOT NULL DEFAULT ''",
                       "ALTER TABLE courses ADD COLUMN met_places TEXT NOT NULL DEFAULT ''"})},
      {109, "refusals at entry, for the fidelity review",
       // One decision per citizen and day; the unmet rules as a bit mask of
       // ips.registry.v1.EligibilityRule. Rebuilt from the feeds (upgrade
       // the registry first).
       Rederived(109, {"CREATE TABLE entry_refusals (pseudonym TEXT NOT NULL, refusal_date TEXT NOT NULL, "
                       "unmet_rules INTEGER NOT NULL, PRIMARY KEY (pseudonym, refusal_date))"})},
      {110, "a course's day lists as rows appended once",
       // The held and missed conversations and the activity days were text
       // columns of courses, rewritten whole whenever a day was added; on
       // PostgreSQL that rewrite of wide rows was most of ingestion's cost.
       // Now each day is a row: list is the DayList number
       // (facts_in_memory.h), day a day number (days since 1970-01-01),
       // place an ips.registry.v1.ConversationPlace where the list has one,
       // position the course's count of rows when it was added (they are
       // read back in that order). Rebuilt from the feeds. The old columns
       // stay, empty and no longer read or written, as migrations only add
       // (an older image started on this database would see courses
       // without their days: roll back past this one on an empty
       // database, docs/operations.md).
       Rederived(110, {"CREATE TABLE course_days (enrollment_id TEXT NOT NULL, position INTEGER NOT NULL, "
                       "list INTEGER NOT NULL, day INTEGER NOT NULL, place INTEGER NOT NULL, "
                       "PRIMARY KEY (enrollment_id, position))"})},
  };
}

SubjectData ReportingSubjectData() {
  SubjectData d;
  d.service_name = "ips.reporting.v1.Reporting";
  // What reporting holds about a pseudonym; its audit records name no
  // citizen, and it erases nothing (its facts describe nobody without the
  // registry's key).
  d.parts = {{"courses"},
             {"course_days",
              "SELECT d.enrollment_id, d.position, d.list, d.day, d.place FROM course_days d JOIN courses c "
              "ON c.enrollment_id = d.enrollment_id WHERE c.pseudonym = :subject ORDER BY d.enrollment_id, "
              "d.position"},
             {"placements"},
             {"referrals"},
             {"treatment_starts"},
             {"behalf_contacts"},
             {"coordination_notes"},
             {"entry_refusals"}};
  d.key = SubjectKey::kPseudonym;
  return d;
}

}  // namespace ips::reporting
