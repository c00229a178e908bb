// ips-sim: drives about two years of the IPS programme through the suite's
// public gRPC APIs, deterministically from a seed (see simulation.h).
//
//   ips-sim --registry=HOST:PORT --matching=HOST:PORT --treatment=HOST:PORT
//           [--seed=2026] [--citizens=150] [--days=730]
//
// Connection and development identity as for ipsctl: IPS_CA, IPS_CERT,
// IPS_KEY (mTLS), IPS_DEV_KEY, IPS_JWT_ISSUER, IPS_JWT_AUDIENCE.
#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/dates.h"
#include "services/common/dev_token.h"
#include "services/common/jwt_verifier.h"
#include "services/common/peer_channel.h"
#include "services/common/tls.h"
#include "tools/ips-sim/simulation.h"

ABSL_FLAG(std::string, registry, "", "host:port of the registry");
ABSL_FLAG(std::string, matching, "", "host:port of the matching service");
ABSL_FLAG(std::string, treatment, "", "host:port of the treatment service");
ABSL_FLAG(unsigned, seed, 2026, "Seed of every random choice");
ABSL_FLAG(int, citizens, 150, "Citizens who come to the programme");
ABSL_FLAG(int, days, 730, "Days of programme life, ending today");

namespace {

std::string Env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string key_file = Env("IPS_DEV_KEY");
  auto key = ips::ReadFile(key_file);
  if (!key.ok()) {
    std::cerr << "ips-sim: IPS_DEV_KEY must name the development signing key\n";
    return 2;
  }
  auto token = [&](const std::string& subject, const std::string& agency, std::vector<std::string> roles) {
    ips::DevTokenClaims c{subject,
                          agency,
                          std::move(roles),
                          Env("IPS_JWT_ISSUER", "https://login.dev.ips.local"),
                          Env("IPS_JWT_AUDIENCE", "ips-sydhavnen"),
                          4 * 3600};
    auto t = ips::MintDevToken(*key, c);
    if (!t.ok()) {
      std::cerr << "ips-sim: " << t.status().message() << "\n";
      std::exit(2);
    }
    return *t;
  };
  ips::sim::Tokens tokens;
  tokens.team_lead = token("sim-team-lead", "BIF", {"team_lead"});
  for (int k = 1; k <= 3; ++k) {
    tokens.consultant_subjects.push_back("sim-consultant-" + std::to_string(k));
    tokens.consultants.push_back(token(tokens.consultant_subjects.back(), "BIF", {"ips_consultant"}));
  }
  tokens.sof_worker = token("sim-sof-worker", "SOF", {"sof_outreach", "sof_treatment"});

  auto creds = ips::MakeChannelCredentials({Env("IPS_CERT"), Env("IPS_KEY"), Env("IPS_CA")}, false);
  if (!creds.ok()) {
    std::cerr << "ips-sim: " << creds.status().message() << "\n";
    return 2;
  }
  // Services restarted mid-run are reconnected to within a second or two.
  grpc::ChannelArguments args;
  ips::SetRecommendedChannelArgs(args);
  auto channel = [&](const std::string& address) { return grpc::CreateCustomChannel(address, *creds, args); };
  ips::sim::Channels channels{channel(absl::GetFlag(FLAGS_registry)), channel(absl::GetFlag(FLAGS_matching)),
                              channel(absl::GetFlag(FLAGS_treatment))};
  ips::sim::Options options{absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_citizens),
                            absl::GetFlag(FLAGS_days), ips::TodayInCopenhagen()};
  if (options.citizens < 1 || options.citizens > 100000 || options.days < 60 || options.days > 3650) {
    std::cerr << "ips-sim: --citizens must be 1..100000 and --days 60..3650\n";
    return 2;
  }
  ips::sim::Simulation sim(channels, tokens, options);
  const auto tally = sim.Run();
  int calls = 0;
  for (const auto& [what, n] : tally.calls) calls += n;
  std::cout << "ips-sim (seed " << options.seed << "): " << calls << " calls; " << tally.enrolled
            << " enrolled, " << tally.refused << " refused by the entry rules, " << tally.placements
            << " placed, " << tally.courses_ended << " courses ended (by this run)\n";
  if (tally.already_made > 0) {
    std::cout << "ips-sim: " << tally.already_made
              << " citizens were made by an earlier run and left as they were\n";
  }
  if (tally.retries > 0)
    std::cout << "ips-sim: " << tally.retries << " calls repeated while a service was down\n";
  for (const auto& u : tally.unexpected) std::cerr << "ips-sim: unexpected answer: " << u << "\n";
  return tally.unexpected.empty() ? 0 : 1;
}
