#include "services/matching/matching_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/prepared.h"
#include "services/common/soci_rows.h"
#include "services/common/stored_values.h"
#include "services/matching/resource_names.h"

namespace ips::matching {
namespace {

// Contact persons are stored as one serialized message (read and written
// whole with the employer).
std::string EncodePersons(const v1::Employer& e) {
  v1::Employer holder;
  *holder.mutable_contact_persons() = e.contact_persons();
  return absl::Base64Escape(holder.SerializeAsString());
}

void DecodePersons(const std::string& text, v1::Employer& e) {
  std::string raw;
  v1::Employer holder;
  if (absl::Base64Unescape(text, &raw) && holder.ParseFromString(raw)) {
    *e.mutable_contact_persons() = holder.contact_persons();
  }
}

constexpr char kEmployerSelect[] =
    "SELECT id, cvr, display_name, address, municipality, industry, contact_persons, hires, version, "
    "create_micros FROM employers ";

struct EmployerData {
  std::string id, cvr, display_name, address, municipality, industry, persons;
  int hires = 0;
  long long version = 0, created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(cvr), soci::into(display_name), soci::into(address),
        soci::into(municipality), soci::into(industry), soci::into(persons), soci::into(hires),
        soci::into(version), soci::into(created);
  }
  EmployerRow ToRow() const {
    EmployerRow r;
    r.version = version;
    auto& e = r.employer;
    e.set_name(EmployerName(id));
    e.set_cvr(cvr);
    e.set_display_name(display_name);
    e.set_address(address);
    e.set_municipality(municipality);
    e.set_industry(industry);
    DecodePersons(persons, e);
    e.set_hires_from_programme(hires);
    e.set_etag(EtagOf(version));
    SetTime(e.mutable_create_time(), created);
    return r;
  }
};

constexpr char kContactSelect[] =
    "SELECT id, employer_id, consultant_id, channel, contact_date, purpose, outcome, create_micros, "
    "citizen_id FROM employer_contacts ";

struct ContactData {
  std::string id, employer_id, consultant_id, date, citizen_id;
  int channel = 0, purpose = 0, outcome = 0;
  long long created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(employer_id), soci::into(consultant_id), soci::into(channel),
        soci::into(date), soci::into(purpose), soci::into(outcome), soci::into(created),
        soci::into(citizen_id);
  }
  v1::EmployerContact ToProto() const {
    v1::EmployerContact c;
    c.set_name(ContactName(employer_id, id));
    c.set_consultant(ConsultantName(consultant_id));
    c.set_channel(static_cast<v1::ContactChannel>(channel));
    *c.mutable_contact_date() = DateFromText(date);
    c.set_purpose(static_cast<v1::ContactPurpose>(purpose));
    c.set_outcome(static_cast<v1::ContactOutcome>(outcome));
    SetTime(c.mutable_create_time(), created);
    if (!citizen_id.empty()) c.set_citizen(CitizenName(citizen_id));
    return c;
  }
};

constexpr char kOpeningSelect[] =
    "SELECT o.id, o.employer_id, o.kind, o.title, o.industry, o.min_hours, o.max_hours, o.demand, o.shift, "
    "o.latitude, o.longitude, o.requires_licence, o.requires_danish, o.serves_alcohol, o.customer_facing, "
    "o.gradual_start, o.slots, o.start_date, o.state, o.version, o.create_micros, e.hires "
    "FROM openings o JOIN employers e ON e.id = o.employer_id ";

struct OpeningData {
  std::string id, employer_id, title, industry, start;
  int kind = 0, min_hours = 0, max_hours = 0, demand = 0, shift = 0, licence = 0, danish = 0, alcohol = 0,
      customer = 0, gradual = 0, slots = 0, state = 0, hires = 0;
  double lat = 0, lng = 0;
  long long version = 0, created = 0;
  template <typename Statement>
  void Bind(Statement& p) {
    p, soci::into(id), soci::into(employer_id), soci::into(kind), soci::into(title), soci::into(industry),
        soci::into(min_hours), soci::into(max_hours), soci::into(demand), soci::into(shift), soci::into(lat),
        soci::into(lng), soci::into(licence), soci::into(danish), soci::into(alcohol), soci::into(customer),
        soci::into(gradual), soci::into(slots), soci::into(start), soci::into(state), soci::into(version),
        soci::into(created), soci::into(hires);
  }
  OpeningRow ToRow() const {
    OpeningRow r;
    r.version = version;
    r.employer_hires = hires;
    auto& o = r.opening;
    o.set_name(OpeningName(employer_id, id));
    o.set_kind(static_cast<v1::OpeningKind>(kind));
    o.set_title(title);
    o.set_industry(industry);
    o.set_min_hours(min_hours);
    o.set_max_hours(max_hours);
    o.set_physical_demand(static_cast<v1::PhysicalDemand>(demand));
    o.set_shift_pattern(static_cast<v1::ShiftPattern>(shift));
    o.mutable_location()->set_latitude(lat);
    o.mutable_location()->set_longitude(lng);
    o.set_requires_driving_licence(licence != 0);
    o.set_requires_danish(danish != 0);
    o.set_serves_alcohol(alcohol != 0);
    o.set_customer_facing(customer != 0);
    o.set_gradual_start_possible(gradual != 0);
    o.set_slots(slots);
    *o.mutable_start_date() = DateFromText(start);
    o.set_state(static_cast<v1::OpeningState>(state));
    o.set_etag(EtagOf(version));
    SetTime(o.mutable_create_time(), created);
    return r;
  }
};

// The stored columns of an opening, in table order after employer_id.
struct OpeningColumns {
  int kind, min_hours, max_hours, demand, shift, licence, danish, alcohol, customer, gradual, slots, state;
  double lat, lng;
  std::string start;
  explicit OpeningColumns(const v1::Opening& o)
      : kind(o.kind()),
        min_hours(o.min_hours()),
        max_hours(o.max_hours()),
        demand(o.physical_demand()),
        shift(o.shift_pattern()),
        licence(o.requires_driving_licence()),
        danish(o.requires_danish()),
        alcohol(o.serves_alcohol()),
        customer(o.customer_facing()),
        gradual(o.gradual_start_possible()),
        slots(o.slots()),
        state(o.state()),
        lat(o.location().latitude()),
        lng(o.location().longitude()),
        start(DateText(o.start_date())) {}
};

void BumpOpeningsGeneration(soci::session& s) {
  RunKept(s, "UPDATE counters SET value = value + 1 WHERE name = 'openings'");
}

}  // namespace

// --- employers

void InsertEmployer(soci::session& s, const std::string& id, const v1::Employer& e, long long now) {
  std::string persons = EncodePersons(e);
  long long version = 1;
  int hires = 0;
  RunKept(s,
          "INSERT INTO employers (id, cvr, display_name, address, municipality, industry, contact_persons, "
          "hires, "
          "version, create_micros, update_micros) VALUES (:id, :cvr, :n, :a, :m, :i, :p, :h, :v, :c, :u)",
          soci::use(id), soci::use(e.cvr()), soci::use(e.display_name()), soci::use(e.address()),
          soci::use(e.municipality()), soci::use(e.industry()), soci::use(persons), soci::use(hires),
          soci::use(version), soci::use(now), soci::use(now));
}

std::optional<EmployerRow> LoadEmployer(soci::session& s, const std::string& id) {
  EmployerData row;
  Prepared p(s, absl::StrCat(kEmployerSelect, "WHERE id = :id"));
  row.Bind(p);
  p, soci::use(id);
  return FirstRow(CollectRows<EmployerRow>(p, row, [](const EmployerData& d) { return d.ToRow(); }));
}

std::optional<std::string> EmployerIdByCvr(soci::session& s, const std::string& cvr) {
  std::string id;
  if (!RunKept(s, "SELECT id FROM employers WHERE cvr = :cvr", soci::use(cvr), soci::into(id))) {
    return std::nullopt;
  }
  return id;
}

void UpdateEmployerRow(soci::session& s, const std::string& id, const v1::Employer& e, long long new_version,
                       long long now) {
  std::string persons = EncodePersons(e);
  RunKept(s,
          "UPDATE employers SET display_name = :n, address = :a, municipality = :m, industry = :i, "
          "contact_persons = :p, version = :v, update_micros = :u WHERE id = :id",
          soci::use(e.display_name()), soci::use(e.address()), soci::use(e.municipality()),
          soci::use(e.industry()), soci::use(persons), soci::use(new_version), soci::use(now), soci::use(id));
}

std::vector<v1::Employer> SelectEmployers(soci::session& s, const EmployerFilter& f,
                                          const std::string& after_id, int limit) {
  EmployerData row;
  Prepared p(s, absl::StrCat(kEmployerSelect,
                             "WHERE (:i1 = '' OR industry = :i2) AND (:m1 = '' OR municipality = :m2) "
                             "AND (:c1 = '' OR cvr = :c2) AND id > :after ORDER BY id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(f.industry), soci::use(f.industry), soci::use(f.municipality), soci::use(f.municipality),
      soci::use(f.cvr), soci::use(f.cvr), soci::use(after_id), soci::use(limit);
  return CollectRows<v1::Employer>(p, row, [](const EmployerData& d) { return d.ToRow().employer; });
}

// --- employer contacts

void InsertEmployerContact(soci::session& s, const std::string& employer_id, const std::string& id,
                           const v1::EmployerContact& c, const std::string& consultant_id,
                           const std::string& citizen_id, long long now) {
  int channel = c.channel(), purpose = c.purpose(), outcome = c.outcome();
  std::string date = DateText(c.contact_date());
  RunKept(s,
          "INSERT INTO employer_contacts (id, employer_id, consultant_id, channel, contact_date, purpose, "
          "outcome, create_micros, citizen_id) VALUES (:id, :e, :k, :ch, :d, :p, :o, :c, :z)",
          soci::use(id), soci::use(employer_id), soci::use(consultant_id), soci::use(channel),
          soci::use(date), soci::use(purpose), soci::use(outcome), soci::use(now), soci::use(citizen_id));
}

std::optional<v1::EmployerContact> LoadEmployerContact(soci::session& s, const std::string& employer_id,
                                                       const std::string& id) {
  ContactData row;
  Prepared p(s, absl::StrCat(kContactSelect, "WHERE id = :id AND employer_id = :e"));
  row.Bind(p);
  p, soci::use(id), soci::use(employer_id);
  return FirstRow(CollectRows<v1::EmployerContact>(p, row, [](const ContactData& d) { return d.ToProto(); }));
}

std::vector<v1::EmployerContact> SelectEmployerContacts(soci::session& s, const ContactFilter& f,
                                                        const std::string& after_key, int limit) {
  ContactData row;
  auto [date, id] = SplitDateIdKey(after_key);
  Prepared p(s, absl::StrCat(kContactSelect,
                             "WHERE (:e1 = '' OR employer_id = :e2) AND (:k1 = '' OR consultant_id = :k2) "
                             "AND (:ch1 = 0 OR channel = :ch2) AND (:z1 = '' OR citizen_id = :z2)",
                             AfterDateIdClause("contact_date"), "ORDER BY contact_date, id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(f.employer_id), soci::use(f.employer_id), soci::use(f.consultant_id),
      soci::use(f.consultant_id), soci::use(f.channel), soci::use(f.channel), soci::use(f.citizen_id),
      soci::use(f.citizen_id), soci::use(date), soci::use(date), soci::use(id), soci::use(limit);
  return CollectRows<v1::EmployerContact>(p, row, [](const ContactData& d) { return d.ToProto(); });
}

std::string EmployerContactKey(const v1::EmployerContact& c) {
  return DateIdKey(DateText(c.contact_date()), LastSegment(c.name()));
}

// --- openings

void InsertOpening(soci::session& s, const std::string& employer_id, const std::string& id,
                   const v1::Opening& o, long long now) {
  OpeningColumns c(o);
  long long version = 1;
  RunKept(
      s,
      "INSERT INTO openings (id, employer_id, kind, title, industry, min_hours, max_hours, demand, shift, "
      "latitude, longitude, requires_licence, requires_danish, serves_alcohol, customer_facing, "
      "gradual_start, "
      "slots, start_date, state, version, create_micros, update_micros) VALUES (:id, :e, :k, :t, :i, :mn, "
      ":mx, "
      ":d, :sh, :la, :lo, :rl, :rd, :sa, :cf, :gs, :sl, :sd, :st, :v, :c, :u)",
      soci::use(id), soci::use(employer_id), soci::use(c.kind), soci::use(o.title()), soci::use(o.industry()),
      soci::use(c.min_hours), soci::use(c.max_hours), soci::use(c.demand), soci::use(c.shift),
      soci::use(c.lat), soci::use(c.lng), soci::use(c.licence), soci::use(c.danish), soci::use(c.alcohol),
      soci::use(c.customer), soci::use(c.gradual), soci::use(c.slots), soci::use(c.start), soci::use(c.state),
      soci::use(version), soci::use(now), soci::use(now));
  BumpOpeningsGeneration(s);
}

std::optional<OpeningRow> LoadOpening(soci::session& s, const std::string& employer_id,
                                      const std::string& id) {
  OpeningData row;
  Prepared p(s, absl::StrCat(kOpeningSelect, "WHERE o.id = :id AND o.employer_id = :e"));
  row.Bind(p);
  p, soci::use(id), soci::use(employer_id);
  return FirstRow(CollectRows<OpeningRow>(p, row, [](const OpeningData& d) { return d.ToRow(); }));
}

void UpdateOpeningRow(soci::session& s, const std::string& id, const v1::Opening& o, long long new_version,
                      long long now) {
  OpeningColumns c(o);
  RunKept(
      s,
      "UPDATE openings SET kind = :k, title = :t, industry = :i, min_hours = :mn, max_hours = :mx, demand = "
      ":d, "
      "shift = :sh, latitude = :la, longitude = :lo, requires_licence = :rl, requires_danish = :rd, "
      "serves_alcohol = :sa, customer_facing = :cf, gradual_start = :gs, slots = :sl, start_date = :sd, "
      "state = :st, version = :v, update_micros = :u WHERE id = :id",
      soci::use(c.kind), soci::use(o.title()), soci::use(o.industry()), soci::use(c.min_hours),
      soci::use(c.max_hours), soci::use(c.demand), soci::use(c.shift), soci::use(c.lat), soci::use(c.lng),
      soci::use(c.licence), soci::use(c.danish), soci::use(c.alcohol), soci::use(c.customer),
      soci::use(c.gradual), soci::use(c.slots), soci::use(c.start), soci::use(c.state),
      soci::use(new_version), soci::use(now), soci::use(id));
  BumpOpeningsGeneration(s);
}

void RecordEmployerHire(soci::session& s, const std::string& employer_id) {
  RunKept(s, "UPDATE employers SET hires = hires + 1, version = version + 1 WHERE id = :id",
          soci::use(employer_id));
  BumpOpeningsGeneration(s);
}

void SetOpeningState(soci::session& s, const std::string& id, int state, long long now) {
  RunKept(s, "UPDATE openings SET state = :s, version = version + 1, update_micros = :now WHERE id = :id",
          soci::use(state), soci::use(now), soci::use(id));
  BumpOpeningsGeneration(s);
}

long long OpeningsGeneration(soci::session& s) {
  long long value = 0;
  RunKept(s, "SELECT value FROM counters WHERE name = 'openings'", soci::into(value));
  return value;
}

std::vector<OpeningRow> SelectOpenings(soci::session& s, const OpeningFilter& f, const std::string& after_id,
                                       int limit) {
  OpeningData row;
  Prepared p(
      s, absl::StrCat(kOpeningSelect,
                      "WHERE (:e1 = '' OR o.employer_id = :e2) AND (:s1 = 0 OR o.state = :s2) "
                      "AND (:k1 = 0 OR o.kind = :k2) AND (:i1 = '' OR o.industry = :i2) AND o.id > :after "
                      "ORDER BY o.id LIMIT :lim"));
  row.Bind(p);
  p, soci::use(f.employer_id), soci::use(f.employer_id), soci::use(f.state), soci::use(f.state),
      soci::use(f.kind), soci::use(f.kind), soci::use(f.industry), soci::use(f.industry), soci::use(after_id),
      soci::use(limit);
  return CollectRows<OpeningRow>(p, row, [](const OpeningData& d) { return d.ToRow(); });
}

// --- job profiles

JobProfileRow LoadJobProfile(soci::session& s, const std::string& citizen_id) {
  std::string body;
  long long version = 0;
  const bool found = RunKept(s, "SELECT body, version FROM job_profiles WHERE citizen_id = :c",
                             soci::use(citizen_id), soci::into(body), soci::into(version));
  JobProfileRow row;
  if (found) {
    std::string raw;
    if (absl::Base64Unescape(body, &raw)) row.profile.ParseFromString(raw);
    row.version = version;
  }
  row.profile.set_name(JobProfileName(citizen_id));
  if (row.version > 0) row.profile.set_etag(EtagOf(row.version));
  return row;
}

void StoreJobProfile(soci::session& s, const std::string& citizen_id, const v1::JobProfile& p,
                     long long version, long long now) {
  v1::JobProfile stored = p;
  stored.clear_name();
  stored.clear_etag();
  SetTime(stored.mutable_update_time(), now);
  std::string body = absl::Base64Escape(stored.SerializeAsString());
  if (version == 1) {
    RunKept(s, "INSERT INTO job_profiles (citizen_id, body, version, update_micros) VALUES (:c, :b, :v, :u)",
            soci::use(citizen_id), soci::use(body), soci::use(version), soci::use(now));
  } else {
    RunKept(s, "UPDATE job_profiles SET body = :b, version = :v, update_micros = :u WHERE citizen_id = :c",
            soci::use(body), soci::use(version), soci::use(now), soci::use(citizen_id));
  }
}

}  // namespace ips::matching
