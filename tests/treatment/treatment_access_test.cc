// Deny by default and SOF's minimal disclosure: every RPC has a policy
// entry; calls without a valid token or role are refused; and nothing a
// caller outside SOF can receive (responses, errors, events) holds a
// substance, a unit, a note's text or a diagnosis.
#include <google/protobuf/dynamic_message.h>
#include <gtest/gtest.h>

#include "services/treatment/treatment_config.h"
#include "tests/support/access_walk.h"
#include "tests/support/policy_coverage.h"
#include "tests/support/treatment_fixture.h"

namespace ips::testing {
namespace {

const google::protobuf::ServiceDescriptor* Service() {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      tv1::TreatmentCoordination::service_full_name());
}

TEST(TreatmentPolicyTest, EveryRpcHasAPolicyEntryAndEveryEntryAnRpc) {
  ExpectPolicyCoversService(treatment::DefaultPolicyJson(), "ips.treatment.v1.TreatmentCoordination");
}

using TreatmentAccessTest = TreatmentFixture;

// The RPCs a BIF consultant may call at all; consent then limits them.
const std::set<std::string> kOpenToBif = {"CreateReferral", "CreateCoordinationNote", "ListCoordinationNotes",
                                          "GetTreatmentStatus"};

TEST_P(TreatmentAccessTest, EveryUnaryRpcRefusesMissingBadAndUnauthorisedTokens) {
  const std::string wrong_role = Token("analyst-dan", "SOF", {"analyst"});
  const std::string expired = Token("therapist-erik", "SOF", {"sof_treatment"}, -3600);
  const int walked = WalkUnaryRpcs(
      server_->port(), tv1::TreatmentCoordination::service_full_name(), expired, {wrong_role},
      [](const google::protobuf::MethodDescriptor& m, const std::string& path, grpc::GenericStub& stub) {
        auto bif = CallRaw(stub, path, ConsultantToken());
        EXPECT_EQ(ErrorReason(bif) != "ROLE_NOT_ALLOWED", kOpenToBif.count(m.name()) > 0) << path;
      });
  EXPECT_EQ(walked, Service()->method_count() - 1);
}

TEST_P(TreatmentAccessTest, EventStreamNeedsTheEventReaderRole) {
  ExpectStreamRefused(*stub_, {{"", grpc::StatusCode::UNAUTHENTICATED},
                               {SofTreatmentToken(), grpc::StatusCode::PERMISSION_DENIED},
                               {ConsultantToken(), grpc::StatusCode::PERMISSION_DENIED}});
}

// What SOF records and BIF must never receive.
struct Secrets {
  std::vector<std::string> texts;
  bool FoundIn(const std::string& haystack, std::string* which) const {
    for (const auto& t : texts) {
      if (haystack.find(t) != std::string::npos) {
        *which = t;
        return true;
      }
    }
    return false;
  }
};

// Sets the request's resource-name fields (`name`, `parent`, a nested
// resource's `name`) to the names given, so the walk reaches real data.
void Aim(google::protobuf::Message& m, const std::map<std::string, std::string>& names,
         const std::string& method) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  auto pick = [&](const std::string& key) {
    auto it = names.find(key);
    return it == names.end() ? std::string() : it->second;
  };
  std::string target = pick(method);
  if (const auto* f = d->FindFieldByName("parent")) r->SetString(&m, f, pick("parent"));
  if (const auto* f = d->FindFieldByName("name");
      f && f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
    r->SetString(&m, f, target);
  }
}

TEST_P(TreatmentAccessTest, NoBifVisibleResponseErrorOrEventHoldsSubstanceUnitNoteOrDiagnosis) {
  const std::string citizen = "citizens/leak-1";
  auto unit = MakeUnit("Hemmelig Enhed Sydhavn");
  // SOF's full record of the citizen.
  auto referral = Refer(citizen, DaysFromToday(-20), unit.name());
  tv1::CreateTreatmentEpisodeRequest start;
  start.set_parent(citizen);
  start.mutable_episode()->set_unit(unit.name());
  start.mutable_episode()->set_modality(tv1::MODALITY_RESIDENTIAL);
  start.mutable_episode()->set_diagnosis_code("F12.2");
  start.mutable_episode()->set_referral(referral.name());
  *start.mutable_episode()->mutable_start_date() = ToProtoDate(DaysFromToday(-10));
  tv1::TreatmentEpisode episode;
  ASSERT_TRUE(stub_->CreateTreatmentEpisode(Ctx(SofTreatmentToken()).get(), start, &episode).ok());
  tv1::CreateCoordinationNoteRequest note;
  note.set_parent(citizen);
  *note.mutable_note()->mutable_note_date() = ToProtoDate(DaysFromToday(0));
  note.mutable_note()->set_text("Fortrolig behandlingsnote om abstinenser");
  tv1::CoordinationNote written;
  ASSERT_TRUE(stub_->CreateCoordinationNote(Ctx(SofTreatmentToken()).get(), note, &written).ok());
  auto consent =
      GiveConsent(citizen, tv1::CONSENT_SCOPE_TREATMENT_STATUS, DaysFromToday(-30), DaysFromToday(300));
  const Secrets secrets{{"Hemmelig", unit.name(), "SUBSTANCE_", "F12", "Fortrolig", "abstinenser",
                         "MODALITY_", "Sydhavns Plads"}};

  std::string which;
  // The check can fail: SOF's own view holds the secrets.
  tv1::GetReferralRequest get;
  get.set_name(referral.name());
  tv1::Referral full;
  ASSERT_TRUE(stub_->GetReferral(Ctx(SofTreatmentToken()).get(), get, &full).ok());
  EXPECT_TRUE(secrets.FoundIn(full.DebugString(), &which));
  EXPECT_TRUE(secrets.FoundIn(episode.DebugString(), &which));

  // A BIF consultant's own referral comes back redacted.
  tv1::CreateReferralRequest refer;
  refer.set_parent(citizen);
  refer.mutable_referral()->set_referred_by(tv1::REFERRER_IPS_CONSULTANT);
  *refer.mutable_referral()->mutable_request_date() = ToProtoDate(DaysFromToday(0));
  refer.mutable_referral()->add_substances(tv1::SUBSTANCE_CANNABIS);
  refer.mutable_referral()->set_unit(unit.name());
  tv1::Referral redacted;
  ASSERT_TRUE(stub_->CreateReferral(Ctx(ConsultantToken()).get(), refer, &redacted).ok());
  EXPECT_TRUE(redacted.redacted());
  EXPECT_EQ(redacted.substances_size(), 0);
  EXPECT_TRUE(redacted.unit().empty());
  EXPECT_FALSE(secrets.FoundIn(redacted.DebugString(), &which)) << which;

  // Every RPC as a BIF consultant and as the registry, aimed at this citizen's records.
  const std::map<std::string, std::string> names = {
      {"parent", citizen},
      {"GetTreatmentUnit", unit.name()},
      {"GetReferral", referral.name()},
      {"RecordTreatmentOffer", referral.name()},
      {"EndTreatmentEpisode", episode.name()},
      {"WithdrawConsent", consent.name()},
      {"GetTreatmentStatus", citizen + "/treatmentStatus"},
  };
  const auto* service = Service();
  int answered = 0;
  for (const auto& [token, client] :
       std::vector<std::pair<std::string, std::string>>{{ConsultantToken(), "ipsctl"},
                                                        {TeamLeadToken(), "ipsctl"},
                                                        {RegistryServiceToken(), "registry"}}) {
    grpc::GenericStub stub(Channel(server_->port(), client));
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      if (m->server_streaming()) continue;
      google::protobuf::DynamicMessageFactory factory;
      std::unique_ptr<google::protobuf::Message> req(factory.GetPrototype(m->input_type())->New());
      Aim(*req, names, m->name());
      std::string bytes;
      auto s = CallRaw(stub, "/" + service->full_name() + "/" + m->name(), token, req->SerializeAsString(),
                       &bytes);
      std::unique_ptr<google::protobuf::Message> resp(factory.GetPrototype(m->output_type())->New());
      resp->ParseFromString(bytes);
      const std::string seen = resp->DebugString() + s.error_message() + DetailsOf(s).DebugString();
      EXPECT_FALSE(secrets.FoundIn(seen, &which)) << m->name() << " leaked " << which;
      if (s.ok()) ++answered;
    }
  }
  EXPECT_GE(answered, 2);  // the status, for the consultant and the registry

  // The event feed is pseudonymised and minimal.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + Token("reporting", "JOINT", {"event_reader"}));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto feed = server_->Stub("reporting");
  auto reader = feed->StreamEvents(&ctx, common::v1::StreamEventsRequest());
  common::v1::Event e;
  std::set<std::string> types;
  while (types.size() < 4 && reader->Read(&e)) {
    types.insert(e.type());
    const auto* type = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(e.type());
    ASSERT_NE(type, nullptr) << e.type();
    std::unique_ptr<google::protobuf::Message> payload(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
    ASSERT_TRUE(e.payload().UnpackTo(payload.get()));
    const std::string text = e.DebugString() + payload->DebugString();
    EXPECT_FALSE(secrets.FoundIn(text, &which)) << e.type() << " leaked " << which;
    EXPECT_EQ(text.find("leak-1"), std::string::npos) << e.type();
    EXPECT_EQ(e.subject_pseudonym().size(), 64u);
  }
  ctx.TryCancel();
  EXPECT_EQ(types, (std::set<std::string>{
                       "ips.treatment.v1.ReferralCreated", "ips.treatment.v1.TreatmentOffered",
                       "ips.treatment.v1.TreatmentStarted", "ips.treatment.v1.CoordinationNoteRecorded"}));
}

IPS_ON_BOTH_DATABASES(TreatmentAccessTest);

}  // namespace
}  // namespace ips::testing
