// Random requests to every unary RPC: well-formed protobuf with random,
// often hostile field values (huge or empty strings, out-of-range numbers,
// unknown enum values, impossible dates, odd masks and names). The service
// must answer each with a deliberate status, never INTERNAL or UNKNOWN, and
// still serve afterwards. Seeded, so a failure replays.
#include <google/protobuf/field_mask.pb.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <random>

#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

class RandomRequests {
 public:
  RandomRequests(uint32_t seed, std::vector<std::string> names) : rng_(seed), names_(std::move(names)) {}

  void Fill(Message& m, int depth = 0) {
    const auto* d = m.GetDescriptor();
    const auto* r = m.GetReflection();
    if (d->full_name() == "google.type.Date") {
      static const int ys[] = {0, 1, 1899, 1980, 2026, 2027, 9999, -5};
      auto* date = static_cast<google::type::Date*>(&m);
      date->set_year(ys[Pick(8)]);
      date->set_month(Pick(15) - 1);
      date->set_day(Pick(34) - 1);
      return;
    }
    if (d->full_name() == "google.protobuf.FieldMask") {
      static const char* paths[] = {"given_name", "cpr", "district", "nonsense", "", "end_date", "state"};
      auto* mask = static_cast<google::protobuf::FieldMask*>(&m);
      for (int i = Pick(3); i > 0; --i) mask->add_paths(paths[Pick(7)]);
      return;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->is_repeated() || Pick(2) == 0) continue;
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          r->SetString(&m, f, String(f->name()));
          break;
        case FieldDescriptor::CPPTYPE_INT32: {
          static const int32_t v[] = {0, -1, 1, 20, 1000, 1001, INT32_MAX, INT32_MIN};
          r->SetInt32(&m, f, v[Pick(8)]);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT64: {
          static const int64_t v[] = {0, -1, 1, 5, INT64_MAX, INT64_MIN};
          r->SetInt64(&m, f, v[Pick(6)]);
          break;
        }
        case FieldDescriptor::CPPTYPE_BOOL:
          r->SetBool(&m, f, Pick(2));
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          r->SetEnumValue(&m, f, Pick(16) - 2);
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth < 3) Fill(*r->MutableMessage(&m, f), depth + 1);
          break;
        default:
          break;
      }
    }
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string String(const std::string& field) {
    switch (Pick(9)) {
      case 0:
        return "";
      case 1:
        return std::string(5000, 'x');
      case 2:
        return names_[Pick(static_cast<int>(names_.size()))];
      case 3:
        return names_[Pick(static_cast<int>(names_.size()))] + "/enrollments/zz/activities/q";
      case 4:
        return "citizens/-";
      case 5:
        return "' OR 1=1; DROP TABLE citizens; --";
      case 6:
        return field == "cpr" ? "0101801234" : "district = DISTRICT_SYDHAVNEN AND";
      case 7:
        return "æøå ÆØÅ \u00e9 \u4e2d";
      default:
        return "consultants/" + std::to_string(Pick(1000));
    }
  }

  std::mt19937 rng_;
  std::vector<std::string> names_;
};

using RegistryRandomRequestTest = RegistryFixture;

TEST_P(RegistryRandomRequestTest, EveryAnswerIsDeliberate) {
  auto k = MakeConsultant("Kim");
  auto c = MakeCitizen(CprFor(1980, 1, 1, 1));
  auto e = Enroll(c, TodayInCopenhagen() - 20, k.name());
  RandomRequests gen(20261123,
                     {c.name(), e.name(), k.name(), "citizens/0000", e.name() + "/jobConversations/x"});
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      rv1::CitizenRegistry::service_full_name());
  grpc::GenericStub stub(Channel(server_->port()));
  const std::string token = Token("lead-bo", "BIF", {"team_lead", "ips_consultant", "dpo"});
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  const std::set<grpc::StatusCode> deliberate = {grpc::StatusCode::OK,
                                                 grpc::StatusCode::INVALID_ARGUMENT,
                                                 grpc::StatusCode::NOT_FOUND,
                                                 grpc::StatusCode::ALREADY_EXISTS,
                                                 grpc::StatusCode::FAILED_PRECONDITION,
                                                 grpc::StatusCode::ABORTED,
                                                 grpc::StatusCode::PERMISSION_DENIED};
  int calls = 0;
  for (int round = 0; round < 30; ++round) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      if (m->server_streaming()) continue;
      std::unique_ptr<Message> req(factory->GetPrototype(m->input_type())->New());
      gen.Fill(*req);
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + token);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      grpc::Slice slice(req->SerializeAsString());
      grpc::ByteBuffer in(&slice, 1), out;
      std::promise<grpc::Status> done;
      stub.UnaryCall(&ctx, "/" + service->full_name() + "/" + m->name(), grpc::StubOptions(), &in, &out,
                     [&](grpc::Status s) { done.set_value(s); });
      grpc::Status s = done.get_future().get();
      EXPECT_TRUE(deliberate.count(s.error_code()))
          << m->name() << " answered " << s.error_code() << " " << s.error_message()
          << "\nrequest: " << req->ShortDebugString().substr(0, 500);
      ++calls;
    }
  }
  EXPECT_EQ(calls, 30 * (service->method_count() - 1));
  // Still serving, and the data it had is intact.
  rv1::GetCitizenRequest get;
  get.set_name(c.name());
  rv1::Citizen again;
  ASSERT_TRUE(stub_->GetCitizen(Ctx(token).get(), get, &again).ok());
  EXPECT_EQ(again.cpr(), c.cpr());
  EXPECT_EQ(*server_->core().audit().FirstBrokenLink(), 0);
}

IPS_ON_BOTH_DATABASES(RegistryRandomRequestTest);

}  // namespace
}  // namespace ips::testing
