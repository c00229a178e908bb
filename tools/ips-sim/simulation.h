#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"

namespace ips::sim {

// Who the simulation acts as: a development token per role (the staff of
// each administration), minted by the caller.
struct Tokens {
  std::string team_lead;                 // BIF team lead (also places and ranks)
  std::vector<std::string> consultants;  // one per consultant, subject = the consultant's login
  std::vector<std::string> consultant_subjects;
  std::string sof_worker;  // SOF outreach and treatment
};

struct Channels {
  std::shared_ptr<grpc::Channel> registry, matching, treatment;
};

struct Options {
  unsigned seed = 2026;
  int citizens = 150;
  int days = 730;  // how far back the programme starts
  absl::CivilDay today;
};

// What a run did: calls by method and outcome ("CreatePlacement OK").
struct Tally {
  std::map<std::string, int> calls;
  int enrolled = 0, refused = 0, placements = 0, courses_ended = 0;
  int retries = 0;       // calls repeated because a service was down
  int already_made = 0;  // citizens an earlier run made, left as they were
  // Answers other than OK that the scenario did not expect.
  std::vector<std::string> unexpected;
};

// Simulation drives about two years of programme life through the public
// gRPC APIs only: consultants and employers, citizens enrolled over the
// period (some refused by the entry rules), job conversations with no-shows,
// employer contacts (in general and on a citizen's behalf), job profiles, placements chosen by MatchOpenings
// that change hours, convert or break down, course ends, SOF consents, referrals and treatment; courses
// follow the rules versions the registry lists (their plans, their outcomes). Every random choice comes from
// the seed and every create carries a request id derived from it, so the same seed gives the same programme
// and a second run duplicates nothing.
class Simulation {
 public:
  Simulation(Channels channels, Tokens tokens, Options options);
  Tally Run();

 private:
  struct Citizen;
  void SetUpStaffAndEmployers();
  void LiveOneCourse(int index);
  void Contacts();
  // Consultant `k`'s employer contacts on citizen `index`'s behalf while
  // the course runs, from `start` to `last`.
  void ContactsOnBehalf(int index, size_t k, const std::string& citizen, absl::CivilDay start,
                        absl::CivilDay last);
  // Consultant `k`'s follow-along contacts with citizen `index` on
  // `course` after a job began on `from`, up to `last`.
  void FollowAlong(int index, size_t k, const std::string& course, absl::CivilDay from, absl::CivilDay last);

  // Calls `rpc` and counts the outcome; true when OK. `expected` lists
  // codes that are a normal answer for this call (and not a fault).
  template <typename Stub, typename Req, typename Resp>
  bool Call(const char* method, Stub* stub,
            grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*), const std::string& token,
            const Req& req, Resp* out, std::vector<grpc::StatusCode> expected = {});

  // Whether the rules version in force on `start` lets a course end in
  // `outcome`.
  bool MayEndIn(absl::CivilDay start, registry::v1::CourseOutcome outcome) const;
  // Where consultant `k` meets a citizen: the first works to the fidelity
  // scale and meets most out in the community (item 24), the others mostly
  // at the office.
  registry::v1::ConversationPlace MeetingPlace(size_t k);
  int Uniform(int lo, int hi);  // inclusive
  bool Chance(double p);
  std::string Id(const std::string& what, int i, int j = 0) const;
  absl::CivilDay Day(int offset_from_start) const { return start_ + offset_from_start; }

  std::unique_ptr<registry::v1::CitizenRegistry::Stub> registry_;
  std::unique_ptr<matching::v1::EmployerMatching::Stub> matching_;
  std::unique_ptr<treatment::v1::TreatmentCoordination::Stub> treatment_;
  Tokens tokens_;
  Options options_;
  absl::CivilDay start_;
  std::mt19937 rng_;
  Tally tally_;
  std::vector<std::string> consultants_;  // resource names
  std::vector<std::string> employers_;
  std::string unit_;
  std::vector<registry::v1::RuleVersion> rule_versions_;
  absl::Time run_started_;
};

}  // namespace ips::sim
