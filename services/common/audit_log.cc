#include "services/common/audit_log.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/audit_text.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/list_query.h"
#include "services/common/prepared.h"

namespace ips {
namespace {

const std::string kGenesis(64, '0');

constexpr char kColumns[] =
    "sequence, create_micros, subject, agency, service, method, resource, citizen_id, outcome, "
    "note, previous_hash, hash, hash_version";

// The version new records are hashed with (audit.proto's hash_version).
constexpr int kHashVersion = 2;

int64_t MicrosOf(const common::v1::AuditRecord& r) {
  return r.create_time().seconds() * 1000000 + r.create_time().nanos() / 1000;
}

common::v1::AuditRecord FromRow(const soci::row& row) {
  common::v1::AuditRecord r;
  r.set_sequence(row.get<long long>(0));
  r.set_name(absl::StrCat("auditRecords/", r.sequence()));
  long long micros = row.get<long long>(1);
  r.mutable_create_time()->set_seconds(micros / 1000000);
  r.mutable_create_time()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  r.set_subject(row.get<std::string>(2));
  r.set_agency(row.get<std::string>(3));
  r.set_service(row.get<std::string>(4));
  r.set_method(row.get<std::string>(5));
  r.set_resource(row.get<std::string>(6));
  r.set_citizen_id(row.get<std::string>(7));
  r.set_outcome(row.get<std::string>(8));
  r.set_note(row.get<std::string>(9));
  r.set_previous_hash(row.get<std::string>(10));
  r.set_hash(row.get<std::string>(11));
  r.set_hash_version(row.get<int>(12));
  return r;
}

}  // namespace

std::string AuditLog::HashOf(const common::v1::AuditRecord& r, int64_t create_micros) {
  const std::vector<std::string> fields = {r.previous_hash(),
                                           absl::StrCat(r.sequence()),
                                           absl::StrCat(create_micros),
                                           r.subject(),
                                           r.agency(),
                                           r.service(),
                                           r.method(),
                                           r.resource(),
                                           r.citizen_id(),
                                           r.outcome(),
                                           r.note()};
  if (r.hash_version() <= 1) {
    // Version 1 joined the fields with U+001F, which a field may contain:
    // kept so that the records written then still verify.
    return Sha256Hex(absl::StrJoin(fields, "\x1f"));
  }
  // Each field as its length and its bytes: no two records read alike.
  std::string joined = absl::StrCat(r.hash_version(), ";");
  for (const auto& f : fields) absl::StrAppend(&joined, f.size(), ":", f);
  return Sha256Hex(joined);
}

std::string AuditChainCheck::Next(const common::v1::AuditRecord& r) {
  if (r.sequence() != expected_) {
    return absl::StrCat("record ", expected_, " is missing (next is ", r.sequence(), ")");
  }
  if (r.previous_hash() != previous_) return "it does not link to the record before it";
  if (r.hash_version() < version_) return "its hash version is older than the record's before it";
  if (AuditLog::HashOf(r, MicrosOf(r)) != r.hash()) return "its fields do not match its hash (altered)";
  previous_ = r.hash();
  version_ = r.hash_version();
  ++expected_;
  return "";
}

absl::Status AuditLog::Append(const AuditEntry& e) {
  constexpr size_t kMaxBatch = 256;
  Pending mine{&e, false, absl::OkStatus()};
  std::unique_lock lock(mu_);
  queue_.push_back(&mine);
  if (writing_) {
    cv_.wait(lock, [&] { return mine.done; });
    return mine.status;
  }
  // Become the writer until the queue is empty.
  writing_ = true;
  while (!queue_.empty()) {
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    absl::Status status = WriteBatch(batch);
    lock.lock();
    for (auto* p : batch) {
      p->status = status;
      p->done = true;
    }
    cv_.notify_all();
  }
  writing_ = false;
  return mine.status;
}

absl::Status AuditLog::WriteBatch(const std::vector<Pending*>& batch) {
  std::vector<const AuditEntry*> entries;
  for (const auto* p : batch) entries.push_back(p->entry);
  return db_.Write([&](soci::session& s) {
    AppendInTransaction(s, entries);
    return absl::OkStatus();
  });
}

void AuditLog::AppendInTransaction(soci::session& s, const AuditEntry& entry) {
  AppendInTransaction(s, std::vector<const AuditEntry*>{&entry});
}

namespace {

// One audit_log row as it is inserted.
struct AuditRow {
  long long sequence = 0, create_micros = 0;
  common::v1::AuditRecord record;  // the text fields and previous_hash
  std::string hash;
  int version = kHashVersion;
};

// INSERT of `rows` rows in one statement.
std::string InsertSql(size_t rows) {
  std::string sql =
      "INSERT INTO audit_log (sequence, create_micros, subject, agency, service, method, resource, "
      "citizen_id, outcome, note, previous_hash, hash, hash_version) VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : ", ", "(:q", i, ", :t", i, ", :a", i, ", :b", i, ", :c", i, ", :d", i,
                    ", :e", i, ", :f", i, ", :g", i, ", :h", i, ", :p", i, ", :x", i, ", :v", i, ")");
  }
  return sql;
}

}  // namespace

void AuditLog::AppendInTransaction(soci::session& s, const std::vector<const AuditEntry*>& entries) {
  // The counter row serialises appenders; the same statement reads the
  // hash the first new record links to, so an uncontended append is one
  // round trip before its rows.
  long long n = static_cast<long long>(entries.size()), last = 0;
  std::string previous;
  soci::indicator previous_ind = soci::i_ok;
  RunKept(s,
          "UPDATE counters SET value = value + :n WHERE name = 'audit' RETURNING value, "
          "(SELECT hash FROM audit_log WHERE sequence = counters.value - :n2)",
          soci::use(n), soci::use(n), soci::into(last), soci::into(previous, previous_ind));
  long long sequence = last - n + 1;
  if (previous_ind != soci::i_ok && sequence > 1) {
    // The statement waited for the counter row's lock, and the record
    // before ours was committed by the writer it waited for: on PostgreSQL
    // (READ COMMITTED) the statement's snapshot predates that commit, so
    // its subquery could not see the record. A new statement can.
    long long before = sequence - 1;
    previous_ind = soci::i_ok;
    RunKept(s, "SELECT hash FROM audit_log WHERE sequence = :s", soci::use(before),
            soci::into(previous, previous_ind));
  }
  if (previous_ind != soci::i_ok || previous.empty()) previous = kGenesis;
  std::vector<AuditRow> rows(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const AuditEntry* e = entries[i];
    AuditRow& row = rows[i];
    common::v1::AuditRecord& r = row.record;
    // Every field bounded and CPR-free as stored (audit_text.h): much of it
    // comes from the caller.
    r.set_hash_version(kHashVersion);
    r.set_sequence(sequence + static_cast<long long>(i));
    r.set_subject(AuditText(e->subject, kMaxSubject));
    r.set_agency(AuditText(e->agency, kMaxAgency));
    r.set_service(AuditText(e->service, kMaxService));
    r.set_method(AuditText(e->method, kMaxMethod));
    r.set_resource(AuditText(e->resource, kMaxResource));
    r.set_citizen_id(AuditText(e->citizen_id, kMaxCitizenId));
    r.set_outcome(AuditText(e->outcome, kMaxOutcome));
    r.set_note(AuditText(e->note, kMaxNote));
    r.set_previous_hash(previous);
    row.sequence = r.sequence();
    row.create_micros = NowMicros();
    row.hash = HashOf(r, row.create_micros);
    previous = row.hash;
  }
  // On PostgreSQL, where every statement is a round trip, a batch goes in
  // as few statements as the kept sizes allow (16, 4, 1 rows each); SQLite
  // runs in the process, and one kept single-row insert is as fast.
  const std::vector<size_t> sizes =
      s.get_backend_name() == "postgresql" ? std::vector<size_t>{16, 4, 1} : std::vector<size_t>{1};
  size_t at = 0;
  for (size_t size : sizes) {
    while (rows.size() - at >= size) {
      Prepared insert(s, InsertSql(size));
      for (size_t i = at; i < at + size; ++i) {
        AuditRow& row = rows[i];
        auto& r = row.record;
        insert, soci::use(row.sequence), soci::use(row.create_micros), soci::use(*r.mutable_subject()),
            soci::use(*r.mutable_agency()), soci::use(*r.mutable_service()), soci::use(*r.mutable_method()),
            soci::use(*r.mutable_resource()), soci::use(*r.mutable_citizen_id()),
            soci::use(*r.mutable_outcome()), soci::use(*r.mutable_note()),
            soci::use(*r.mutable_previous_hash()), soci::use(row.hash), soci::use(row.version);
      }
      insert.Execute(false);
      at += size;
    }
  }
}

absl::StatusOr<common::v1::ListAuditRecordsResponse> AuditLog::List(
    const common::v1::ListAuditRecordsRequest& request) {
  auto terms = ParseFilter(request.filter(), {"citizen_id", "subject", "method", "outcome"});
  if (!terms.ok()) return terms.status();
  auto page = StartPage(page_tokens_, absl::StrCat("audit|", request.filter()), request.page_size(),
                        request.page_token(), 100);
  if (!page.ok()) return page.status();
  long long after = 0;
  if (!page->after.empty() && !absl::SimpleAtoi(page->after, &after)) {
    return errors::InvalidArgument("page_token", "is not a token returned by this list method");
  }
  std::map<std::string, std::string> want;
  for (const auto& t : *terms) want[t.field] = t.value;
  std::string citizen = want["citizen_id"], subject = want["subject"], method = want["method"],
              outcome = want["outcome"];
  int limit = page->fetch();
  common::v1::ListAuditRecordsResponse response;
  absl::Status status = db_.Read([&](soci::session& s) {
    // An empty value means "any"; every value is bound, never spliced.
    soci::rowset<soci::row> rows =
        (s.prepare << absl::StrCat("SELECT ", kColumns,
                                   " FROM audit_log WHERE sequence > :after"
                                   " AND (CAST(:c1 AS TEXT) = '' OR citizen_id = :c2)"
                                   " AND (CAST(:s1 AS TEXT) = '' OR subject = :s2)"
                                   " AND (CAST(:m1 AS TEXT) = '' OR method = :m2)"
                                   " AND (CAST(:o1 AS TEXT) = '' OR outcome = :o2)"
                                   " ORDER BY sequence LIMIT :lim"),
         soci::use(after), soci::use(citizen), soci::use(citizen), soci::use(subject), soci::use(subject),
         soci::use(method), soci::use(method), soci::use(outcome), soci::use(outcome), soci::use(limit));
    for (const auto& row : rows) *response.add_audit_records() = FromRow(row);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // The page ends at its size or at kMaxPageBytes, whichever comes first,
  // with at least one record: records written before fields were bounded
  // can be megabytes each.
  auto* records = response.mutable_audit_records();
  int keep = 0;
  size_t bytes = 0;
  while (keep < records->size() && keep < page->size) {
    bytes += records->Get(keep).ByteSizeLong() + 8;
    if (keep > 0 && bytes > kMaxPageBytes) break;
    ++keep;
  }
  if (keep < records->size()) {
    response.set_next_page_token(
        page_tokens_.Encode(page->scope, absl::StrCat(records->Get(keep - 1).sequence())));
    records->DeleteSubrange(keep, records->size() - keep);
  }
  return response;
}

absl::StatusOr<int64_t> AuditLog::FirstBrokenLink() {
  int64_t broken = 0;
  absl::Status status = db_.Read([&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << absl::StrCat("SELECT ", kColumns, " FROM audit_log ORDER BY sequence"));
    AuditChainCheck chain;
    for (const auto& row : rows) {
      if (!chain.Next(FromRow(row)).empty()) {
        broken = chain.expected();
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return broken;
}

}  // namespace ips
