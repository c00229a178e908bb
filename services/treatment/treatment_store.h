#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "ips/treatment/v1/care.pb.h"
#include "ips/treatment/v1/coordination.pb.h"
#include "services/common/consent_rows.h"
#include "services/treatment/domain/disclosure_consent.h"
#include "services/treatment/domain/minimal_status.h"

namespace ips::treatment {

// SQL for the treatment service's tables. Every function runs on a session
// the caller owns, so a handler composes them in one transaction with the
// outbox append. Rows come back as proto messages with the stored fields
// and output-only name, etag and times; derived fields (the guarantee, a
// consent's state) are the service's job.

// --- units (ordered by id)
struct UnitRow {
  v1::TreatmentUnit unit;
  long long version = 1;
};
void InsertUnit(soci::session& s, const std::string& id, const v1::TreatmentUnit& u, long long now);
std::optional<UnitRow> LoadUnit(soci::session& s, const std::string& id);
void UpdateUnitRow(soci::session& s, const std::string& id, const v1::TreatmentUnit& u, long long new_version,
                   long long now);
std::vector<v1::TreatmentUnit> SelectUnits(soci::session& s, const std::string& after_id, int limit);

// --- outreach contacts (ordered by date, then id; cursor "date|id")
void InsertOutreachContact(soci::session& s, const std::string& citizen_id, const std::string& id,
                           const v1::OutreachContact& c, long long now);
std::optional<v1::OutreachContact> LoadOutreachContact(soci::session& s, const std::string& citizen_id,
                                                       const std::string& id);
std::vector<v1::OutreachContact> SelectOutreachContacts(soci::session& s, const std::string& citizen_id,
                                                        const std::string& after_key, int limit);
std::string OutreachKey(const v1::OutreachContact& c);

// --- referrals
struct ReferralRecord {
  std::string id;
  std::string citizen_id;
  std::string unit_id;
  absl::CivilDay request_date;
  absl::CivilDay deadline;
  std::optional<absl::CivilDay> offered;
  long long version = 1;
  v1::Referral referral;  // stored fields; guarantee not filled
};
void InsertReferral(soci::session& s, const ReferralRecord& r, long long now);
std::optional<ReferralRecord> LoadReferral(soci::session& s, const std::string& citizen_id,
                                           const std::string& id);
// Writes offered date, unit and version.
void UpdateReferralOffer(soci::session& s, const ReferralRecord& r, long long now);
struct ReferralFilter {
  std::string citizen_id;  // "" = every citizen
  std::string unit_id;     // "" = every unit
  // When set: only referrals not offered whose deadline is on or before
  // this day, ordered by deadline (cursor "deadline|id"); else by id.
  std::optional<absl::CivilDay> open_due_by;
};
std::vector<ReferralRecord> SelectReferrals(soci::session& s, const ReferralFilter& f,
                                            const std::string& after, int limit);
std::string ReferralKey(const ReferralFilter& f, const ReferralRecord& r);

// --- episodes (ordered by start date, then id; cursor "date|id")
struct EpisodeRecord {
  std::string id;
  std::string citizen_id;
  long long version = 1;
  v1::TreatmentEpisode episode;
};
void InsertEpisode(soci::session& s, const EpisodeRecord& e, long long now);
std::optional<EpisodeRecord> LoadEpisode(soci::session& s, const std::string& citizen_id,
                                         const std::string& id);
bool HasActiveEpisode(soci::session& s, const std::string& citizen_id);
// Writes end date, reason and version.
void UpdateEpisodeEnd(soci::session& s, const EpisodeRecord& e, long long now);
std::vector<EpisodeRecord> SelectEpisodes(soci::session& s, const std::string& citizen_id,
                                          const std::string& after_key, int limit);
std::string EpisodeKey(const EpisodeRecord& e);

// --- coordination notes (ordered by note date, then id; cursor "date|id")
void InsertNote(soci::session& s, const std::string& citizen_id, const std::string& id,
                const v1::CoordinationNote& n, long long now);
std::optional<v1::CoordinationNote> LoadNote(soci::session& s, const std::string& citizen_id,
                                             const std::string& id);
std::vector<v1::CoordinationNote> SelectNotes(soci::session& s, const std::string& citizen_id,
                                              const std::string& after_key, int limit);
std::string NoteKey(const v1::CoordinationNote& n);

// --- consents (ordered by given date, then id; cursor "date|id")
// Written with InsertConsentRow, read with LoadConsentRow<v1::Consent> and
// withdrawn with UpdateConsentWithdrawn (consent_rows.h).
using ConsentRow = StoredConsent<v1::Consent>;
std::vector<v1::Consent> SelectConsents(soci::session& s, const std::string& citizen_id,
                                        const std::string& after_key, int limit);
std::string ConsentKey(const v1::Consent& c);

// --- the facts the domain rules decide on
std::vector<ConsentFact> ConsentFactsOf(soci::session& s, const std::string& citizen_id);
// A citizen's referrals and episodes, as the minimal status needs them.
struct StatusFacts {
  std::vector<ReferralFact> referrals;
  std::vector<EpisodeFact> episodes;
};
StatusFacts StatusFactsOf(soci::session& s, const std::string& citizen_id);

}  // namespace ips::treatment
