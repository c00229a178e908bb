#include "services/common/audit_log.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/list_query.h"

namespace ips {
namespace {

const std::string kGenesis(64, '0');

constexpr char kColumns[] =
    "sequence, create_micros, subject, agency, service, method, resource, citizen_id, outcome, "
    "note, previous_hash, hash";

common::v1::AuditRecord FromRow(const soci::row& row, long long* micros_out) {
  common::v1::AuditRecord r;
  r.set_sequence(row.get<long long>(0));
  r.set_name(absl::StrCat("auditRecords/", r.sequence()));
  long long micros = row.get<long long>(1);
  if (micros_out) *micros_out = micros;
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
  return r;
}

}  // namespace

std::string AuditLog::HashOf(const common::v1::AuditRecord& r, int64_t create_micros) {
  // Unit separators keep field boundaries unambiguous.
  return Sha256Hex(absl::StrJoin(
      {r.previous_hash(), absl::StrCat(r.sequence()), absl::StrCat(create_micros), r.subject(), r.agency(),
       r.service(), r.method(), r.resource(), r.citizen_id(), r.outcome(), r.note()},
      "\x1f"));
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
  s << "UPDATE counters SET value = value + :n WHERE name = 'audit' RETURNING value", soci::use(n),
      soci::into(last);
  long long sequence = last - n + 1;
  std::string previous = kGenesis;
  if (sequence > 1) {
    long long prev_seq = sequence - 1;
    s << "SELECT hash FROM audit_log WHERE sequence = :s", soci::use(prev_seq), soci::into(previous);
  }
  common::v1::AuditRecord r;
  long long now = 0;
  std::string hash;
  soci::statement insert =
      (s.prepare << "INSERT INTO audit_log (sequence, create_micros, subject, agency, service, method, "
                    "resource, citizen_id, outcome, note, previous_hash, hash) VALUES (:seq, :t, :sub, :ag, "
                    ":svc, :m, :res, :cit, :out, :note, :prev, :hash)",
       soci::use(sequence), soci::use(now), soci::use(*r.mutable_subject()), soci::use(*r.mutable_agency()),
       soci::use(*r.mutable_service()), soci::use(*r.mutable_method()), soci::use(*r.mutable_resource()),
       soci::use(*r.mutable_citizen_id()), soci::use(*r.mutable_outcome()), soci::use(*r.mutable_note()),
       soci::use(*r.mutable_previous_hash()), soci::use(hash));
  for (const AuditEntry* e : entries) {
    r.set_sequence(sequence);
    r.set_subject(e->subject);
    r.set_agency(e->agency);
    r.set_service(e->service);
    r.set_method(e->method);
    r.set_resource(e->resource);
    r.set_citizen_id(e->citizen_id);
    r.set_outcome(e->outcome);
    r.set_note(e->note);
    r.set_previous_hash(previous);
    now = NowMicros();
    hash = HashOf(r, now);
    insert.execute(true);
    previous = hash;
    ++sequence;
  }
}

absl::StatusOr<common::v1::ListAuditRecordsResponse> AuditLog::List(
    const common::v1::ListAuditRecordsRequest& request) {
  auto terms = ParseFilter(request.filter(), {"citizen_id", "subject", "method", "outcome"});
  if (!terms.ok()) return terms.status();
  auto page =
      StartPage(absl::StrCat("audit|", request.filter()), request.page_size(), request.page_token(), 100);
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
    for (const auto& row : rows) *response.add_audit_records() = FromRow(row, nullptr);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  std::vector<common::v1::AuditRecord> rows(response.audit_records().begin(), response.audit_records().end());
  response.set_next_page_token(
      FinishPage(rows, *page, [](const common::v1::AuditRecord& r) { return absl::StrCat(r.sequence()); }));
  response.mutable_audit_records()->Clear();
  for (auto& r : rows) *response.add_audit_records() = std::move(r);
  return response;
}

absl::StatusOr<int64_t> AuditLog::FirstBrokenLink() {
  int64_t broken = 0;
  absl::Status status = db_.Read([&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << absl::StrCat("SELECT ", kColumns, " FROM audit_log ORDER BY sequence"));
    std::string previous = kGenesis;
    int64_t expected = 1;
    for (const auto& row : rows) {
      long long micros = 0;
      auto r = FromRow(row, &micros);
      if (r.sequence() != expected || r.previous_hash() != previous || HashOf(r, micros) != r.hash()) {
        broken = expected;
        return absl::OkStatus();
      }
      previous = r.hash();
      ++expected;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return broken;
}

}  // namespace ips
