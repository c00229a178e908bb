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
    AppendRows(s, entries);
    return absl::OkStatus();
  });
}

void AuditLog::AppendInTransaction(soci::session& s, const AuditEntry& entry) { AppendRows(s, {&entry}); }

void AuditLog::AppendRows(soci::session& s, const std::vector<const AuditEntry*>& entries) {
  long long n = static_cast<long long>(entries.size()), last = 0;
  {
    Prepared counter(s, "UPDATE counters SET value = value + :n WHERE name = 'audit' RETURNING value");
    counter, soci::use(n), soci::into(last);
    counter.Execute();
  }
  long long sequence = last - n + 1;
  std::string previous = kGenesis;
  if (sequence > 1) {
    long long prev_seq = sequence - 1;
    Prepared before(s, "SELECT hash FROM audit_log WHERE sequence = :s");
    before, soci::use(prev_seq), soci::into(previous);
    before.Execute();
  }
  common::v1::AuditRecord r;
  r.set_hash_version(kHashVersion);
  long long now = 0;
  int version = kHashVersion;
  std::string hash;
  Prepared insert(s,
                  "INSERT INTO audit_log (sequence, create_micros, subject, agency, service, method, "
                  "resource, citizen_id, outcome, note, previous_hash, hash, hash_version) VALUES (:seq, :t, "
                  ":sub, :ag, :svc, :m, :res, :cit, :out, :note, :prev, :hash, :v)");
  insert, soci::use(sequence), soci::use(now), soci::use(*r.mutable_subject()),
      soci::use(*r.mutable_agency()), soci::use(*r.mutable_service()), soci::use(*r.mutable_method()),
      soci::use(*r.mutable_resource()), soci::use(*r.mutable_citizen_id()), soci::use(*r.mutable_outcome()),
      soci::use(*r.mutable_note()), soci::use(*r.mutable_previous_hash()), soci::use(hash),
      soci::use(version);
  for (const AuditEntry* e : entries) {
    // Every field bounded and CPR-free as stored (audit_text.h): much of it
    // comes from the caller.
    r.set_sequence(sequence);
    r.set_subject(AuditText(e->subject, kMaxSubject));
    r.set_agency(AuditText(e->agency, kMaxAgency));
    r.set_service(AuditText(e->service, kMaxService));
    r.set_method(AuditText(e->method, kMaxMethod));
    r.set_resource(AuditText(e->resource, kMaxResource));
    r.set_citizen_id(AuditText(e->citizen_id, kMaxCitizenId));
    r.set_outcome(AuditText(e->outcome, kMaxOutcome));
    r.set_note(AuditText(e->note, kMaxNote));
    r.set_previous_hash(previous);
    now = NowMicros();
    hash = HashOf(r, now);
    insert.Execute();
    previous = hash;
    ++sequence;
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
