// events stream: a service's pseudonymised event feed, one line an event.
#include <cstdlib>
#include <iostream>

#include "ips/matching/v1/events.pb.h"
#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/events.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/treatment/v1/events.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "tools/ipsctl/cli.h"

namespace ipsctl {

int StreamEvents(const Args& a) {
  auto session = OpenSession(a);
  if (!session.ok()) return Fail(session.status());
  // Every service serves the same StreamEvents; --service picks whose.
  const std::string service = Flag(a, "service", nullptr, "registry");
  if (service != "registry" && service != "treatment" && service != "matching") {
    std::cerr << "ipsctl: --service must be registry, treatment or matching\n";
    return 2;
  }
  // The events' types, so that --json can print their payloads (a
  // generated type is known only when its code is linked in).
  (void)ips::registry::v1::EnrollmentStarted::descriptor();
  (void)ips::treatment::v1::ReferralCreated::descriptor();
  (void)ips::matching::v1::PlacementStarted::descriptor();
  grpc::ClientContext ctx;
  if (!session->token.empty()) ctx.AddMetadata("authorization", "Bearer " + session->token);
  ips::common::v1::StreamEventsRequest req;
  req.set_after_sequence(std::atoll(Flag(a, "after", nullptr, "0").c_str()));
  const bool follow = a.flags.count("follow") > 0;
  // Without --follow the stored events are read for --timeout seconds
  // (default 3), which is plenty for the replay.
  if (!follow) {
    const double seconds = std::atof(Flag(a, "timeout", nullptr, "3").c_str());
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(static_cast<long long>(std::max(0.1, seconds) * 1000)));
  }
  long limit = std::atol(Flag(a, "limit", nullptr, "0").c_str());
  std::unique_ptr<grpc::ClientReader<ips::common::v1::Event>> reader;
  if (service == "registry") {
    reader = ips::registry::v1::CitizenRegistry::NewStub(session->channel)->StreamEvents(&ctx, req);
  } else if (service == "matching") {
    reader = ips::matching::v1::EmployerMatching::NewStub(session->channel)->StreamEvents(&ctx, req);
  } else {
    reader = ips::treatment::v1::TreatmentCoordination::NewStub(session->channel)->StreamEvents(&ctx, req);
  }
  ips::common::v1::Event e;
  long n = 0;
  while (reader->Read(&e)) {
    // One whole line per event as it arrives: a reader of the pipe (a
    // script, `--follow | jq`) gets each at once, and nothing written to
    // stderr later can land inside one.
    if (a.flags.count("json")) {
      std::cout << Json(e) << std::endl;
    } else {
      std::cout << e.sequence() << "  " << e.type() << "  " << e.subject_pseudonym().substr(0, 12)
                << std::endl;
    }
    if (limit > 0 && ++n >= limit) {
      ctx.TryCancel();
      break;
    }
  }
  grpc::Status s = reader->Finish();
  // Without --follow the stream ends at the deadline once caught up.
  if (!s.ok() && s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED &&
      s.error_code() != grpc::StatusCode::CANCELLED) {
    PrintError(s);
    return 1;
  }
  return 0;
}

}  // namespace ipsctl
