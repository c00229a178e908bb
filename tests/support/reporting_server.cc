#include "tests/support/reporting_server.h"

#include <cstdlib>
#include <iostream>
#include <thread>

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "services/reporting/reporting_config.h"
#include "services/reporting/reporting_schema.h"
#include "services/reporting/reporting_service.h"
#include "tests/support/registry_server.h"

namespace ips::testing {
ReportingServer::ReportingServer(const std::string& db_url, FeedPorts feeds, reporting::ReportConfig config,
                                 size_t max_batch) {
  server_ = std::make_unique<InProcessServer>(
      "reporting", "ips.reporting.v1.Reporting", db_url, reporting::DefaultPolicyJson(),
      reporting::ReportingMigrations(), [&](ServiceCore& core) -> std::unique_ptr<grpc::Service> {
        facts_ = std::make_unique<reporting::CommittedFacts>(core.db());
        if (auto loaded = facts_->Load(); !loaded.ok()) {
          std::cerr << "reporting: reading the stored facts: " << loaded << "\n";
          std::abort();
        }
        auto token = [] { return EventReaderToken(); };
        auto add = [&](const std::string& source, reporting::OpenFeed open) {
          followers_.push_back(std::make_unique<reporting::FeedFollower>(
              *facts_, reporting::FeedFollower::Options{source, token, max_batch}, std::move(open)));
        };
        if (feeds.registry)
          add("registry",
              reporting::FeedOf<registry::v1::CitizenRegistry>(Channel(feeds.registry, "reporting")));
        if (feeds.matching)
          add("matching",
              reporting::FeedOf<matching::v1::EmployerMatching>(Channel(feeds.matching, "reporting")));
        if (feeds.treatment)
          add("treatment",
              reporting::FeedOf<treatment::v1::TreatmentCoordination>(Channel(feeds.treatment, "reporting")));
        std::vector<const reporting::FeedFollower*> view;
        for (auto& f : followers_) {
          f->Start();
          view.push_back(f.get());
        }
        return std::make_unique<reporting::ReportingService>(core, *facts_, config, view);
      });
}

ReportingServer::~ReportingServer() { Stop(); }

void ReportingServer::Stop() {
  for (auto& f : followers_) f->Stop();
  if (server_) server_->Stop();
}

std::unique_ptr<reporting::v1::Reporting::Stub> ReportingServer::Stub() const {
  return reporting::v1::Reporting::NewStub(Channel(port()));
}

bool ReportingServer::WaitApplied(long long registry, long long matching, long long treatment) {
  for (int i = 0; i < 600; ++i) {
    bool done = true;
    for (const auto& f : followers_) {
      const long long want = f->source() == "registry"   ? registry
                             : f->source() == "matching" ? matching
                                                         : treatment;
      done = done && f->applied() >= want;
    }
    if (done) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace ips::testing
