// The reporting service (joint): ips.reporting.v1.Reporting, following the
// registry's, matching's and treatment's event feeds.
#include <prometheus/gauge.h>

#include <atomic>
#include <iostream>
#include <map>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/strip.h"
#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "services/common/json_log.h"
#include "services/common/jwt_verifier.h"
#include "services/common/peer_channel.h"
#include "services/common/server_runner.h"
#include "services/common/service_main.h"
#include "services/reporting/fidelity_scale_json.h"
#include "services/reporting/reporting_config.h"
#include "services/reporting/reporting_schema.h"
#include "services/reporting/reporting_service.h"

ABSL_FLAG(std::string, registry_address, "", "host:port of the registry's event feed");
ABSL_FLAG(std::string, matching_address, "", "host:port of the matching service's event feed");
ABSL_FLAG(std::string, treatment_address, "", "host:port of the treatment service's event feed");
ABSL_FLAG(std::string, feed_client_cert, "",
          "Client certificate (PEM) presented to the publishers; its CN names reporting");
ABSL_FLAG(std::string, feed_client_key, "", "Key of --feed_client_cert");
ABSL_FLAG(std::string, feed_token_file, "",
          "File with reporting's bearer token (role event_reader), re-read before each connection");
ABSL_FLAG(int, suppression_threshold, 5, "Counts below this are published as '<N'");
ABSL_FLAG(double, budget_per_year, 2504000, "The programme's yearly budget in kroner, for the cost figures");
ABSL_FLAG(double, target_12_months, 15, "Target: % of citizens in job or education within 12 months");
ABSL_FLAG(double, target_24_months, 25, "Target: % of citizens in job or education within 24 months");
ABSL_FLAG(double, target_progression, 50, "Target: % with a company placement or social progression");
ABSL_FLAG(std::string, fidelity_scale, "",
          "A fidelity scale file (JSON, as fidelity_scale.json) to score the reviews on instead of the "
          "built-in one");
ABSL_FLAG(int, target_days_to_placement, 30, "Target: median days from the start to the first placement");

int main(int argc, char** argv) {
  ips::BlockTerminationSignals();
  ips::ParseFlagsWithEnvironment(argc, argv,
                                 "reporting: the IPS programme's figures from the services' event feeds. "
                                 "Flags may also be given as IPS_<FLAG> environment variables.");
  auto options = ips::RuntimeOptionsFromFlags("reporting", ips::reporting::DefaultPolicyJson(),
                                              /*publishes_events=*/false);
  if (!options.ok()) return ips::StartFailure("reporting", options.status(), 2);
  ips::reporting::ReportConfig config;
  config.suppression_threshold = absl::GetFlag(FLAGS_suppression_threshold);
  config.budget_per_year = absl::GetFlag(FLAGS_budget_per_year);
  config.target_12_months = absl::GetFlag(FLAGS_target_12_months);
  config.target_24_months = absl::GetFlag(FLAGS_target_24_months);
  config.target_progression = absl::GetFlag(FLAGS_target_progression);
  config.target_days_to_placement = absl::GetFlag(FLAGS_target_days_to_placement);
  const auto percent = [](double p) { return p >= 0 && p <= 100; };
  if (config.suppression_threshold < 1 || config.suppression_threshold > 100 || config.budget_per_year < 0 ||
      !percent(config.target_12_months) || !percent(config.target_24_months) ||
      !percent(config.target_progression) || config.target_days_to_placement < 1 ||
      config.target_days_to_placement > 365) {
    std::cerr << "reporting: --suppression_threshold must be 1..100, --budget_per_year not negative, the "
                 "--target_* percentages 0..100 and --target_days_to_placement 1..365\n";
    return 2;
  }
  const std::string token_file = absl::GetFlag(FLAGS_feed_token_file);
  std::string scale_text = ips::reporting::DefaultFidelityScaleJson();
  if (const std::string path = absl::GetFlag(FLAGS_fidelity_scale); !path.empty()) {
    auto text = ips::ReadFile(path);
    if (!text.ok()) return ips::StartFailure("reporting", text.status(), 2);
    scale_text = *text;
  }
  auto scale = ips::reporting::ParseFidelityScale(scale_text);
  if (!scale.ok()) return ips::StartFailure("reporting", scale.status(), 2);
  ips::InitLogging("reporting", options->log_level);
  auto core =
      ips::ServiceCore::Create(*options, "ips.reporting.v1.Reporting", ips::reporting::ReportingMigrations());
  if (!core.ok()) return ips::StartFailure("reporting", core.status(), 1);
  auto token = [token_file] {
    auto text = ips::ReadFile(token_file);
    return text.ok() ? std::string(absl::StripAsciiWhitespace(*text)) : std::string();
  };
  // Every fact is read into memory before serving: reports judge them
  // there (committed_facts.h).
  ips::reporting::CommittedFacts facts((*core)->db());
  if (auto loaded = facts.Load(); !loaded.ok()) {
    std::cerr << "reporting: reading the stored facts: " << loaded.message() << "\n";
    return 1;
  }
  std::vector<std::unique_ptr<ips::reporting::FeedFollower>> followers;
  for (const auto& [source, address] :
       {std::pair<std::string, std::string>{"registry", absl::GetFlag(FLAGS_registry_address)},
        {"matching", absl::GetFlag(FLAGS_matching_address)},
        {"treatment", absl::GetFlag(FLAGS_treatment_address)}}) {
    if (address.empty()) continue;
    if (token_file.empty()) {
      std::cerr << "reporting: --feed_token_file is required with a feed address\n";
      return 2;
    }
    ips::PeerAddress peer{
        address,
        {absl::GetFlag(FLAGS_feed_client_cert), absl::GetFlag(FLAGS_feed_client_key), options->tls.ca},
        options->insecure_plaintext};
    auto channel = ips::MakePeerChannel(peer, "", {}, "feed");
    if (!channel.ok()) return ips::StartFailure("reporting", channel.status(), 2);
    ips::reporting::OpenFeed open =
        source == "registry"   ? ips::reporting::FeedOf<ips::registry::v1::CitizenRegistry>(*channel)
        : source == "matching" ? ips::reporting::FeedOf<ips::matching::v1::EmployerMatching>(*channel)
                               : ips::reporting::FeedOf<ips::treatment::v1::TreatmentCoordination>(*channel);
    followers.push_back(std::make_unique<ips::reporting::FeedFollower>(
        facts, ips::reporting::FeedFollower::Options{source, token, 2000}, std::move(open)));
  }
  std::vector<const ips::reporting::FeedFollower*> feeds;
  for (auto& f : followers) {
    f->Start();
    feeds.push_back(f.get());
  }
  ips::reporting::ReportingService service(**core, facts, config, feeds, *std::move(scale));
  std::atomic<bool> stopping{false};
  std::thread monitor;
  auto runner = ips::ServerRunner::Start(
      *options, {&service}, {"ips.reporting.v1.Reporting"},
      [&] {
        stopping = true;
        if (monitor.joinable()) monitor.join();
        for (auto& f : followers) f->Stop();
      },
      [&] { return (*core)->db().Healthy(); });
  if (!runner.ok()) return ips::StartFailure("reporting", runner.status(), 1);
  // Each feed's progress as metrics and as a health entry of its own
  // ("ips.reporting.v1.Reporting/feed/registry"): reports keep working
  // from the stored facts while a publisher is down, but grow stale.
  auto& registry = (*core)->metrics().registry();
  auto& applied = prometheus::BuildGauge()
                      .Name("ips_feed_applied_sequence")
                      .Help("Last event sequence applied, per publisher")
                      .Register(registry);
  auto& queued = prometheus::BuildGauge()
                     .Name("ips_feed_lag_events")
                     .Help("Events received from a publisher but not yet applied")
                     .Register(registry);
  auto& connected = prometheus::BuildGauge()
                        .Name("ips_feed_connected")
                        .Help("1 while the publisher's event stream is open")
                        .Register(registry);
  monitor = std::thread([&] {
    while (!stopping) {
      for (const auto& f : followers) {
        const std::map<std::string, std::string> labels = {{"source", f->source()}};
        applied.Add(labels).Set(static_cast<double>(f->applied()));
        queued.Add(labels).Set(static_cast<double>(f->received() - f->applied()));
        connected.Add(labels).Set(f->connected() ? 1 : 0);
        (*runner)->SetHealth("ips.reporting.v1.Reporting/feed/" + f->source(), f->connected());
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  (*runner)->WaitForTermination();
  return 0;
}
