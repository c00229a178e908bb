#include "services/matching/placement_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/prepared.h"
#include "services/common/resource_name.h"
#include "services/common/soci_rows.h"
#include "services/common/stored_values.h"
#include "services/matching/domain/placement_rules.h"
#include "services/matching/resource_names.h"

namespace ips::matching {
namespace {

std::string EncodeHours(const v1::Placement& p) {
  std::vector<std::string> steps;
  for (const auto& h : p.hours())
    steps.push_back(absl::StrCat(DateText(h.effective_date()), "=", h.hours_per_week()));
  return absl::StrJoin(steps, ",");
}

void DecodeHours(const std::string& text, v1::Placement& p) {
  for (absl::string_view step : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(step, absl::MaxSplits('=', 1));
    int hours = 0;
    if (!absl::SimpleAtoi(parts.second, &hours)) continue;
    auto* h = p.add_hours();
    *h->mutable_effective_date() = DateFromText(parts.first);
    h->set_hours_per_week(hours);
  }
}

// The first start among the enrolment's placements that were not
// conversions comes with every row, so the days to the first placement
// are worked out per row.
constexpr char kPlacementSelect[] =
    "SELECT p.id, p.citizen_id, p.enrollment_id, p.enrollment_start, p.employer_id, p.opening_id, p.kind, "
    "p.start_date, p.hours, p.state, p.end_date, p.end_reason, p.converted_from, p.converted_to, p.version, "
    "p.create_micros, (SELECT MIN(q.start_date) FROM placements q WHERE q.enrollment_id = p.enrollment_id "
    "AND q.converted_from = '') FROM placements p ";

struct PlacementData {
  std::string id, citizen_id, enrollment_id, enrollment_start, employer_id, opening_id, start, hours, end,
      converted_from, converted_to, first_start;
  int kind = 0, state = 0, end_reason = 0;
  long long version = 0, created = 0;
  soci::indicator first_ind = soci::i_ok;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(enrollment_id), soci::into(enrollment_start),
        soci::into(employer_id), soci::into(opening_id), soci::into(kind), soci::into(start),
        soci::into(hours), soci::into(state), soci::into(end), soci::into(end_reason),
        soci::into(converted_from), soci::into(converted_to), soci::into(version), soci::into(created),
        soci::into(first_start, first_ind);
  }
  PlacementRow ToRow() const {
    PlacementRow r;
    r.citizen_id = citizen_id;
    r.id = id;
    r.employer_id = employer_id;
    r.opening_id = opening_id;
    r.enrollment_id = enrollment_id;
    r.enrollment_start = enrollment_start;
    r.version = version;
    auto& p = r.placement;
    p.set_name(PlacementName(citizen_id, id));
    p.set_employer(EmployerName(employer_id));
    if (!opening_id.empty()) p.set_opening(OpeningName(employer_id, opening_id));
    p.set_kind(static_cast<v1::OpeningKind>(kind));
    *p.mutable_start_date() = DateFromText(start);
    DecodeHours(hours, p);
    if (!converted_from.empty()) p.set_converted_from(PlacementName(citizen_id, converted_from));
    if (!converted_to.empty()) p.set_converted_to(PlacementName(citizen_id, converted_to));
    p.set_state(static_cast<v1::PlacementState>(state));
    if (!end.empty()) *p.mutable_end_date() = DateFromText(end);
    p.set_end_reason(static_cast<v1::PlacementEndReason>(end_reason));
    if (converted_from.empty() && first_ind == soci::i_ok && first_start == start) {
      auto from = ParseDay(enrollment_start);
      auto to = ParseDay(start);
      if (from && to) {
        if (auto days = DaysFromEnrollment(*from, *to)) p.set_days_from_enrollment(*days);
      }
    }
    p.set_etag(EtagOf(version));
    SetTime(p.mutable_create_time(), created);
    return r;
  }
};

}  // namespace

void InsertPlacement(soci::session& s, const PlacementRow& r, long long now) {
  const auto& p = r.placement;
  int kind = p.kind(), state = v1::PLACEMENT_STATE_ACTIVE, reason = 0;
  std::string start = DateText(p.start_date()), hours = EncodeHours(p),
              from = LastSegment(p.converted_from()), empty;
  RunKept(
      s,
      "INSERT INTO placements (id, citizen_id, enrollment_id, enrollment_start, employer_id, opening_id, "
      "kind, start_date, hours, state, end_date, end_reason, converted_from, converted_to, version, "
      "create_micros, update_micros) VALUES (:id, :c, :e, :es, :emp, :o, :k, :sd, :h, :st, :ed, :er, :cf, "
      ":ct, 1, :cr, :up)",
      soci::use(r.id), soci::use(r.citizen_id), soci::use(r.enrollment_id), soci::use(r.enrollment_start),
      soci::use(r.employer_id), soci::use(r.opening_id), soci::use(kind), soci::use(start), soci::use(hours),
      soci::use(state), soci::use(empty), soci::use(reason), soci::use(from), soci::use(empty),
      soci::use(now), soci::use(now));
}

std::optional<PlacementRow> LoadPlacement(soci::session& s, const std::string& citizen_id,
                                          const std::string& id) {
  PlacementData row;
  Prepared p(s, absl::StrCat(kPlacementSelect, "WHERE p.id = :id AND p.citizen_id = :c"));
  row.Bind(p);
  p, soci::use(id), soci::use(citizen_id);
  return FirstRow(CollectRows<PlacementRow>(p, row, [](const PlacementData& d) { return d.ToRow(); }));
}

void UpdatePlacementRow(soci::session& s, const PlacementRow& r, long long new_version, long long now) {
  const auto& p = r.placement;
  int state = p.state(), reason = p.end_reason();
  std::string hours = EncodeHours(p), end = DateText(p.end_date()), to = LastSegment(p.converted_to());
  RunKept(s,
          "UPDATE placements SET hours = :h, state = :s, end_date = :e, end_reason = :r, converted_to = :t, "
          "version = :v, update_micros = :now WHERE id = :id",
          soci::use(hours), soci::use(state), soci::use(end), soci::use(reason), soci::use(to),
          soci::use(new_version), soci::use(now), soci::use(r.id));
}

int CountPlacementsOnOpening(soci::session& s, const std::string& opening_id) {
  int n = 0;
  RunKept(s, "SELECT COUNT(*) FROM placements WHERE opening_id = :o", soci::use(opening_id), soci::into(n));
  return n;
}

std::vector<PlacementRow> SelectPlacements(soci::session& s, const PlacementFilter& f,
                                           const std::string& after_id, int limit) {
  PlacementData row;
  Prepared p(s, absl::StrCat(kPlacementSelect,
                             "WHERE p.id > :after AND (CAST(:c1 AS TEXT) = '' OR p.citizen_id = :c2) "
                             "AND (:s1 = 0 OR p.state = :s2) AND (:k1 = 0 OR p.kind = :k2) "
                             "AND (CAST(:e1 AS TEXT) = '' OR p.employer_id = :e2) ORDER BY p.id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(after_id), soci::use(f.citizen_id), soci::use(f.citizen_id), soci::use(f.state),
      soci::use(f.state), soci::use(f.kind), soci::use(f.kind), soci::use(f.employer_id),
      soci::use(f.employer_id), soci::use(limit);
  return CollectRows<PlacementRow>(p, row, [](const PlacementData& d) { return d.ToRow(); });
}

}  // namespace ips::matching
