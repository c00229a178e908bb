#include "services/reporting/fact_store.h"

#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/pg_copy.h"
#include "services/common/prepared.h"

namespace ips::reporting {
namespace {

// Dates are stored as 'YYYY-MM-DD' ('' = none). Read by hand: a start
// reads millions of them and the general parser is the slow part.
DayNumber DayFromText(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    if (text.empty()) return kNoDay;
    auto day = ParseDay(std::string(text));
    return day ? ToDayNumber(*day) : kNoDay;
  }
  auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  return ToDayNumber(absl::CivilDay(digits(0, 4), digits(5, 2), digits(8, 2)));
}

std::string TextOfDay(DayNumber day) { return day == kNoDay ? std::string() : FormatDay(FromDayNumber(day)); }

// Due dates: 'YYYY-MM-DD' comma-separated. (A course's other day lists are
// rows of course_days.)
std::string DueText(const std::vector<DayNumber>& due) {
  return absl::StrJoin(due, ",", [](std::string* out, DayNumber d) { out->append(TextOfDay(d)); });
}
// Reassignments: "day:from:to," with the day as a day number and the
// consultants as their pseudonyms (which hold neither ':' nor ',').
std::string ReassignmentsText(const std::vector<StoredCourse::Reassignment>& rs) {
  std::string out;
  for (const auto& r : rs) absl::StrAppend(&out, r.day, ":", r.from, ":", r.to, ",");
  return out;
}
std::vector<StoredCourse::Reassignment> ReassignmentsFromText(absl::string_view text) {
  std::vector<StoredCourse::Reassignment> out;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(entry, ':');
    int day = 0;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &day)) continue;
    out.push_back({day, std::move(parts[1]), std::move(parts[2])});
  }
  return out;
}

std::vector<DayNumber> DueFromText(absl::string_view text) {
  std::vector<DayNumber> out;
  for (absl::string_view d : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    if (DayNumber day = DayFromText(d); day != kNoDay) out.push_back(day);
  }
  return out;
}
void LoadCourses(soci::session& s, FactsInMemory& out) {
  // Read in bulk: there is a course per enrolment.
  constexpr size_t kBulk = 2000;
  std::vector<std::string> id(kBulk), pseudonym(kBulk), consultant(kBulk), start(kBulk), end(kBulk),
      dues(kBulk), reassignments(kBulk);
  std::vector<int> outcome(kBulk), social(kBulk), lost_contact(kBulk);
  soci::statement st =
      (s.prepare
           << "SELECT enrollment_id, pseudonym, consultant_id, start_date, end_date, outcome, due_dates, "
              "social_progression, reassignments, lost_contact FROM courses",
       soci::into(id), soci::into(pseudonym), soci::into(consultant), soci::into(start), soci::into(end),
       soci::into(outcome), soci::into(dues), soci::into(social), soci::into(reassignments),
       soci::into(lost_contact));
  st.execute();
  while (st.fetch()) {
    for (size_t r = 0; r < id.size(); ++r) {
      StoredCourse c;
      c.enrollment_id = std::move(id[r]);
      c.pseudonym = out.Intern(pseudonym[r]);
      c.consultant_id = std::move(consultant[r]);
      c.start = DayFromText(start[r]);
      c.end = DayFromText(end[r]);
      c.outcome = outcome[r];
      c.due = DueFromText(dues[r]);
      c.social_progression = social[r] != 0;
      c.reassignments = ReassignmentsFromText(reassignments[r]);
      c.lost_contact = lost_contact[r] != 0;
      out.PutCourse(std::move(c));
    }
    // SOCI shrinks the vectors to the rows it read; the next fetch reads as
    // many as they hold.
    for (auto* v : {&id, &pseudonym, &consultant, &start, &end, &dues, &reassignments}) v->resize(kBulk);
    for (auto* v : {&outcome, &social, &lost_contact}) v->resize(kBulk);
  }
}

// The courses' day rows, after the courses, in the order they were added.
void LoadCourseDays(soci::session& s, FactsInMemory& out) {
  constexpr size_t kBulk = 5000;
  std::vector<std::string> id(kBulk);
  std::vector<int> position(kBulk), list(kBulk), day(kBulk), place(kBulk);
  soci::statement st =
      (s.prepare << "SELECT enrollment_id, position, list, day, place FROM course_days "
                    "ORDER BY enrollment_id, position",
       soci::into(id), soci::into(position), soci::into(list), soci::into(day), soci::into(place));
  st.execute();
  while (st.fetch()) {
    for (size_t r = 0; r < id.size(); ++r) {
      out.PutCourseDay(id[r], position[r], static_cast<DayList>(list[r]), day[r], place[r]);
    }
    id.resize(kBulk);
    for (auto* v : {&position, &list, &day, &place}) v->resize(kBulk);
  }
}

}  // namespace

long long StoredCursor(soci::session& s, const std::string& source) {
  long long applied = 0;
  s << "SELECT applied_sequence FROM feed_cursors WHERE source = :s", soci::use(source), soci::into(applied);
  return applied;
}

void LoadFactsInMemory(soci::session& s, FactsInMemory& out) {
  out = FactsInMemory();
  {
    std::string source;
    long long applied = 0;
    soci::statement st = (s.prepare << "SELECT source, applied_sequence FROM feed_cursors",
                          soci::into(source), soci::into(applied));
    st.execute();
    while (st.fetch()) out.PutCursor(source, applied);
  }
  LoadCourses(s, out);
  LoadCourseDays(s, out);
  {
    std::string id, pseudonym, start, end, employer, job_type;
    int kind = 0, converted = 0;
    soci::statement st =
        (s.prepare << "SELECT placement_id, pseudonym, kind, start_date, end_date, converted, "
                      "employer_id, job_type FROM placements",
         soci::into(id), soci::into(pseudonym), soci::into(kind), soci::into(start), soci::into(end),
         soci::into(converted), soci::into(employer), soci::into(job_type));
    st.execute();
    while (st.fetch()) {
      out.PutPlacement({id, out.Intern(pseudonym), kind, DayFromText(start), DayFromText(end), converted != 0,
                        employer, job_type});
    }
  }
  {
    std::string id, pseudonym, date;
    int by = 0, met = 0;
    soci::statement st =
        (s.prepare
             << "SELECT referral_id, pseudonym, request_date, referred_by, guarantee_met FROM referrals",
         soci::into(id), soci::into(pseudonym), soci::into(date), soci::into(by), soci::into(met));
    st.execute();
    while (st.fetch()) out.PutReferral({id, out.Intern(pseudonym), DayFromText(date), by, met});
  }
  {
    std::string id, pseudonym, date;
    soci::statement st = (s.prepare << "SELECT episode_id, pseudonym, start_date FROM treatment_starts",
                          soci::into(id), soci::into(pseudonym), soci::into(date));
    st.execute();
    while (st.fetch()) out.PutTreatmentStart({id, out.Intern(pseudonym), DayFromText(date)});
  }
  {
    std::string pseudonym, date;
    int rules = 0;
    soci::statement st = (s.prepare << "SELECT pseudonym, refusal_date, unmet_rules FROM entry_refusals",
                          soci::into(pseudonym), soci::into(date), soci::into(rules));
    st.execute();
    while (st.fetch()) out.PutRefusal({out.Intern(pseudonym), DayFromText(date), rules});
  }
  {
    std::string id, pseudonym, date;
    soci::statement st = (s.prepare << "SELECT note_id, pseudonym, note_date FROM coordination_notes",
                          soci::into(id), soci::into(pseudonym), soci::into(date));
    st.execute();
    while (st.fetch()) out.PutNote({id, out.Intern(pseudonym), DayFromText(date)});
  }
  {
    long long sequence = 0;
    std::string pseudonym, consultant, date;
    int face_to_face = 0;
    soci::statement st = (s.prepare << "SELECT source_sequence, pseudonym, consultant_id, contact_date, "
                                       "face_to_face FROM behalf_contacts ORDER BY source_sequence",
                          soci::into(sequence), soci::into(pseudonym), soci::into(consultant),
                          soci::into(date), soci::into(face_to_face));
    st.execute();
    while (st.fetch()) {
      out.PutBehalfContact(
          {sequence, out.Intern(pseudonym), consultant, DayFromText(date), face_to_face != 0});
    }
  }
  {
    std::string consultant, date;
    int contacts = 0;
    soci::statement st = (s.prepare << "SELECT consultant_id, contact_date, contacts FROM contact_days",
                          soci::into(consultant), soci::into(date), soci::into(contacts));
    st.execute();
    while (st.fetch()) out.PutContacts(consultant, DayFromText(date), contacts);
  }
  (void)out.TakeChanges();
}

namespace {

// Upserts rows into `table`. On PostgreSQL the rows go in at Flush with
// one COPY into a staging table and one INSERT ... SELECT (pg_copy.h): no
// bind parameters, which cost more than the rows themselves when a batch
// was bound as statements of 250 rows. On SQLite, which looks bind
// parameters up by a linear scan, as INSERT ... VALUES (...), (...) ... ON
// CONFLICT with 16 rows a statement; the statement for a full set of rows
// is kept prepared on the pooled session (prepared.h), the last, shorter
// set runs as a one-off.
class MultiRowUpsert {
 public:
  // `columns`: the column list; `kinds`: one letter per column, 'T' text,
  // 'I' integer or 'L' 64-bit integer; `conflict`: the ON CONFLICT clause,
  // or "" for rows that are only ever inserted (on PostgreSQL a COPY
  // straight into the table).
  MultiRowUpsert(soci::session& s, std::string table, std::string columns, std::string kinds,
                 std::string conflict)
      : s_(s),
        table_(std::move(table)),
        columns_(std::move(columns)),
        kinds_(std::move(kinds)),
        tail_(std::move(conflict)),
        copy_(s.get_backend_name() == "postgresql"),
        rows_per_statement_(16),
        texts_(copy_ ? 0 : rows_per_statement_ * kinds_.size()),
        ints_(copy_ ? 0 : rows_per_statement_ * kinds_.size()),
        longs_(copy_ ? 0 : rows_per_statement_ * kinds_.size()) {}

  MultiRowUpsert& Text(std::string v) {
    if (copy_) {
      Separate();
      AppendCopyValue(copy_rows_, v);
      return *this;
    }
    texts_[Slot()] = std::move(v);
    return *this;
  }
  MultiRowUpsert& Int(int v) {
    if (copy_) {
      Separate();
      absl::StrAppend(&copy_rows_, v);
      return *this;
    }
    ints_[Slot()] = v;
    return *this;
  }
  MultiRowUpsert& Long(long long v) {
    if (copy_) {
      Separate();
      absl::StrAppend(&copy_rows_, v);
      return *this;
    }
    longs_[Slot()] = v;
    return *this;
  }
  // Ends a row; on SQLite runs the statement when a full set is waiting.
  void EndRow() {
    column_ = 0;
    ++rows_;
    if (copy_) {
      copy_rows_ += '\n';
      return;
    }
    if (rows_ < rows_per_statement_) return;
    if (full_sql_.empty()) full_sql_ = Sql(rows_per_statement_);
    Run(full_sql_, Prepared::Keep::kIfPooled);
  }
  // Writes the rows still waiting. Called by the owner, not a destructor:
  // it may throw.
  void Flush() {
    if (rows_ == 0) return;
    if (copy_) {
      if (tail_.empty()) {
        CopyAppend(s_, table_, columns_, copy_rows_);
      } else {
        CopyUpsert(s_, table_, columns_, copy_rows_, tail_);
      }
      copy_rows_.clear();
      rows_ = 0;
      return;
    }
    Run(Sql(rows_), Prepared::Keep::kOneOff);
  }

 private:
  // Tabs between a COPY row's values.
  void Separate() {
    if (column_++ > 0) copy_rows_ += '\t';
  }
  size_t Slot() { return rows_ * kinds_.size() + column_++; }

  std::string Sql(size_t rows) const {
    std::string sql = absl::StrCat("INSERT INTO ", table_, " (", columns_, ") VALUES ");
    for (size_t i = 0; i < rows * kinds_.size(); ++i) {
      const size_t column = i % kinds_.size();
      absl::StrAppend(&sql, column == 0 ? (i == 0 ? "(" : "), (") : ", ", ":v", i);
    }
    absl::StrAppend(&sql, ") ", tail_);
    return sql;
  }

  // Runs `sql` over the first rows_ rows' values.
  void Run(const std::string& sql, Prepared::Keep keep) {
    Prepared st(s_, sql, keep);
    for (size_t i = 0; i < rows_ * kinds_.size(); ++i) {
      const char kind = kinds_[i % kinds_.size()];
      if (kind == 'T') {
        st, soci::use(texts_[i]);
      } else if (kind == 'L') {
        st, soci::use(longs_[i]);
      } else {
        st, soci::use(ints_[i]);
      }
    }
    st.Execute();
    rows_ = 0;
  }

  soci::session& s_;
  std::string table_, columns_, kinds_, tail_;
  const bool copy_;
  std::string copy_rows_;  // PostgreSQL: the rows so far, in COPY's text format
  size_t rows_per_statement_;
  // Values by slot (row * columns + column); bound by reference.
  std::vector<std::string> texts_;
  std::vector<int> ints_;
  std::vector<long long> longs_;
  size_t rows_ = 0, column_ = 0;
  std::string full_sql_;
};

// Writes the rows of `all` that `changed` names through `rows`, each row's
// values by `values`.
template <typename Row, typename Values>
void UpsertChanged(MultiRowUpsert rows, const std::vector<Row>& all,
                   const absl::flat_hash_set<size_t>& changed, Values values) {
  for (size_t i : changed) {
    values(rows, all[i]);
    rows.EndRow();
  }
  rows.Flush();
}

}  // namespace

void SaveChanges(soci::session& s, const FactsInMemory& facts, const FactsInMemory::Changes& changes) {
  const auto pseudonym = [&](int index) { return facts.pseudonym(index); };
  UpsertChanged(
      MultiRowUpsert(s, "courses",
                     "enrollment_id, pseudonym, consultant_id, start_date, end_date, "
                     "outcome, due_dates, social_progression, reassignments, lost_contact",
                     "TTTTTITITI",
                     // Every column a later event can change (the due dates
                     // too: the registry re-plans a course when the rules
                     // change; the start when a course is started again).
                     "ON CONFLICT (enrollment_id) DO UPDATE SET consultant_id = excluded.consultant_id, "
                     "start_date = excluded.start_date, end_date = excluded.end_date, "
                     "outcome = excluded.outcome, due_dates = excluded.due_dates, "
                     "social_progression = excluded.social_progression, "
                     "reassignments = excluded.reassignments, lost_contact = excluded.lost_contact"),
      facts.courses(), changes.courses, [&](MultiRowUpsert& row, const StoredCourse& c) {
        row.Text(c.enrollment_id)
            .Text(pseudonym(c.pseudonym))
            .Text(c.consultant_id)
            .Text(TextOfDay(c.start))
            .Text(TextOfDay(c.end))
            .Int(c.outcome)
            .Text(DueText(c.due))
            .Int(c.social_progression ? 1 : 0)
            .Text(ReassignmentsText(c.reassignments))
            .Int(c.lost_contact ? 1 : 0);
      });
  for (size_t i : changes.restarted_courses) {
    const std::string& id = facts.courses()[i].enrollment_id;
    Prepared st(s, "DELETE FROM course_days WHERE enrollment_id = :e", Prepared::Keep::kIfPooled);
    st, soci::use(id);
    st.Execute();
  }
  {
    // Appended once each, as plain inserts: a row already at a course's
    // position would mean memory and the store disagree, so it fails the
    // batch (and memory is read back) rather than pass unnoticed.
    MultiRowUpsert rows(s, "course_days", "enrollment_id, position, list, day, place", "TIIII", "");
    for (const StoredCourseDay& d : changes.course_days) {
      rows.Text(facts.courses()[d.course].enrollment_id)
          .Int(d.position)
          .Int(static_cast<int>(d.list))
          .Int(d.day)
          .Int(d.place)
          .EndRow();
    }
    rows.Flush();
  }
  UpsertChanged(MultiRowUpsert(s, "placements",
                               "placement_id, pseudonym, kind, start_date, end_date, "
                               "converted, employer_id, job_type",
                               "TTITTITT",
                               "ON CONFLICT (placement_id) DO UPDATE SET end_date = excluded.end_date, "
                               "converted = excluded.converted"),
                facts.placements(), changes.placements, [&](MultiRowUpsert& row, const StoredPlacement& p) {
                  row.Text(p.placement_id)
                      .Text(pseudonym(p.pseudonym))
                      .Int(p.kind)
                      .Text(TextOfDay(p.start))
                      .Text(TextOfDay(p.end))
                      .Int(p.converted ? 1 : 0)
                      .Text(p.employer_id)
                      .Text(p.job_type);
                });
  UpsertChanged(
      MultiRowUpsert(s, "referrals", "referral_id, pseudonym, request_date, referred_by, guarantee_met",
                     "TTTII",
                     "ON CONFLICT (referral_id) DO UPDATE SET guarantee_met = excluded.guarantee_met"),
      facts.referrals(), changes.referrals, [&](MultiRowUpsert& row, const StoredReferral& r) {
        row.Text(r.referral_id)
            .Text(pseudonym(r.pseudonym))
            .Text(TextOfDay(r.request))
            .Int(r.referred_by)
            .Int(r.guarantee_met);
      });
  UpsertChanged(MultiRowUpsert(s, "treatment_starts", "episode_id, pseudonym, start_date", "TTT",
                               "ON CONFLICT (episode_id) DO NOTHING"),
                facts.treatment_starts(), changes.treatment_starts,
                [&](MultiRowUpsert& row, const StoredTreatmentStart& t) {
                  row.Text(t.episode_id).Text(pseudonym(t.pseudonym)).Text(TextOfDay(t.start));
                });
  UpsertChanged(MultiRowUpsert(s, "entry_refusals", "pseudonym, refusal_date, unmet_rules", "TTI",
                               "ON CONFLICT (pseudonym, refusal_date) DO NOTHING"),
                facts.refusals(), changes.refusals, [&](MultiRowUpsert& row, const StoredRefusal& r) {
                  row.Text(pseudonym(r.pseudonym)).Text(TextOfDay(r.day)).Int(r.unmet_rules);
                });
  UpsertChanged(MultiRowUpsert(s, "coordination_notes", "note_id, pseudonym, note_date", "TTT",
                               "ON CONFLICT (note_id) DO NOTHING"),
                facts.notes(), changes.notes, [&](MultiRowUpsert& row, const StoredNote& n) {
                  row.Text(n.note_id).Text(pseudonym(n.pseudonym)).Text(TextOfDay(n.day));
                });
  UpsertChanged(MultiRowUpsert(s, "behalf_contacts",
                               "source_sequence, pseudonym, consultant_id, "
                               "contact_date, face_to_face",
                               "LTTTI", "ON CONFLICT (source_sequence) DO NOTHING"),
                facts.behalf_contacts(), changes.behalf_contacts,
                [&](MultiRowUpsert& row, const StoredBehalfContact& c) {
                  row.Long(c.sequence)
                      .Text(pseudonym(c.pseudonym))
                      .Text(c.consultant_id)
                      .Text(TextOfDay(c.day))
                      .Int(c.face_to_face ? 1 : 0);
                });
  {
    MultiRowUpsert rows(
        s, "contact_days", "consultant_id, contact_date, contacts", "TTI",
        "ON CONFLICT (consultant_id, contact_date) DO UPDATE SET contacts = excluded.contacts");
    for (const auto& [k, day] : changes.contact_days) {
      rows.Text(k).Text(TextOfDay(day)).Int(facts.Contacts(k, day)).EndRow();
    }
    rows.Flush();
  }
  for (const std::string& source : changes.cursors) {
    const long long applied = facts.Applied(source);
    s << "UPDATE feed_cursors SET applied_sequence = :q WHERE source = :s", soci::use(applied),
        soci::use(source);
  }
}

}  // namespace ips::reporting
