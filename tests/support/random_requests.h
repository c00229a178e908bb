#pragma once

// Random requests to every unary RPC of a service: well-formed protobuf
// with random, often hostile field values (huge or empty strings,
// out-of-range numbers, unknown enum values, impossible dates, odd masks
// and names). Seeded, so a failure replays.
#include <google/protobuf/field_mask.pb.h>
#include <grpcpp/generic/generic_stub.h>

#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "google/type/date.pb.h"
#include "tests/support/raw_call.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// Fills messages with random values; `names` are real resource names the
// strings sometimes use, so calls reach real data.
class RandomRequests {
 public:
  RandomRequests(uint32_t seed, std::vector<std::string> names) : rng_(seed), names_(std::move(names)) {}

  using FieldDescriptor = google::protobuf::FieldDescriptor;
  using Message = google::protobuf::Message;

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
      static const char* paths[] = {"given_name", "cpr",      "district", "nonsense",
                                    "",           "end_date", "state",    "active"};
      auto* mask = static_cast<google::protobuf::FieldMask*>(&m);
      for (int i = Pick(3); i > 0; --i) mask->add_paths(paths[Pick(8)]);
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
        return names_[Pick(static_cast<int>(names_.size()))] + "/enrollments/zz/activities/q/treatmentStatus";
      case 4:
        return "citizens/-";
      case 5:
        return "' OR 1=1; DROP TABLE citizens; --";
      case 6:
        return field == "cpr" ? "0101801234" : "district = DISTRICT_SYDHAVNEN AND";
      case 7:
        return "æøå ÆØÅ \u00e9 \u4e2d";
      default:
        return (Pick(2) ? "consultants/" : "units/") + std::to_string(Pick(1000));
    }
  }

  std::mt19937 rng_;
  std::vector<std::string> names_;
};

// The seed: `fallback`, or IPS_RANDOM_SEED to replay or widen a run.
inline uint32_t RandomSeed(uint32_t fallback) {
  const char* env = std::getenv("IPS_RANDOM_SEED");
  return env ? static_cast<uint32_t>(std::strtoul(env, nullptr, 10)) : fallback;
}

// The codes a service may deliberately answer a well-formed request with.
inline const std::set<grpc::StatusCode>& DeliberateCodes() {
  static const std::set<grpc::StatusCode> codes = {grpc::StatusCode::OK,
                                                   grpc::StatusCode::INVALID_ARGUMENT,
                                                   grpc::StatusCode::NOT_FOUND,
                                                   grpc::StatusCode::ALREADY_EXISTS,
                                                   grpc::StatusCode::FAILED_PRECONDITION,
                                                   grpc::StatusCode::ABORTED,
                                                   grpc::StatusCode::PERMISSION_DENIED};
  return codes;
}

// Sends `rounds` random requests to every unary RPC of `service` at
// localhost:port with `token`; returns a description of every answer that
// was not deliberate (INTERNAL, UNKNOWN, ...), and counts the calls.
inline std::vector<std::string> SendRandomRequests(int port,
                                                   const google::protobuf::ServiceDescriptor* service,
                                                   const std::string& token, RandomRequests& gen, int rounds,
                                                   int* calls) {
  grpc::GenericStub stub(Channel(port));
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::vector<std::string> bad;
  for (int round = 0; round < rounds; ++round) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      if (m->server_streaming()) continue;
      std::unique_ptr<google::protobuf::Message> req(factory->GetPrototype(m->input_type())->New());
      gen.Fill(*req);
      grpc::Status s =
          CallRaw(stub, "/" + service->full_name() + "/" + m->name(), token, req->SerializeAsString());
      if (!DeliberateCodes().count(s.error_code())) {
        bad.push_back(m->name() + " answered " + std::to_string(s.error_code()) + " " + s.error_message() +
                      "\nrequest: " + req->ShortDebugString().substr(0, 500));
      }
      ++*calls;
    }
  }
  return bad;
}

}  // namespace ips::testing
