#include "services/common/event_payload.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "ips/common/v1/event_options.pb.h"

namespace ips {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

absl::Status Check(const Descriptor& type, std::set<const Descriptor*>& seen) {
  if (!seen.insert(&type).second) return absl::OkStatus();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& f = *type.field(i);
    if (f.type() == FieldDescriptor::TYPE_STRING || f.type() == FieldDescriptor::TYPE_BYTES) {
      const auto& options = f.options();
      const bool pseudonym = !options.GetExtension(common::v1::pseudonym_of).empty();
      const bool closed = options.GetExtension(common::v1::closed_value);
      if (pseudonym == closed) {
        return absl::InternalError(absl::StrCat(
            "event field ", f.full_name(),
            " must declare exactly one of (ips.common.v1.pseudonym_of) and (ips.common.v1.closed_value)"));
      }
    } else if (f.type() == FieldDescriptor::TYPE_MESSAGE) {
      if (auto s = Check(*f.message_type(), seen); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckPublishable(const Descriptor& type) {
  std::set<const Descriptor*> seen;
  return Check(type, seen);
}

void PseudonymiseIds(google::protobuf::Message& payload, const Pseudonymizer& pseudonymizer) {
  const Descriptor& type = *payload.GetDescriptor();
  const auto* reflection = payload.GetReflection();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* f = type.field(i);
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(payload, f); ++k) {
          PseudonymiseIds(*reflection->MutableRepeatedMessage(&payload, f, k), pseudonymizer);
        }
      } else if (reflection->HasField(payload, f)) {
        PseudonymiseIds(*reflection->MutableMessage(&payload, f), pseudonymizer);
      }
      continue;
    }
    const std::string& kind = f->options().GetExtension(common::v1::pseudonym_of);
    if (kind.empty()) continue;
    if (f->is_repeated()) {
      for (int k = 0; k < reflection->FieldSize(payload, f); ++k) {
        const std::string id = reflection->GetRepeatedString(payload, f, k);
        if (!id.empty())
          reflection->SetRepeatedString(&payload, f, k, pseudonymizer.RecordPseudonym(kind, id));
      }
    } else {
      const std::string id = reflection->GetString(payload, f);
      if (!id.empty()) reflection->SetString(&payload, f, pseudonymizer.RecordPseudonym(kind, id));
    }
  }
}

}  // namespace ips
