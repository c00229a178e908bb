// The treatment store (treatment_store.h): coordination notes, consents,
// and the facts the disclosure rules judge.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/consent_rows.h"
#include "services/common/dates.h"
#include "services/common/prepared.h"
#include "services/common/soci_rows.h"
#include "services/common/stored_values.h"
#include "services/treatment/resource_names.h"
#include "services/treatment/treatment_store.h"

namespace ips::treatment {
namespace {

// --- notes
constexpr char kNoteSelect[] =
    "SELECT id, citizen_id, note_date, text, author, author_agency, create_micros FROM coordination_notes ";

struct NoteData {
  std::string id, citizen_id, date, text, author, agency;
  long long created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(date), soci::into(text), soci::into(author),
        soci::into(agency), soci::into(created);
  }
  v1::CoordinationNote ToProto() const {
    v1::CoordinationNote n;
    n.set_name(ChildNameOf(citizen_id, kNotes, id));
    *n.mutable_note_date() = DateFromText(date);
    n.set_text(text);
    n.set_author(author);
    n.set_author_agency(agency);
    SetTime(n.mutable_create_time(), created);
    return n;
  }
};

}  // namespace

// --- notes

void InsertNote(soci::session& s, const std::string& citizen_id, const std::string& id,
                const v1::CoordinationNote& n, long long now) {
  std::string date = DateText(n.note_date());
  RunKept(s,
          "INSERT INTO coordination_notes (id, citizen_id, note_date, text, author, author_agency, "
          "create_micros) VALUES (:id, :c, :d, :t, :a, :ag, :cm)",
          soci::use(id), soci::use(citizen_id), soci::use(date), soci::use(n.text()), soci::use(n.author()),
          soci::use(n.author_agency()), soci::use(now));
}

std::optional<v1::CoordinationNote> LoadNote(soci::session& s, const std::string& citizen_id,
                                             const std::string& id) {
  NoteData row;
  Prepared p(s, absl::StrCat(kNoteSelect, "WHERE id = :id AND citizen_id = :c"));
  row.Bind(p);
  p, soci::use(id), soci::use(citizen_id);
  return FirstRow(CollectRows<v1::CoordinationNote>(p, row, [](const NoteData& d) { return d.ToProto(); }));
}

std::vector<v1::CoordinationNote> SelectNotes(soci::session& s, const std::string& citizen_id,
                                              const std::string& after_key, int limit) {
  NoteData row;
  auto [date, id] = SplitDateIdKey(after_key);
  Prepared p(s, absl::StrCat(kNoteSelect, "WHERE citizen_id = :c", AfterDateIdClause("note_date"),
                             "ORDER BY note_date, id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(citizen_id), soci::use(date), soci::use(date), soci::use(id), soci::use(limit);
  return CollectRows<v1::CoordinationNote>(p, row, [](const NoteData& d) { return d.ToProto(); });
}

std::string NoteKey(const v1::CoordinationNote& n) {
  return DateIdKey(DateText(n.note_date()), LastSegment(n.name()));
}

// --- consents

std::vector<v1::Consent> SelectConsents(soci::session& s, const std::string& citizen_id,
                                        const std::string& after_key, int limit) {
  ConsentColumns row;
  auto [date, id] = SplitDateIdKey(after_key);
  Prepared p(s, absl::StrCat(ConsentColumns::kSelect, "WHERE citizen_id = :c",
                             AfterDateIdClause("given_date"), "ORDER BY given_date, id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(citizen_id), soci::use(date), soci::use(date), soci::use(id), soci::use(limit);
  return CollectRows<v1::Consent>(p, row, [](const ConsentColumns& d) { return d.To<v1::Consent>(); });
}

std::string ConsentKey(const v1::Consent& c) {
  return DateIdKey(DateText(c.given_date()), LastSegment(c.name()));
}

// --- facts

std::vector<ConsentFact> ConsentFactsOf(soci::session& s, const std::string& citizen_id) {
  ConsentColumns d;
  Prepared st(s, absl::StrCat(ConsentColumns::kSelect, "WHERE citizen_id = :c"));
  d.Bind(st);
  st, soci::use(citizen_id);
  return CollectRows<ConsentFact>(st, d, [](const ConsentColumns& c) {
    return ConsentFact{static_cast<ConsentScope>(c.scope), ParseDay(c.given).value_or(absl::CivilDay()),
                       ParseDay(c.expiry).value_or(absl::CivilDay()), ParseDay(c.withdrawn)};
  });
}

StatusFacts StatusFactsOf(soci::session& s, const std::string& citizen_id) {
  // Both tables in one round trip: a referral's request date, or an
  // episode's start and end.
  StatusFacts out;
  int episode = 0;
  std::string first, end;
  Prepared st(s,
              "SELECT 0, request_date, '' FROM referrals WHERE citizen_id = :c1 "
              "UNION ALL SELECT 1, start_date, end_date FROM episodes WHERE citizen_id = :c2");
  st, soci::use(citizen_id), soci::use(citizen_id), soci::into(episode), soci::into(first), soci::into(end);
  for (bool row = st.Execute(); row; row = st.Fetch()) {
    const absl::CivilDay day = ParseDay(first).value_or(absl::CivilDay());
    if (episode == 1) {
      out.episodes.push_back({day, ParseDay(end)});
    } else {
      out.referrals.push_back({day});
    }
  }
  return out;
}

}  // namespace ips::treatment
