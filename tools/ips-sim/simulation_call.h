#pragma once

// What the simulator's two halves share (simulation.cc sets up staff and
// employers and runs; course_life.cc lives one citizen's course): the
// catalogue the seed draws jobs from, and the retrying call.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/ips-sim/simulation.h"

namespace ips::sim {

namespace rv1 = registry::v1;
namespace mv1 = matching::v1;
namespace tv1 = treatment::v1;

// The industries of the employers and the titles of their openings, in
// step: the n-th title is a job of the n-th industry.
inline const std::vector<std::string> kIndustries = {"food service", "warehouse", "cleaning", "retail",
                                                     "construction", "care",      "bakery",   "transport"};
inline const std::vector<std::string> kTitles = {
    "kitchen assistant",   "warehouse worker", "cleaner", "shop assistant",
    "construction helper", "care helper",      "baker",   "driver's mate"};

template <typename Stub, typename Req, typename Resp>
bool Simulation::Call(const char* method, Stub* stub,
                      grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
                      const std::string& token, const Req& req, Resp* out,
                      std::vector<grpc::StatusCode> expected) {
  // A service that is down (restarted, or a service it asks is) is waited
  // for: the same request again, up to two minutes. Creates carry request
  // ids, so one that was done before the answer was lost returns what it
  // made; an end or change that was done is refused as done already, which
  // every such call expects (as on a rerun).
  grpc::Status s;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  for (int attempt = 0;; ++attempt) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_wait_for_ready(true);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    s = (stub->*rpc)(&ctx, req, out);
    const bool down = s.error_code() == grpc::StatusCode::UNAVAILABLE ||
                      s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
    if (!down || std::chrono::steady_clock::now() > give_up) break;
    ++tally_.retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1000, 100 << std::min(attempt, 4))));
  }
  ++tally_.calls[absl::StrCat(method, s.ok() ? " OK" : absl::StrCat(" code ", s.error_code()))];
  if (!s.ok() && std::find(expected.begin(), expected.end(), s.error_code()) == expected.end()) {
    tally_.unexpected.push_back(absl::StrCat(method, ": ", s.error_code(), " ", s.error_message()));
  }
  return s.ok();
}

}  // namespace ips::sim
