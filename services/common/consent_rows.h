#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/dates.h"
#include "services/common/stored_values.h"

namespace ips {

// The consents table the registry and SOF each keep in their own database,
// with the same columns: a citizen's consent of a scope, its dates, who
// recorded it, and a version for the etag. The two services' Consent
// messages have the same fields, so this one mapping reads and writes
// either; each store keeps its own queries and order.
struct ConsentColumns {
  // The columns Bind reads, in order; append WHERE and ORDER BY.
  static constexpr char kSelect[] =
      "SELECT id, citizen_id, scope, given_date, expiry_date, withdrawn_date, recorded_by, version, "
      "create_micros, update_micros FROM consents ";

  std::string id, citizen_id, given, expiry, withdrawn, recorded_by;
  int scope = 0;
  long long version = 0, created = 0, updated = 0;

  template <typename Statement>  // SOCI's prepare or a Prepared (prepared.h)
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(scope), soci::into(given), soci::into(expiry),
        soci::into(withdrawn), soci::into(recorded_by), soci::into(version), soci::into(created),
        soci::into(updated);
  }

  // The consent, named citizens/{citizen}/consents/{id}, without its state
  // (which depends on the day: rules/consent_standing.h).
  template <typename Consent>
  Consent To() const {
    Consent c;
    c.set_name(absl::StrCat("citizens/", citizen_id, "/consents/", id));
    c.set_scope(static_cast<decltype(c.scope())>(scope));
    *c.mutable_given_date() = DateFromText(given);
    *c.mutable_expiry_date() = DateFromText(expiry);
    *c.mutable_withdrawn_date() = DateFromText(withdrawn);
    c.set_recorded_by(recorded_by);
    SetTime(c.mutable_create_time(), created);
    if constexpr (requires { c.mutable_update_time(); }) SetTime(c.mutable_update_time(), updated);
    c.set_etag(EtagOf(version));
    return c;
  }
};

// A consent as a store hands it out, with the version its etag stands for.
template <typename Consent>
struct StoredConsent {
  Consent consent;  // state not filled
  long long version = 1;
};

// One consent of a citizen, or nullopt.
template <typename Consent>
std::optional<StoredConsent<Consent>> LoadConsentRow(soci::session& s, const std::string& citizen_id,
                                                     const std::string& id) {
  ConsentColumns row;
  auto p = (s.prepare << ConsentColumns::kSelect << "WHERE id = :id AND citizen_id = :c");
  row.Bind(p);
  p, soci::use(id), soci::use(citizen_id);
  soci::statement st(p);
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return StoredConsent<Consent>{row.To<Consent>(), row.version};
}

// A new consent (version 1, not withdrawn).
template <typename Consent>
void InsertConsentRow(soci::session& s, const std::string& citizen_id, const std::string& id,
                      const Consent& c, long long now) {
  int scope = c.scope();
  long long version = 1;
  std::string given = DateText(c.given_date()), expiry = DateText(c.expiry_date()), none;
  s << "INSERT INTO consents (id, citizen_id, scope, given_date, expiry_date, withdrawn_date, recorded_by, "
       "version, create_micros, update_micros) VALUES (:id, :c, :s, :g, :x, :w, :r, :v, :cm, :um)",
      soci::use(id), soci::use(citizen_id), soci::use(scope), soci::use(given), soci::use(expiry),
      soci::use(none), soci::use(c.recorded_by()), soci::use(version), soci::use(now), soci::use(now);
}

inline void UpdateConsentWithdrawn(soci::session& s, const std::string& id, absl::CivilDay withdrawn,
                                   long long new_version, long long now) {
  std::string w = FormatDay(withdrawn);
  s << "UPDATE consents SET withdrawn_date = :w, version = :v, update_micros = :u WHERE id = :id",
      soci::use(w), soci::use(new_version), soci::use(now), soci::use(id);
}

}  // namespace ips
