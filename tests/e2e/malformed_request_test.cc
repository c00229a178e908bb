// Every RPC of every service, generated from the descriptors, with
// requests no client library would send: bytes that are not a protobuf,
// a message over the 4 MiB limit, an empty request (every field missing),
// unknown enum values, and a field sent with the wrong wire type. Each gets
// the status code docs/api-conventions.md documents for it, the service
// keeps serving, and nothing but audit records is written.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <gtest/gtest.h>

#include <map>

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/reporting/v1/reporting_service.grpc.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "tests/support/matching_server.h"
#include "tests/support/raw_call.h"
#include "tests/support/registry_server.h"
#include "tests/support/reporting_server.h"
#include "tests/support/treatment_server.h"

namespace ips::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

// Rows of every table but the audit log, which records the refused calls.
std::map<std::string, long long> RowCounts(Database& db) {
  std::map<std::string, long long> out;
  EXPECT_TRUE(db.Read([&](soci::session& s) {
                  std::vector<std::string> tables;
                  std::string name;
                  soci::statement st =
                      s.get_backend_name() == "postgresql"
                          ? (s.prepare << "SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = current_schema()",
                             soci::into(name))
                          : (s.prepare << "SELECT name FROM sqlite_master WHERE type = 'table'",
                             soci::into(name));
                  st.execute();
                  while (st.fetch()) tables.push_back(name);
                  for (const auto& t : tables) {
                    if (t == "audit_log" || t == "counters") continue;
                    long long n = 0;
                    s << "SELECT COUNT(*) FROM " + t, soci::into(n);
                    out[t] = n;
                  }
                  return absl::OkStatus();
                }).ok());
  return out;
}

// A request whose every enum field (at the top and one level down) holds
// a value the enum does not define.
std::string WithUnknownEnums(const Descriptor* d, bool* has_enum) {
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> m(factory.GetPrototype(d)->New());
  const auto* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) continue;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      r->SetEnumValue(m.get(), f, 12345);
      *has_enum = true;
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      auto* sub = r->MutableMessage(m.get(), f, &factory);
      for (int j = 0; j < f->message_type()->field_count(); ++j) {
        const FieldDescriptor* g = f->message_type()->field(j);
        if (!g->is_repeated() && g->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
          sub->GetReflection()->SetEnumValue(sub, g, 12345);
          *has_enum = true;
        }
      }
    }
  }
  return m->SerializeAsString();
}

// Which status an empty request gets (docs/api-conventions.md): a list
// without a parent and a report have defaults for everything and answer;
// every other call needs something named and refuses with
// INVALID_ARGUMENT.
grpc::StatusCode EmptyRequestCode(const MethodDescriptor& m) {
  const bool defaults = (m.name().rfind("List", 0) == 0 && !m.input_type()->FindFieldByName("parent")) ||
                        m.name() == "GetProgrammeReport" || m.name() == "GetFidelityReview" ||
                        m.name() == "GetFeedStatus";
  return defaults ? grpc::StatusCode::OK : grpc::StatusCode::INVALID_ARGUMENT;
}

// Sends the malformed requests to every unary RPC of `service` at `port`
// with `token` and `certificate` (which pass the policy, so validation is
// what answers) and checks codes and that `db` gained no rows.
void SendMalformed(int port, const std::string& service, const std::string& token, Database& db,
                   const std::string& certificate = "ipsctl") {
  const auto* sd = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  ASSERT_NE(sd, nullptr);
  grpc::GenericStub stub(Channel(port, certificate));
  const auto before = RowCounts(db);
  int methods = 0;
  for (int i = 0; i < sd->method_count(); ++i) {
    const MethodDescriptor* m = sd->method(i);
    if (m->server_streaming()) continue;
    ++methods;
    const std::string path = "/" + service + "/" + m->name();
    SCOPED_TRACE(path);
    // Not a protobuf: a length-delimited field 1 claiming more bytes than
    // there are.
    auto garbage = CallRaw(stub, path, token, std::string("\x0a\xff\xff\xff\xff\x0f\x01", 7));
    EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INTERNAL) << garbage.error_message();
    // Over the 4 MiB message limit.
    std::string huge =
        std::string("\x0a", 1) + std::string("\x80\x80\x80\x03", 4) + std::string(6 << 20, 'a');
    auto oversized = CallRaw(stub, path, token, huge);
    EXPECT_EQ(oversized.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << oversized.error_message();
    // Every field missing.
    auto empty = CallRaw(stub, path, token, "");
    EXPECT_EQ(empty.error_code(), EmptyRequestCode(*m)) << empty.error_message();
    // Unknown enum values.
    bool has_enum = false;
    const std::string enums = WithUnknownEnums(m->input_type(), &has_enum);
    if (has_enum) {
      auto unknown = CallRaw(stub, path, token, enums);
      EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << unknown.error_message();
    }
    // Field 1 with the wrong wire type (a 64-bit fixed value where the
    // schema has another type): the parser keeps it as an unknown field, so
    // the request is as good as empty.
    if (m->input_type()->field_count() > 0 &&
        m->input_type()->field(0)->type() != FieldDescriptor::TYPE_FIXED64 &&
        m->input_type()->field(0)->type() != FieldDescriptor::TYPE_DOUBLE) {
      const int number = m->input_type()->field(0)->number();
      std::string wrong(1, static_cast<char>((number << 3) | 1));
      wrong += std::string(8, '\x7f');
      auto wrong_type = CallRaw(stub, path, token, wrong);
      EXPECT_EQ(wrong_type.error_code(), EmptyRequestCode(*m)) << wrong_type.error_message();
    }
  }
  EXPECT_GT(methods, 3);
  EXPECT_EQ(RowCounts(db), before) << "a malformed request wrote something";
  // Still serving.
  auto again = CallRaw(stub, "/" + service + "/ListAuditRecords", token, "");
  EXPECT_TRUE(again.ok()) << again.error_message();
}

class MalformedRequestTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(registry_db_, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(treatment_db_, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(matching_db_, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(reporting_db_, GetParam());
  }
  std::string registry_db_, treatment_db_, matching_db_, reporting_db_;
};

TEST_P(MalformedRequestTest, EveryRpcOfEveryServiceAnswersAsDocumentedAndWritesNothing) {
  RegistryServer registry(registry_db_);
  SendMalformed(registry.port(), registry::v1::CitizenRegistry::service_full_name(),
                Token("lead-bo", "BIF", {"team_lead", "ips_consultant", "dpo"}), registry.core().db(),
                "matching");  // the certificate the registry's minimal RPCs want
  TreatmentServer treatment(treatment_db_);
  SendMalformed(treatment.port(), treatment::v1::TreatmentCoordination::service_full_name(),
                Token("sof-eva", "SOF", {"sof_treatment", "sof_outreach", "admin", "dpo"}),
                treatment.core().db());
  MatchingServer matching(matching_db_, RegistryClientFor(registry.port()));
  SendMalformed(matching.port(), matching::v1::EmployerMatching::service_full_name(),
                Token("consultant-anna", "BIF", {"team_lead", "ips_consultant", "dpo"}),
                matching.core().db());
  ReportingServer reporting(reporting_db_, {});
  SendMalformed(reporting.port(), reporting::v1::Reporting::service_full_name(),
                Token("analyst-ida", "JOINT", {"analyst", "dpo", "admin"}), reporting.core().db());
}

IPS_ON_BOTH_DATABASES(MalformedRequestTest);

}  // namespace
}  // namespace ips::testing
