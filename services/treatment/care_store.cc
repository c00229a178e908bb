// The treatment store (treatment_store.h): units, outreach contacts,
// referrals and episodes.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/prepared.h"
#include "services/common/soci_rows.h"
#include "services/common/stored_values.h"
#include "services/treatment/resource_names.h"
#include "services/treatment/treatment_store.h"

namespace ips::treatment {
namespace {

// --- units
constexpr char kUnitSelect[] = "SELECT id, display_name, address, active, version, create_micros FROM units ";

struct UnitData {
  std::string id, display_name, address;
  int active = 0;
  long long version = 0, created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(display_name), soci::into(address), soci::into(active), soci::into(version),
        soci::into(created);
  }
  UnitRow ToRow() const {
    UnitRow r;
    r.version = version;
    r.unit.set_name(UnitName(id));
    r.unit.set_display_name(display_name);
    r.unit.set_address(address);
    r.unit.set_active(active != 0);
    r.unit.set_etag(EtagOf(version));
    SetTime(r.unit.mutable_create_time(), created);
    return r;
  }
};

// --- outreach contacts
constexpr char kOutreachSelect[] =
    "SELECT id, citizen_id, contact_date, place, result, recorded_by, create_micros FROM outreach_contacts ";

struct OutreachData {
  std::string id, citizen_id, date, recorded_by;
  int place = 0, result = 0;
  long long created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(date), soci::into(place), soci::into(result),
        soci::into(recorded_by), soci::into(created);
  }
  v1::OutreachContact ToProto() const {
    v1::OutreachContact c;
    c.set_name(ChildNameOf(citizen_id, kOutreachContacts, id));
    *c.mutable_contact_date() = DateFromText(date);
    c.set_place(static_cast<v1::OutreachPlace>(place));
    c.set_result(static_cast<v1::OutreachResult>(result));
    c.set_recorded_by(recorded_by);
    SetTime(c.mutable_create_time(), created);
    return c;
  }
};

// --- referrals
constexpr char kReferralSelect[] =
    "SELECT id, citizen_id, referred_by, request_date, substances, unit_id, deadline, offered_date, "
    "version, create_micros FROM referrals ";

std::string SubstancesText(const v1::Referral& r) {
  std::vector<int> numbers(r.substances().begin(), r.substances().end());
  return absl::StrJoin(numbers, ",");
}

struct ReferralData {
  std::string id, citizen_id, request, substances, unit_id, deadline, offered;
  int referred_by = 0;
  long long version = 0, created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(referred_by), soci::into(request),
        soci::into(substances), soci::into(unit_id), soci::into(deadline), soci::into(offered),
        soci::into(version), soci::into(created);
  }
  ReferralRecord ToRecord() const {
    ReferralRecord r;
    r.id = id;
    r.citizen_id = citizen_id;
    r.unit_id = unit_id;
    r.request_date = ParseDay(request).value_or(absl::CivilDay());
    r.deadline = ParseDay(deadline).value_or(absl::CivilDay());
    r.offered = ParseDay(offered);
    r.version = version;
    auto& p = r.referral;
    p.set_name(ChildNameOf(citizen_id, kReferrals, id));
    p.set_referred_by(static_cast<v1::Referrer>(referred_by));
    *p.mutable_request_date() = DateFromText(request);
    for (absl::string_view part : absl::StrSplit(substances, ',', absl::SkipEmpty())) {
      int n = 0;
      if (absl::SimpleAtoi(part, &n)) p.add_substances(static_cast<v1::Substance>(n));
    }
    if (!unit_id.empty()) p.set_unit(UnitName(unit_id));
    *p.mutable_offered_date() = DateFromText(offered);
    p.set_etag(EtagOf(version));
    SetTime(p.mutable_create_time(), created);
    return r;
  }
};

// --- episodes
constexpr char kEpisodeSelect[] =
    "SELECT id, citizen_id, referral_id, unit_id, modality, diagnosis_code, start_date, end_date, "
    "end_reason, version, create_micros FROM episodes ";

struct EpisodeData {
  std::string id, citizen_id, referral_id, unit_id, diagnosis, start, end;
  int modality = 0, end_reason = 0;
  long long version = 0, created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(citizen_id), soci::into(referral_id), soci::into(unit_id),
        soci::into(modality), soci::into(diagnosis), soci::into(start), soci::into(end),
        soci::into(end_reason), soci::into(version), soci::into(created);
  }
  EpisodeRecord ToRecord() const {
    EpisodeRecord r;
    r.id = id;
    r.citizen_id = citizen_id;
    r.version = version;
    auto& e = r.episode;
    e.set_name(ChildNameOf(citizen_id, kEpisodes, id));
    if (!referral_id.empty()) e.set_referral(ChildNameOf(citizen_id, kReferrals, referral_id));
    e.set_unit(UnitName(unit_id));
    e.set_modality(static_cast<v1::Modality>(modality));
    e.set_diagnosis_code(diagnosis);
    *e.mutable_start_date() = DateFromText(start);
    *e.mutable_end_date() = DateFromText(end);
    e.set_end_reason(static_cast<v1::EpisodeEndReason>(end_reason));
    e.set_state(end.empty() ? v1::EPISODE_STATE_ACTIVE : v1::EPISODE_STATE_ENDED);
    e.set_etag(EtagOf(version));
    SetTime(e.mutable_create_time(), created);
    return r;
  }
};

}  // namespace

// --- units

void InsertUnit(soci::session& s, const std::string& id, const v1::TreatmentUnit& u, long long now) {
  int active = u.active() ? 1 : 0;
  long long version = 1;
  RunKept(s,
          "INSERT INTO units (id, display_name, address, active, version, create_micros, update_micros) "
          "VALUES (:id, :n, :a, :ac, :v, :c, :u)",
          soci::use(id), soci::use(u.display_name()), soci::use(u.address()), soci::use(active),
          soci::use(version), soci::use(now), soci::use(now));
}

std::optional<UnitRow> LoadUnit(soci::session& s, const std::string& id) {
  UnitData row;
  Prepared p(s, absl::StrCat(kUnitSelect, "WHERE id = :id"));
  row.Bind(p);
  p, soci::use(id);
  return FirstRow(CollectRows<UnitRow>(p, row, [](const UnitData& d) { return d.ToRow(); }));
}

void UpdateUnitRow(soci::session& s, const std::string& id, const v1::TreatmentUnit& u, long long new_version,
                   long long now) {
  int active = u.active() ? 1 : 0;
  RunKept(s,
          "UPDATE units SET display_name = :n, address = :a, active = :ac, version = :v, update_micros = :u "
          "WHERE id = :id",
          soci::use(u.display_name()), soci::use(u.address()), soci::use(active), soci::use(new_version),
          soci::use(now), soci::use(id));
}

std::vector<v1::TreatmentUnit> SelectUnits(soci::session& s, const std::string& after_id, int limit) {
  UnitData row;
  Prepared p(s, absl::StrCat(kUnitSelect, "WHERE id > :after ORDER BY id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(after_id), soci::use(limit);
  return CollectRows<v1::TreatmentUnit>(p, row, [](const UnitData& d) { return d.ToRow().unit; });
}

// --- outreach contacts

void InsertOutreachContact(soci::session& s, const std::string& citizen_id, const std::string& id,
                           const v1::OutreachContact& c, long long now) {
  std::string date = DateText(c.contact_date());
  int place = c.place(), result = c.result();
  RunKept(s,
          "INSERT INTO outreach_contacts (id, citizen_id, contact_date, place, result, recorded_by, "
          "create_micros) VALUES (:id, :c, :d, :p, :r, :by, :t)",
          soci::use(id), soci::use(citizen_id), soci::use(date), soci::use(place), soci::use(result),
          soci::use(c.recorded_by()), soci::use(now));
}

std::optional<v1::OutreachContact> LoadOutreachContact(soci::session& s, const std::string& citizen_id,
                                                       const std::string& id) {
  OutreachData row;
  Prepared p(s, absl::StrCat(kOutreachSelect, "WHERE id = :id AND citizen_id = :c"));
  row.Bind(p);
  p, soci::use(id), soci::use(citizen_id);
  auto rows = CollectRows<v1::OutreachContact>(p, row, [](const OutreachData& d) { return d.ToProto(); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<v1::OutreachContact> SelectOutreachContacts(soci::session& s, const std::string& citizen_id,
                                                        const std::string& after_key, int limit) {
  OutreachData row;
  auto [date, id] = SplitDateIdKey(after_key);
  Prepared p(s, absl::StrCat(kOutreachSelect, "WHERE citizen_id = :c", AfterDateIdClause("contact_date"),
                             "ORDER BY contact_date, id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(citizen_id), soci::use(date), soci::use(date), soci::use(id), soci::use(limit);
  return CollectRows<v1::OutreachContact>(p, row, [](const OutreachData& d) { return d.ToProto(); });
}

std::string OutreachKey(const v1::OutreachContact& c) {
  return DateIdKey(DateText(c.contact_date()), LastSegment(c.name()));
}

// --- referrals

void InsertReferral(soci::session& s, const ReferralRecord& r, long long now) {
  int referred_by = r.referral.referred_by();
  std::string request = FormatDay(r.request_date), deadline = FormatDay(r.deadline);
  std::string offered = r.offered ? FormatDay(*r.offered) : "";
  std::string substances = SubstancesText(r.referral);
  RunKept(s,
          "INSERT INTO referrals (id, citizen_id, referred_by, request_date, substances, unit_id, deadline, "
          "offered_date, version, create_micros, update_micros) VALUES (:id, :c, :by, :rq, :s, :u, :dl, :of, "
          ":v, :cm, :um)",
          soci::use(r.id), soci::use(r.citizen_id), soci::use(referred_by), soci::use(request),
          soci::use(substances), soci::use(r.unit_id), soci::use(deadline), soci::use(offered),
          soci::use(r.version), soci::use(now), soci::use(now));
}

std::optional<ReferralRecord> LoadReferral(soci::session& s, const std::string& citizen_id,
                                           const std::string& id) {
  ReferralData row;
  Prepared p(s, absl::StrCat(kReferralSelect, "WHERE id = :id AND citizen_id = :c"));
  row.Bind(p);
  p, soci::use(id), soci::use(citizen_id);
  auto rows = CollectRows<ReferralRecord>(p, row, [](const ReferralData& d) { return d.ToRecord(); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

void UpdateReferralOffer(soci::session& s, const ReferralRecord& r, long long now) {
  std::string o = r.offered ? FormatDay(*r.offered) : "";
  RunKept(s,
          "UPDATE referrals SET offered_date = :o, unit_id = :u, version = :v, update_micros = :t WHERE id = "
          ":id",
          soci::use(o), soci::use(r.unit_id), soci::use(r.version), soci::use(now), soci::use(r.id));
}

std::vector<ReferralRecord> SelectReferrals(soci::session& s, const ReferralFilter& f,
                                            const std::string& after, int limit) {
  ReferralData row;
  // Empty filter values match everything, so one statement serves all
  // combinations.
  std::string where = "WHERE (:c1 = '' OR citizen_id = :c2) AND (:u1 = '' OR unit_id = :u2) ";
  auto make = [](const ReferralData& d) { return d.ToRecord(); };
  if (f.open_due_by) {
    std::string due = FormatDay(*f.open_due_by);
    auto [date, id] = SplitDateIdKey(after);
    Prepared p(s, absl::StrCat(kReferralSelect, where, "AND offered_date = '' AND deadline <= :due",
                               AfterDateIdClause("deadline"), "ORDER BY deadline, id LIMIT :lim"));
    row.Bind(p);
    p, soci::use(f.citizen_id), soci::use(f.citizen_id), soci::use(f.unit_id), soci::use(f.unit_id),
        soci::use(due), soci::use(date), soci::use(date), soci::use(id), soci::use(limit);
    return CollectRows<ReferralRecord>(p, row, make);
  }
  Prepared p(s, absl::StrCat(kReferralSelect, where, "AND id > :after ORDER BY id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(f.citizen_id), soci::use(f.citizen_id), soci::use(f.unit_id), soci::use(f.unit_id),
      soci::use(after), soci::use(limit);
  return CollectRows<ReferralRecord>(p, row, make);
}

std::string ReferralKey(const ReferralFilter& f, const ReferralRecord& r) {
  return f.open_due_by ? DateIdKey(FormatDay(r.deadline), r.id) : r.id;
}

// --- episodes

void InsertEpisode(soci::session& s, const EpisodeRecord& r, long long now) {
  const auto& e = r.episode;
  std::string referral_id = e.referral().empty() ? "" : LastSegment(e.referral());
  std::string unit_id = LastSegment(e.unit());
  int modality = e.modality(), end_reason = 0;
  std::string start = DateText(e.start_date()), none;
  RunKept(
      s,
      "INSERT INTO episodes (id, citizen_id, referral_id, unit_id, modality, diagnosis_code, start_date, "
      "end_date, end_reason, version, create_micros, update_micros) VALUES (:id, :c, :r, :u, :m, :dx, :s, "
      ":e, :er, :v, :cm, :um)",
      soci::use(r.id), soci::use(r.citizen_id), soci::use(referral_id), soci::use(unit_id),
      soci::use(modality), soci::use(e.diagnosis_code()), soci::use(start), soci::use(none),
      soci::use(end_reason), soci::use(r.version), soci::use(now), soci::use(now));
}

std::optional<EpisodeRecord> LoadEpisode(soci::session& s, const std::string& citizen_id,
                                         const std::string& id) {
  EpisodeData row;
  Prepared p(s, absl::StrCat(kEpisodeSelect, "WHERE id = :id AND citizen_id = :c"));
  row.Bind(p);
  p, soci::use(id), soci::use(citizen_id);
  return FirstRow(CollectRows<EpisodeRecord>(p, row, [](const EpisodeData& d) { return d.ToRecord(); }));
}

bool HasActiveEpisode(soci::session& s, const std::string& citizen_id) {
  int n = 0;
  RunKept(s, "SELECT COUNT(*) FROM episodes WHERE citizen_id = :c AND end_date = ''", soci::use(citizen_id),
          soci::into(n));
  return n > 0;
}

void UpdateEpisodeEnd(soci::session& s, const EpisodeRecord& r, long long now) {
  std::string end = DateText(r.episode.end_date());
  int reason = r.episode.end_reason();
  RunKept(
      s,
      "UPDATE episodes SET end_date = :e, end_reason = :r, version = :v, update_micros = :u WHERE id = :id",
      soci::use(end), soci::use(reason), soci::use(r.version), soci::use(now), soci::use(r.id));
}

std::vector<EpisodeRecord> SelectEpisodes(soci::session& s, const std::string& citizen_id,
                                          const std::string& after_key, int limit) {
  EpisodeData row;
  auto [date, id] = SplitDateIdKey(after_key);
  Prepared p(s, absl::StrCat(kEpisodeSelect, "WHERE citizen_id = :c", AfterDateIdClause("start_date"),
                             "ORDER BY start_date, id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(citizen_id), soci::use(date), soci::use(date), soci::use(id), soci::use(limit);
  return CollectRows<EpisodeRecord>(p, row, [](const EpisodeData& d) { return d.ToRecord(); });
}

std::string EpisodeKey(const EpisodeRecord& e) { return DateIdKey(DateText(e.episode.start_date()), e.id); }

}  // namespace ips::treatment
