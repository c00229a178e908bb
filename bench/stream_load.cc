// Open event streams: what 300 StreamEvents streams, all waiting at the end
// of the registry's feed, cost the process in threads and resident memory,
// and how long one change takes to reach all of them. The streams are
// driven by the bench's one thread through one completion queue, so the
// threads added are the server's; the memory is client and server together
// (an upper bound on the server's).
//
//   build/bench/stream_load [--streams=300] [--changes=20]
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "services/common/server_runner.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/registry_server.h"

namespace {

using namespace ips::testing;
namespace rv1 = ips::registry::v1;
namespace cv1 = ips::common::v1;

// A field of /proc/self/status ("Threads", "VmRSS" in kB).
long ProcStatus(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

struct Stream {
  grpc::ClientContext ctx;
  std::unique_ptr<grpc::ClientAsyncReader<cv1::Event>> reader;
  cv1::Event event;
  grpc::Status status;
};

void* Tag(size_t i) { return reinterpret_cast<void*>(static_cast<intptr_t>(i)); }

void Run(Backend backend, int n, int changes) {
  const std::string url = FreshDatabase(backend);
  if (url.empty()) return;
  // Room for every stream among the calls too, so a server on which a
  // stream holds a call's place (the synchronous one before) opens them all.
  RegistryServer server(url, "", nullptr, [n](ips::RuntimeOptions& o) {
    o.call_limits.per_server = std::max(o.call_limits.per_server, n + 64);
    o.call_limits.per_caller = std::max(o.call_limits.per_caller, n + 64);
  });
  auto writer = server.Stub();
  auto feed = server.Stub("reporting");
  int cpr_seq = 0;
  auto change = [&] {
    rv1::CreateCitizenRequest req;
    req.mutable_citizen()->set_cpr(CprFor(1960 + cpr_seq % 40, 1 + cpr_seq % 12, 1 + cpr_seq % 28, cpr_seq));
    ++cpr_seq;
    req.mutable_citizen()->set_given_name("Bench");
    req.mutable_citizen()->set_family_name("Citizen");
    req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + ConsultantToken());
    rv1::Citizen out;
    return writer->CreateCitizen(&ctx, req, &out).ok();
  };
  if (!change()) {
    std::cerr << "cannot write\n";
    return;
  }
  grpc::CompletionQueue cq;
  auto next = [&cq] {
    void* tag = nullptr;
    bool ok = false;
    cq.Next(&tag, &ok);
    return ok;
  };
  const long threads_before = ProcStatus("Threads"), rss_before = ProcStatus("VmRSS");
  std::vector<std::unique_ptr<Stream>> streams;
  cv1::StreamEventsRequest req;
  req.set_after_sequence(1);
  const std::string token = EventReaderToken();
  for (int i = 0; i < n; ++i) {
    auto s = std::make_unique<Stream>();
    s->ctx.AddMetadata("authorization", "Bearer " + token);
    s->reader = feed->PrepareAsyncStreamEvents(&s->ctx, req, &cq);
    s->reader->StartCall(Tag(i));
    streams.push_back(std::move(s));
  }
  int open = 0;
  for (int i = 0; i < n; ++i) open += next();
  for (int i = 0; i < n; ++i) streams[i]->reader->ReadInitialMetadata(Tag(i));
  for (int i = 0; i < n; ++i) open -= !next();
  // Let the server settle (its thread pools grow and shrink lazily).
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long threads_open = ProcStatus("Threads"), rss_open = ProcStatus("VmRSS");

  // Fan-out: one change at a time, until every stream has it.
  std::vector<double> fanout_ms;
  long delivered = 0;
  int64_t expect = 2;
  for (int c = 0; c < changes; ++c, ++expect) {
    for (int i = 0; i < n; ++i) streams[i]->reader->Read(&streams[i]->event, Tag(i));
    const absl::Time start = absl::Now();
    if (!change()) break;
    for (int i = 0; i < n; ++i) {
      void* tag = nullptr;
      bool ok = false;
      cq.Next(&tag, &ok);
      if (ok && streams[reinterpret_cast<intptr_t>(tag)]->event.sequence() == expect) ++delivered;
    }
    fanout_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  std::sort(fanout_ms.begin(), fanout_ms.end());
  for (auto& s : streams) s->ctx.TryCancel();
  for (int i = 0; i < n; ++i) streams[i]->reader->Finish(&streams[i]->status, Tag(i));
  for (int i = 0; i < n; ++i) next();
  std::cout << absl::StrFormat(
      "| %s | %d of %d open | threads %ld -> %ld (+%ld) | RSS %.1f -> %.1f MiB (+%.1f) | "
      "%ld of %ld deliveries | one change to all streams: median %.1f ms, max %.1f ms |\n",
      BackendName(backend), open, n, threads_before, threads_open, threads_open - threads_before,
      rss_before / 1024.0, rss_open / 1024.0, (rss_open - rss_before) / 1024.0, delivered,
      static_cast<long>(n) * changes, fanout_ms.empty() ? 0 : fanout_ms[fanout_ms.size() / 2],
      fanout_ms.empty() ? 0 : fanout_ms.back());
}

}  // namespace

int main(int argc, char** argv) {
  int streams = 300, changes = 20;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--streams=", 0) == 0) streams = std::atoi(a.c_str() + 10);
    if (a.rfind("--changes=", 0) == 0) changes = std::atoi(a.c_str() + 10);
  }
  ips::DisableMutexDeadlockDetection();  // as every service does
  Run(Backend::kSqlite, streams, changes);
  Run(Backend::kPostgres, streams, changes);
  return 0;
}
