#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "ips/matching/v1/employer.pb.h"
#include "ips/matching/v1/job_profile.pb.h"
#include "ips/matching/v1/opening.pb.h"

namespace ips::matching {

// SQL for the matching service's tables. Every function runs on a session
// the caller owns, so a handler composes them in one transaction with the
// outbox append. Rows come back as proto messages with name, etag and
// times filled in.

// --- employers (ordered by id)
struct EmployerRow {
  v1::Employer employer;
  long long version = 1;
};
void InsertEmployer(soci::session& s, const std::string& id, const v1::Employer& e, long long now);
std::optional<EmployerRow> LoadEmployer(soci::session& s, const std::string& id);
std::optional<std::string> EmployerIdByCvr(soci::session& s, const std::string& cvr);
// Writes the mutable fields and version (not cvr, not hires).
void UpdateEmployerRow(soci::session& s, const std::string& id, const v1::Employer& e, long long new_version,
                       long long now);
struct EmployerFilter {
  std::string industry, municipality, cvr;  // "" = any
};
std::vector<v1::Employer> SelectEmployers(soci::session& s, const EmployerFilter& f,
                                          const std::string& after_id, int limit);

// --- employer contacts (ordered by date, then id; cursor "date|id")
// `citizen_id` is "" for a contact not made on a citizen's behalf.
void InsertEmployerContact(soci::session& s, const std::string& employer_id, const std::string& id,
                           const v1::EmployerContact& c, const std::string& consultant_id,
                           const std::string& citizen_id, long long now);
std::optional<v1::EmployerContact> LoadEmployerContact(soci::session& s, const std::string& employer_id,
                                                       const std::string& id);
struct ContactFilter {
  std::string employer_id;    // "" = every employer
  std::string consultant_id;  // "" = every consultant
  int channel = 0;            // 0 = any
  std::string citizen_id;     // "" = on anyone's behalf or none
};
std::vector<v1::EmployerContact> SelectEmployerContacts(soci::session& s, const ContactFilter& f,
                                                        const std::string& after_key, int limit);
std::string EmployerContactKey(const v1::EmployerContact& c);

// --- openings (ordered by id)
struct OpeningRow {
  v1::Opening opening;
  long long version = 1;
  int employer_hires = 0;
};
void InsertOpening(soci::session& s, const std::string& employer_id, const std::string& id,
                   const v1::Opening& o, long long now);
std::optional<OpeningRow> LoadOpening(soci::session& s, const std::string& employer_id,
                                      const std::string& id);
// Writes every stored field of the opening and the version.
void UpdateOpeningRow(soci::session& s, const std::string& id, const v1::Opening& o, long long new_version,
                      long long now);
struct OpeningFilter {
  std::string employer_id;  // "" = every employer
  int state = 0, kind = 0;  // 0 = any
  std::string industry;     // "" = any
};
std::vector<OpeningRow> SelectOpenings(soci::session& s, const OpeningFilter& f, const std::string& after_id,
                                       int limit);

// Counts one more hire from the programme for the employer (a placement
// ended HIRED); the employer's record feeds the match score, so the
// openings counter moves too.
void RecordEmployerHire(soci::session& s, const std::string& employer_id);

// Sets an opening's state (FILLED when its slots are taken) and moves the
// openings counter.
void SetOpeningState(soci::session& s, const std::string& id, int state, long long now);

// The `openings` counter: bumped by InsertOpening and UpdateOpeningRow in
// the caller's transaction.
long long OpeningsGeneration(soci::session& s);

// --- job profiles (one document per citizen)
struct JobProfileRow {
  v1::JobProfile profile;
  long long version = 0;  // 0: none stored yet
};
JobProfileRow LoadJobProfile(soci::session& s, const std::string& citizen_id);
// Inserts (version 1) or replaces the profile.
void StoreJobProfile(soci::session& s, const std::string& citizen_id, const v1::JobProfile& p,
                     long long version, long long now);

}  // namespace ips::matching
