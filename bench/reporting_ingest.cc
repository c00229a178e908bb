// Reporting's ingestion and report recompute (issue 5):
//  1. CommittedFacts::ApplyBatch: synthetic events of N citizens (about 20
//     each: an enrolment with its due dates, 16 job conversations,
//     placements, course ends, referrals) applied in batches of 2,000, as
//     the feed followers do, on SQLite and (with IPS_TEST_PG_URL)
//     PostgreSQL; interleaved across 2,000 citizens at a time unless
//     --interleave=0;
//  2. the report over those facts (CommittedFacts::Judge + BuildReport), timed,
//     and the facts read back from the database as on a restart;
//  3. over gRPC: M events appended to an in-process registry's outbox,
//     then a reporting service follows the feed until it has applied them.
//
//   build/bench/reporting_ingest [--citizens=20000] [--grpc_events=200000] [--interleave=1]
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ips/matching/v1/events.pb.h"
#include "ips/registry/v1/events.pb.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/common_schema.h"
#include "services/common/dates.h"
#include "services/common/server_runner.h"
#include "services/common/service_core.h"
#include "services/reporting/committed_facts.h"
#include "services/reporting/feed_follower.h"
#include "services/reporting/report_builder.h"
#include "services/reporting/reporting_schema.h"
#include "tests/support/registry_server.h"
#include "tests/support/reporting_server.h"

namespace {

using namespace ips;
using namespace ips::testing;
namespace rv1 = ips::registry::v1;
namespace mv1 = ips::matching::v1;
namespace tv1 = ips::treatment::v1;

// Resident set now (/proc/self/statm), in MiB.
long RssMiB() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

long MaxRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

long long IntFlag(int argc, char** argv, const std::string& name, long long fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind(prefix, 0) == 0) return std::atoll(a.c_str() + prefix.size());
  }
  return fallback;
}

// The events one synthetic citizen produces, per source.
struct CitizenEvents {
  std::vector<common::v1::Event> registry, matching, treatment;
};

void Add(std::vector<common::v1::Event>& out, long long& seq, const std::string& pseudonym,
         const google::protobuf::Message& payload) {
  common::v1::Event e;
  e.set_sequence(++seq);
  e.set_type(payload.GetDescriptor()->full_name());
  e.set_subject_pseudonym(pseudonym);
  e.mutable_payload()->PackFrom(payload);
  out.push_back(std::move(e));
}

void MakeCitizen(long long c, absl::CivilDay today, long long seq[3], CitizenEvents& out) {
  const std::string p = absl::StrCat("pseudonym-", c), enrollment = absl::StrCat("e", c);
  const absl::CivilDay start = today - 30 - static_cast<int>(c % 700);
  rv1::EnrollmentStarted started;
  started.set_enrollment_id(enrollment);
  *started.mutable_start_date() = ToProtoDate(start);
  started.set_consultant_id(absl::StrCat("k", c % 40));
  for (int d : {7, 42, 90, 150, 180}) *started.add_conversation_due_dates() = ToProtoDate(start + d);
  Add(out.registry, seq[0], p, started);
  for (int i = 0; i < 16; ++i) {
    rv1::JobConversationRecorded conv;
    conv.set_enrollment_id(enrollment);
    conv.set_status((c + i) % 7 == 0 ? rv1::JOB_CONVERSATION_STATUS_NO_SHOW
                                     : rv1::JOB_CONVERSATION_STATUS_HELD);
    *conv.mutable_date() = ToProtoDate(start + 5 + i * 25);
    Add(out.registry, seq[0], p, conv);
  }
  if (c % 3 == 0) {
    rv1::EnrollmentEnded ended;
    ended.set_enrollment_id(enrollment);
    *ended.mutable_end_date() = ToProtoDate(start + 25);
    ended.set_outcome(c % 2 ? rv1::COURSE_OUTCOME_ORDINARY_JOB : rv1::COURSE_OUTCOME_OTHER_OFFER);
    Add(out.registry, seq[0], p, ended);
  }
  if (c % 2 == 0) {
    mv1::PlacementStarted placed;
    placed.set_placement_id(absl::StrCat("pl", c));
    placed.set_kind(c % 4 ? mv1::OPENING_KIND_COMPANY_INTERNSHIP : mv1::OPENING_KIND_ORDINARY_JOB);
    *placed.mutable_start_date() = ToProtoDate(start + 10 + static_cast<int>(c % 40));
    Add(out.matching, seq[1], p, placed);
    mv1::PlacementEnded ended;
    ended.set_placement_id(absl::StrCat("pl", c));
    *ended.mutable_end_date() = ToProtoDate(start + 100);
    Add(out.matching, seq[1], p, ended);
  }
  mv1::EmployerContactRecorded contact;
  contact.set_consultant_id(absl::StrCat("k", c % 40));
  *contact.mutable_contact_date() = ToProtoDate(start);
  Add(out.matching, seq[1], "", contact);
  if (c % 5 == 0) {
    tv1::ReferralCreated referral;
    referral.set_referral_id(absl::StrCat("r", c));
    *referral.mutable_request_date() = ToProtoDate(start + 20);
    Add(out.treatment, seq[2], p, referral);
    tv1::TreatmentOffered offered;
    offered.set_referral_id(absl::StrCat("r", c));
    offered.set_guarantee_met(c % 3 != 0);
    Add(out.treatment, seq[2], p, offered);
  }
}

void IngestAndReport(Backend backend, long long citizens, bool interleave) {
  const std::string url = FreshDatabase(backend);
  if (url.empty()) return;
  auto db = Database::Open(url);
  if (!db.ok()) {
    std::cerr << db.status() << "\n";
    return;
  }
  auto migrations = CommonMigrations();
  for (auto& m : reporting::ReportingMigrations()) migrations.push_back(m);
  if (auto s = (*db)->Migrate(migrations); !s.ok()) {
    std::cerr << s << "\n";
    return;
  }
  const absl::CivilDay today = TodayInCopenhagen();
  reporting::CommittedFacts live(**db);
  if (auto s = live.Load(); !s.ok()) std::cerr << s << "\n";
  long long seq[3] = {0, 0, 0}, events = 0;
  long long next_sequence[3] = {0, 0, 0};
  const absl::Time start = absl::Now();
  // Citizens are made 2,000 at a time; with interleaving their events are
  // dealt out round-robin (each one's first event, then each one's second,
  // ...), so a batch of 2,000 touches as many different rows as it can, as
  // a feed does where many courses run at once. Sequences are renumbered in
  // the order applied.
  auto apply_chunk = [&](std::vector<CitizenEvents>& chunk) {
    for (int k = 0; k < 3; ++k) {
      const char* source = k == 0 ? "registry" : k == 1 ? "matching" : "treatment";
      auto list_of = [&](CitizenEvents& c) -> std::vector<common::v1::Event>& {
        return k == 0 ? c.registry : k == 1 ? c.matching : c.treatment;
      };
      std::vector<common::v1::Event> order;
      if (interleave) {
        for (size_t i = 0;; ++i) {
          bool any = false;
          for (auto& c : chunk) {
            if (i < list_of(c).size()) {
              order.push_back(std::move(list_of(c)[i]));
              any = true;
            }
          }
          if (!any) break;
        }
      } else {
        for (auto& c : chunk) {
          for (auto& e : list_of(c)) order.push_back(std::move(e));
        }
      }
      for (auto& e : order) e.set_sequence(++next_sequence[k]);
      for (size_t from = 0; from < order.size(); from += 2000) {
        std::vector<common::v1::Event> batch(
            order.begin() + static_cast<long>(from),
            order.begin() + static_cast<long>(std::min(order.size(), from + 2000)));
        events += static_cast<long long>(batch.size());
        auto applied = live.ApplyBatch(source, batch);
        if (!applied.ok()) std::cerr << applied.status() << "\n";
      }
    }
    chunk.clear();
  };
  std::vector<CitizenEvents> chunk;
  for (long long c = 0; c < citizens; ++c) {
    chunk.emplace_back();
    MakeCitizen(c, today, seq, chunk.back());
    if (chunk.size() == 2000) apply_chunk(chunk);
  }
  apply_chunk(chunk);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << BackendName(backend) << (interleave ? " (interleaved)" : " (citizen by citizen)")
            << ": applied " << events << " events of " << citizens << " citizens in " << seconds
            << " s = " << static_cast<long long>(events / seconds) << " events/s; RSS now " << RssMiB()
            << " MiB\n";
  for (int run = 0; run < 3; ++run) {
    const absl::Time t = absl::Now();
    auto judged = live.CoursesAsOf(today, today - 364);
    if (!judged.ok()) {
      std::cerr << judged.status() << "\n";
      return;
    }
    const absl::Duration judging = absl::Now() - t;
    auto report = reporting::BuildReport(judged->facts, today, today - 364, {});
    std::cout << BackendName(backend) << ": report over them in "
              << absl::ToDoubleMilliseconds(absl::Now() - t) << " ms, of which judging the facts "
              << absl::ToDoubleMilliseconds(judging) << " ms (" << report.kpis(0).value() << " enrolled; "
              << report.kpis(2).value() << " within 12 months); RSS now " << RssMiB() << " MiB, max "
              << MaxRssMiB() << " MiB\n";
  }
  // What a restart costs: every fact read back from the database.
  const absl::Time t = absl::Now();
  reporting::CommittedFacts reloaded(**db);
  if (auto s = reloaded.Load(); !s.ok()) std::cerr << s << "\n";
  auto again = reloaded.CoursesAsOf(today, today - 364);
  std::cout << BackendName(backend) << ": facts read back (a restart) in "
            << absl::ToDoubleMilliseconds(absl::Now() - t) << " ms; same report: "
            << (again.ok() &&
                        reporting::BuildReport(again->facts, today, today - 364, {}).SerializeAsString() ==
                            reporting::BuildReport(live.CoursesAsOf(today, today - 364)->facts, today,
                                                   today - 364, {})
                                .SerializeAsString()
                    ? "yes"
                    : "NO")
            << "; max RSS " << MaxRssMiB() << " MiB\n";
}

void OverGrpc(long long total) {
  const std::string registry_url = FreshDatabase(Backend::kSqlite),
                    reporting_url = FreshDatabase(Backend::kSqlite);
  RegistryServer registry(registry_url);
  // Append synthetic events straight into the registry's outbox, as its
  // handlers would (1,000 per transaction).
  long long made = 0, seq[3] = {0, 0, 0};
  const absl::CivilDay today = TodayInCopenhagen();
  for (long long c = 0; made < total; ++c) {
    CitizenEvents one;
    MakeCitizen(c, today, seq, one);
    (void)registry.core().db().Write([&](soci::session& s) {
      for (const auto& e : one.registry) {
        google::protobuf::Any any = e.payload();
        std::unique_ptr<google::protobuf::Message> payload;
        if (any.Is<rv1::EnrollmentStarted>()) {
          payload = std::make_unique<rv1::EnrollmentStarted>();
        } else if (any.Is<rv1::JobConversationRecorded>()) {
          payload = std::make_unique<rv1::JobConversationRecorded>();
        } else {
          payload = std::make_unique<rv1::EnrollmentEnded>();
        }
        any.UnpackTo(payload.get());
        registry.core().outbox().Append(s, absl::StrCat("citizen-", c), *payload);
        ++made;
      }
      return absl::OkStatus();
    });
  }
  const absl::Time start = absl::Now();
  ReportingServer reporting(reporting_url, {registry.port(), 0, 0});
  if (!reporting.WaitApplied(made, 0, 0)) std::cerr << "timed out\n";
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << "gRPC feed (SQLite publisher and reporting, mTLS): " << made
            << " events followed and applied in " << seconds
            << " s = " << static_cast<long long>(made / seconds) << " events/s\n";
}

}  // namespace

int main(int argc, char** argv) {
  ips::DisableMutexDeadlockDetection();
  const long long citizens = IntFlag(argc, argv, "citizens", 20000);
  const long long grpc_events = IntFlag(argc, argv, "grpc_events", 200000);
  const bool interleave = IntFlag(argc, argv, "interleave", 1) != 0;
  IngestAndReport(Backend::kSqlite, citizens, interleave);
  IngestAndReport(Backend::kPostgres, citizens, interleave);
  if (grpc_events > 0) OverGrpc(grpc_events);
  std::cout << "max RSS of the bench process: " << MaxRssMiB() << " MiB\n";
  return 0;
}
