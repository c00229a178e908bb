// The event feeds cannot be joined with what staff read. A simulated
// programme runs through the registry, treatment and matching; then, as
// each BIF and SOF role, everything that role may read is read and every
// identifier in the answers collected (record and staff ids, names, CPR and
// CVR numbers, resource names); then every event of every feed is read
// with the feed reader's identity. No collected identifier may appear in any
// event in any form, and no staff role may open a feed at all.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/dates.h"
#include "tests/support/identifiers.h"
#include "tests/support/matching_server.h"
#include "tests/support/raw_call.h"
#include "tests/support/registry_server.h"
#include "tests/support/treatment_server.h"
#include "tools/ips-sim/simulation.h"

namespace ips::testing {
namespace {

struct Role {
  std::string name, token;
};

// One read a role may try: the service, the method and the request's fields;
// "$c" in a value is each citizen, "$e" each enrolment.
struct Read {
  std::string service, method;
  std::map<std::string, std::string> fields;
};

const std::vector<Read> kTopLevel = {
    {"registry", "ListCitizens", {{"page_size", "1000"}}},
    {"registry", "ListConsultants", {{"page_size", "1000"}}},
    {"registry", "ListEnrollments", {{"parent", "citizens/-"}, {"page_size", "1000"}}},
    {"registry", "ListAuditRecords", {{"page_size", "1000"}}},
    {"treatment", "ListTreatmentUnits", {{"page_size", "1000"}}},
    {"treatment", "ListReferrals", {{"parent", "citizens/-"}, {"page_size", "1000"}}},
    {"treatment", "ListAuditRecords", {{"page_size", "1000"}}},
    {"matching", "ListEmployers", {{"page_size", "1000"}}},
    {"matching", "ListEmployerContacts", {{"parent", "employers/-"}, {"page_size", "1000"}}},
    {"matching", "ListOpenings", {{"parent", "employers/-"}, {"page_size", "1000"}}},
    {"matching", "ListPlacements", {{"parent", "citizens/-"}, {"page_size", "1000"}}},
    {"matching", "ListAuditRecords", {{"page_size", "1000"}}},
};
const std::vector<Read> kPerCitizen = {
    {"registry", "GetCitizen", {{"name", "$c"}}},
    {"registry", "ListConsents", {{"parent", "$c"}, {"page_size", "1000"}}},
    {"registry", "ExportSubjectData", {{"citizen", "$c"}}},
    {"treatment", "ListOutreachContacts", {{"parent", "$c"}, {"page_size", "1000"}}},
    {"treatment", "ListTreatmentEpisodes", {{"parent", "$c"}, {"page_size", "1000"}}},
    {"treatment", "ListCoordinationNotes", {{"parent", "$c"}, {"page_size", "1000"}}},
    {"treatment", "ListConsents", {{"parent", "$c"}, {"page_size", "1000"}}},
    {"treatment", "GetTreatmentStatus", {{"name", "$c/treatmentStatus"}}},
    {"treatment", "ExportSubjectData", {{"citizen", "$c"}}},
    {"matching", "GetJobProfile", {{"name", "$c/jobProfile"}}},
    {"matching", "MatchOpenings", {{"citizen", "$c"}}},
    {"matching", "ExportSubjectData", {{"citizen", "$c"}}},
};
const std::vector<Read> kPerEnrollment = {
    {"registry", "GetEnrollment", {{"name", "$e"}}},
    {"registry", "ListJobConversations", {{"parent", "$e"}, {"page_size", "1000"}}},
    {"registry", "ListActivities", {{"parent", "$e"}, {"page_size", "1000"}}},
};

const std::map<std::string, std::string> kServiceNames = {
    {"registry", "ips.registry.v1.CitizenRegistry"},
    {"treatment", "ips.treatment.v1.TreatmentCoordination"},
    {"matching", "ips.matching.v1.EmployerMatching"}};

class ReidentificationTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string registry_url, treatment_url, matching_url;
    IPS_FRESH_DATABASE_OR_SKIP(registry_url, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(treatment_url, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(matching_url, GetParam());
    treatment_ = std::make_unique<TreatmentServer>(treatment_url);
    registry_ = std::make_unique<RegistryServer>(registry_url);
    matching_ = std::make_unique<MatchingServer>(matching_url, RegistryClientFor(registry_->port()));
    ports_ = {
        {"registry", registry_->port()}, {"treatment", treatment_->port()}, {"matching", matching_->port()}};
  }

  // A small programme through the public APIs, as the demo makes it.
  void RunProgramme() {
    sim::Tokens tokens;
    tokens.team_lead = Token("sim-team-lead", "BIF", {"team_lead"});
    for (int k = 1; k <= 3; ++k) {
      tokens.consultant_subjects.push_back("sim-consultant-" + std::to_string(k));
      tokens.consultants.push_back(Token(tokens.consultant_subjects.back(), "BIF", {"ips_consultant"}));
    }
    tokens.sof_worker = Token("sim-sof-worker", "SOF", {"sof_outreach", "sof_treatment"});
    sim::Channels channels{Channel(registry_->port()), Channel(matching_->port()),
                           Channel(treatment_->port())};
    sim::Simulation simulation(channels, tokens, {11, 18, 240, TodayInCopenhagen()});
    const auto tally = simulation.Run();
    ASSERT_TRUE(tally.unexpected.empty()) << tally.unexpected.front();
    ASSERT_GT(tally.placements, 0);
  }

  // Calls `read` as `token` with every page, collecting identifiers.
  void Try(const Read& read, const std::map<std::string, std::string>& fields, const std::string& token,
           std::set<std::string>& seen, int& answered) {
    grpc::GenericStub stub(Channel(ports_.at(read.service)));
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(kServiceNames.at(read.service));
    const auto* method = service->FindMethodByName(read.method);
    ASSERT_NE(method, nullptr) << read.method;
    google::protobuf::DynamicMessageFactory factory;
    std::unique_ptr<google::protobuf::Message> req(factory.GetPrototype(method->input_type())->New());
    const auto* rd = req->GetDescriptor();
    for (const auto& [field, value] : fields) {
      const auto* f = rd->FindFieldByName(field);
      ASSERT_NE(f, nullptr) << read.method << "." << field;
      if (f->type() == google::protobuf::FieldDescriptor::TYPE_INT32) {
        int n = 0;
        ASSERT_TRUE(absl::SimpleAtoi(value, &n));
        req->GetReflection()->SetInt32(req.get(), f, n);
      } else {
        req->GetReflection()->SetString(req.get(), f, value);
      }
    }
    const auto* token_field = rd->FindFieldByName("page_token");
    for (int page = 0; page < 100; ++page) {
      std::string bytes;
      auto s = CallRaw(stub, "/" + service->full_name() + "/" + read.method, token, req->SerializeAsString(),
                       &bytes);
      if (!s.ok()) {
        // What a refusal says is readable too.
        HarvestNames(s.error_message(), seen);
        return;
      }
      ++answered;
      std::unique_ptr<google::protobuf::Message> resp(factory.GetPrototype(method->output_type())->New());
      ASSERT_TRUE(resp->ParseFromString(bytes));
      HarvestIdentifiers(*resp, seen);
      const auto* next = resp->GetDescriptor()->FindFieldByName("next_page_token");
      if (!token_field || !next) return;
      const std::string t = resp->GetReflection()->GetString(*resp, next);
      if (t.empty()) return;
      req->GetReflection()->SetString(req.get(), token_field, t);
    }
  }

  // Resource names in an error message (a refusal may name the record).
  static void HarvestNames(const std::string& message, std::set<std::string>& seen) {
    for (absl::string_view word : absl::StrSplit(message, ' ')) {
      if (absl::StartsWith(word, "citizens/") || absl::StartsWith(word, "consultants/") ||
          absl::StartsWith(word, "employers/") || absl::StartsWith(word, "units/")) {
        seen.insert(std::string(absl::StripSuffix(absl::StripSuffix(word, ";"), ".")));
      }
    }
  }

  // Every event of `service`'s feed, read with the feed reader's identity.
  std::vector<common::v1::Event> Feed(const std::string& service, ServiceCore& core) {
    auto stored = core.outbox().ReadAfter(0, 1000000);
    EXPECT_TRUE(stored.ok());
    const size_t want = stored.ok() ? stored->size() : 0;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    std::vector<common::v1::Event> events;
    auto read = [&](auto stub) {
      auto reader = stub->StreamEvents(&ctx, common::v1::StreamEventsRequest());
      common::v1::Event e;
      while (events.size() < want && reader->Read(&e)) events.push_back(e);
      ctx.TryCancel();
    };
    if (service == "registry") read(registry_->Stub("reporting"));
    if (service == "treatment") read(treatment_->Stub("reporting"));
    if (service == "matching") read(matching_->Stub("reporting"));
    EXPECT_EQ(events.size(), want) << service;
    return events;
  }

  std::unique_ptr<TreatmentServer> treatment_;
  std::unique_ptr<RegistryServer> registry_;
  std::unique_ptr<MatchingServer> matching_;
  std::map<std::string, int> ports_;
};

std::vector<Role> StaffRoles() {
  return {
      {"BIF consultant", Token("sim-consultant-1", "BIF", {"ips_consultant"})},
      {"BIF consultant 2", Token("sim-consultant-2", "BIF", {"ips_consultant"})},
      {"BIF team lead", Token("sim-team-lead", "BIF", {"team_lead"})},
      {"BIF DPO", Token("dpo-bif", "BIF", {"dpo"})},
      {"BIF admin", Token("admin-bif", "BIF", {"admin"})},
      {"SOF outreach", Token("sof-outreach", "SOF", {"sof_outreach"})},
      {"SOF treatment", Token("sof-treatment", "SOF", {"sof_treatment"})},
      {"SOF DPO", Token("dpo-sof", "SOF", {"dpo"})},
      {"SOF admin", Token("admin-sof", "SOF", {"admin"})},
  };
}

TEST_P(ReidentificationTest, NoIdentifierAnyRoleCanReadAppearsInAnyEvent) {
  RunProgramme();
  const auto roles = StaffRoles();
  std::set<std::string> seen;
  std::map<std::string, int> answered;
  for (const auto& role : roles) {
    for (const auto& read : kTopLevel) Try(read, read.fields, role.token, seen, answered[role.name]);
  }
  std::set<std::string> citizens, enrollments;
  for (const auto& id : seen) {
    const std::vector<std::string> parts = absl::StrSplit(id, '/');
    if (parts.size() >= 2 && parts[0] == "citizens") citizens.insert(parts[0] + "/" + parts[1]);
    if (parts.size() == 4 && parts[2] == "enrollments") enrollments.insert(id);
  }
  ASSERT_GE(citizens.size(), 10u);
  ASSERT_GE(enrollments.size(), 5u);
  for (const auto& role : roles) {
    for (const auto& c : citizens) {
      for (const auto& read : kPerCitizen) {
        auto fields = read.fields;
        for (auto& [k, v] : fields) v = absl::StrReplaceAll(v, {{"$c", c}});
        Try(read, fields, role.token, seen, answered[role.name]);
      }
    }
    for (const auto& e : enrollments) {
      for (const auto& read : kPerEnrollment) {
        auto fields = read.fields;
        for (auto& [k, v] : fields) v = absl::StrReplaceAll(v, {{"$e", e}});
        Try(read, fields, role.token, seen, answered[role.name]);
      }
    }
  }
  // The walk reached real data as every role.
  for (const auto& role : roles) EXPECT_GT(answered[role.name], 0) << role.name;
  // It found what identifies people and records: the check can fail.
  EXPECT_GT(seen.size(), 200u);
  bool found_cpr = false;
  for (const auto& id : seen) found_cpr |= id.size() == 10 && std::all_of(id.begin(), id.end(), ::isdigit);
  EXPECT_TRUE(found_cpr);

  size_t events = 0;
  std::set<std::string> types;
  for (const auto& [service, core] :
       std::vector<std::pair<std::string, ServiceCore*>>{{"registry", &registry_->core()},
                                                         {"treatment", &treatment_->core()},
                                                         {"matching", &matching_->core()}}) {
    for (const auto& e : Feed(service, *core)) {
      ++events;
      types.insert(e.type());
      const auto* type = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(e.type());
      ASSERT_NE(type, nullptr) << e.type();
      std::unique_ptr<google::protobuf::Message> payload(
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
      ASSERT_TRUE(e.payload().UnpackTo(payload.get()));
      // The envelope's sequence and time are left out: numbers, not ids.
      const std::string haystack = e.payload().SerializeAsString() + payload->DebugString() + e.event_id() +
                                   e.subject_pseudonym() + e.type();
      const std::string found = FindAnyForm(seen, haystack);
      EXPECT_EQ(found, "") << service << " event " << e.sequence() << " (" << e.type() << ") carries `"
                           << found << "`: " << payload->ShortDebugString();
    }
  }
  EXPECT_GT(events, 100u);
  EXPECT_GE(types.size(), 10u);
}

TEST_P(ReidentificationTest, NoStaffRoleCanOpenAFeed) {
  auto staff = StaffRoles();
  // An event_reader token is a staff token too when it comes without the
  // feed reader's certificate; a staff token with reporting's certificate
  // (a stolen one) opens nothing either.
  staff.push_back({"event reader of BIF", Token("someone", "BIF", {"event_reader"})});
  staff.push_back(
      {"every role", Token("all", "BIF", {"ips_consultant", "team_lead", "dpo", "admin", "analyst"})});
  for (const auto& client : {"ipsctl", "reporting", "matching", "registry"}) {
    std::vector<std::pair<std::string, std::string>> cases;
    for (const auto& r : staff) cases.push_back({r.name, r.token});
    if (std::string(client) != "reporting") cases.push_back({"feed reader's token", EventReaderToken()});
    for (const auto& one : cases) {
      const std::string& token = one.second;
      SCOPED_TRACE(std::string(client) + " / " + one.first);
      auto check = [&](auto stub) {
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", "Bearer " + token);
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        auto reader = stub->StreamEvents(&ctx, common::v1::StreamEventsRequest());
        common::v1::Event e;
        EXPECT_FALSE(reader->Read(&e));
        EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
      };
      check(registry_->Stub(client));
      check(treatment_->Stub(client));
      check(matching_->Stub(client));
    }
  }
  // The feed reader itself is served.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  auto reader = registry_->Stub("reporting")->StreamEvents(&ctx, common::v1::StreamEventsRequest());
  common::v1::Event e;
  reader->Read(&e);
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

IPS_ON_BOTH_DATABASES(ReidentificationTest);

}  // namespace
}  // namespace ips::testing
